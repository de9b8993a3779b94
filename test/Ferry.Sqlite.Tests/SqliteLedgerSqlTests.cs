using Ferry.Import;
using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

/// <summary>The ledger's SQL text (issue 16) as SQLite gets it.</summary>
public sealed class SqliteLedgerSqlTests
{
    [Fact]
    public void Tuples_tell_every_split_apart_and_single_keys_stay_readable()
    {
        var d = new SqliteDialect();
        Assert.Equal("CAST(s.id AS TEXT)", Ledger.Tuple(d, [("s.id", FerryType.Int)], bare: true));
        Assert.Equal("COALESCE(CAST(length(CAST(s.id AS TEXT)) AS TEXT) || ':' || CAST(s.id AS TEXT), '~')",
            Ledger.Tuple(d, [("s.id", FerryType.Int)], bare: false));
        Assert.Equal("COALESCE(CAST(length(CAST(a AS TEXT)) AS TEXT) || ':' || CAST(a AS TEXT), '~') || ',' || " +
                     "COALESCE(CAST(length(lower(hex(b))) AS TEXT) || ':' || lower(hex(b)), '~')",
            Ledger.Tuple(d, [("a", FerryType.Text), ("b", FerryType.Bytes)], bare: true));
    }

    [Fact]
    public void Ledger_tables_are_named_apart_from_an_apps_and_created_only_where_missing()
    {
        var d = new SqliteDialect();
        Assert.All(Ledger.Create(d), s => Assert.StartsWith("CREATE TABLE IF NOT EXISTS \"main\".\"ferry_ledger_", s, StringComparison.Ordinal));
        Assert.Equal(
        [
            "DELETE FROM \"main\".\"ferry_ledger_rows\" WHERE tenant_no IN (SELECT import_no FROM \"main\".\"ferry_ledger_imports\" WHERE tenant = @tenant)",
            "DELETE FROM \"main\".\"ferry_ledger_imports\" WHERE tenant = @tenant",
        ], Ledger.Forget(d));
        // A ledger of an earlier Ferry, whose rows name their tenant by its id.
        Assert.Equal("DELETE FROM \"main\".\"ferry_ledger_rows\" WHERE tenant = @tenant", Ledger.Forget(d, numbered: false)[0]);
    }
}
