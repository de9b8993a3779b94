using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.MariaDb.Tests;

public sealed class MariaDbDialectTests
{
    private readonly ISqlDialect _d = new MariaDbDialect("shop");

    [Fact]
    public void Identifiers_are_backquoted_and_tables_qualified_by_the_database()
    {
        Assert.Equal("`we``ird`", _d.Quote("we`ird"));
        Assert.Equal("`shop`.`groups`", _d.Table("groups"));
        Assert.Equal("`ferry_scope_1`", _d.TempTable("ferry_scope_1"));
        Assert.Throws<ArgumentException>(() => _d.Quote("a\0b"));
    }

    [Fact]
    public void Literals_double_quotes_only_since_sessions_run_with_NO_BACKSLASH_ESCAPES()
    {
        Assert.Equal("'it''s a\\b'", _d.Literal("it's a\\b"));
        Assert.Contains("NO_BACKSLASH_ESCAPES", MariaDbEngine.SessionSetup, StringComparison.Ordinal);
    }

    [Fact]
    public void Scope_queries_are_driven_by_straight_join_and_read_text_with_cast_as_char()
    {
        Assert.Equal("STRAIGHT_JOIN", _d.DrivingJoin);
        Assert.Equal("CAST(x.`id` AS CHAR)", _d.AsText("x.`id`"));
        Assert.Equal("a <=> b", _d.NotDistinct("a", "b"));
        Assert.Null(_d.AnalyzeTemp("k"));
        Assert.Equal("CREATE TEMPORARY TABLE `k` (`id` bigint(20) unsigned, PRIMARY KEY (`id`))", _d.CreateTempTable("k", [("id", "bigint(20) unsigned")], ["id"]));
    }

    [Fact]
    public void Decimals_and_dates_are_exported_as_their_text_and_spatial_columns_refused()
    {
        Assert.Equal("CAST(x.`amount` AS CHAR)", _d.ExportColumn("x.`amount`", new Column("amount", "decimal(40,10)", FerryType.Decimal, true)));
        Assert.Equal("x.`id`", _d.ExportColumn("x.`id`", new Column("id", "bigint(20) unsigned", FerryType.Int, false)));
        var e = Assert.Throws<FerryException>(() => _d.ExportColumn("x.`at`", new Column("at", "point", FerryType.Text, true)));
        Assert.Contains("column at has type point", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_without_primary_key_cannot_be_scoped_and_says_so()
    {
        var e = Assert.Throws<FerryException>(() => _d.RowLocatorType);

        Assert.Contains("without a primary key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_statements_say_that_MariaDB_is_a_source_only()
    {
        var e = Assert.Throws<FerryException>(() => _d.NextId(new Column("id", "int", FerryType.Int, false)));

        Assert.Contains("source only", e.Message, StringComparison.Ordinal);
    }
}
