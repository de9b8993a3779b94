using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

public class SqliteDialectTests
{
    private readonly SqliteDialect _dialect = new();

    private static Table Groups(string? sequence) =>
        new("gro'ups", [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true, Sequence: sequence)], ["id"], [], []);

    [Fact]
    public void Quote_doubles_embedded_quotes() => Assert.Equal("\"my \"\"col\"\"\"", _dialect.Quote("my \"col\""));

    [Fact]
    public void Exclusive_imports_are_not_an_sqlite_mode()
    {
        var key = new ForeignKey("fk", "memberships", ["user_id"], "users", ["id"], false) { Definition = "FOREIGN KEY (user_id) REFERENCES users(id)" };

        Assert.Null(_dialect.LockExclusive(["memberships"]));
        Assert.Null(_dialect.SuspendForeignKey(key));
        Assert.Equal("\"main\".\"users\"", _dialect.Rows(new Table("users", [], [], [], []) { HasInheritors = true }));
    }

    [Fact]
    public void Ledger_text_reads_blobs_as_hex_and_digests_through_ferrys_function()
    {
        Assert.Equal("CAST(u.\"a\" AS TEXT)", _dialect.ValueText("u.\"a\"", FerryType.Int));
        Assert.Equal("lower(hex(u.\"b\"))", _dialect.ValueText("u.\"b\"", FerryType.Bytes));
        Assert.Equal("ferry_sha256(x)", _dialect.Sha256Hex("x"));
        // SQLite's ANALYZE would write sqlite_stat1 into the application's schema.
        Assert.Null(((Engines.ISqlDialect)_dialect).AnalyzeTable("ferry_ledger_rows"));
    }

    [Fact]
    public void Tables_are_qualified_by_main_and_temp()
    {
        Assert.Equal("\"main\".\"groups\"", _dialect.Table("groups"));
        Assert.Equal("\"temp\".\"ferry_scope_1\"", _dialect.TempTable("ferry_scope_1"));
    }

    [Fact]
    public void CreateTempTable_with_and_without_primary_key()
    {
        Assert.Equal(
            "CREATE TEMP TABLE \"s\" (\"a\" INTEGER, \"b\" BLOB, PRIMARY KEY (\"a\", \"b\"))",
            _dialect.CreateTempTable("s", [("a", "INTEGER"), ("b", "BLOB")], ["a", "b"]));
        Assert.Equal("CREATE TEMP TABLE \"s\" (\"a\" REAL)", _dialect.CreateTempTable("s", [("a", "REAL")], []));
    }

    [Theory]
    [InlineData(FerryType.Int, "INTEGER")]
    [InlineData(FerryType.Bool, "INTEGER")]
    [InlineData(FerryType.Float, "REAL")]
    [InlineData(FerryType.Decimal, "BLOB")]
    [InlineData(FerryType.Text, "BLOB")]
    [InlineData(FerryType.Bytes, "BLOB")]
    [InlineData(FerryType.TimestampTz, "BLOB")]
    [InlineData(FerryType.Uuid, "BLOB")]
    public void StagingType_keeps_values_as_bound(FerryType type, string expected) => Assert.Equal(expected, _dialect.StagingType(type));

    [Fact]
    public void Row_locator_is_rowid()
    {
        Assert.Equal("rowid", _dialect.RowLocator);
        Assert.Equal("INTEGER", _dialect.RowLocatorType);
    }

    [Fact]
    public void Expressions_pass_through_because_affinity_converts()
    {
        var column = new Column("at", "DATETIME", FerryType.Timestamp, true);
        Assert.Equal("t.\"at\"", _dialect.ExportColumn("t.\"at\"", column));
        Assert.Equal("s.\"at\"", _dialect.ConvertToTarget("s.\"at\"", FerryType.Timestamp, column));
        Assert.Equal("@root", _dialect.Parameter("root", column));
        Assert.Equal("MAX(a, b)", _dialect.Greatest("a", "b"));
        Assert.Equal("a IS b", _dialect.NotDistinct("a", "b"));
    }

    [Fact]
    public void CurrentMaxId_of_a_rowid_alias_is_the_column_maximum() =>
        Assert.Equal("COALESCE((SELECT MAX(\"id\") FROM \"main\".\"gro'ups\"), 0)", _dialect.CurrentMaxId(Groups(null), Groups(null).Columns[0]));

    [Fact]
    public void CurrentMaxId_of_an_autoincrement_column_includes_sqlite_sequence()
    {
        var table = Groups("sqlite_sequence");
        Assert.Equal(
            "MAX(COALESCE((SELECT MAX(\"id\") FROM \"main\".\"gro'ups\"), 0), "
            + "COALESCE((SELECT \"seq\" FROM \"main\".\"sqlite_sequence\" WHERE \"name\" = 'gro''ups'), 0))",
            _dialect.CurrentMaxId(table, table.Columns[0]));
    }

    [Fact]
    public void Generators_and_locks_need_no_statements()
    {
        var table = Groups("sqlite_sequence");
        Assert.Null(_dialect.NextId(table.Columns[0]));
        // Scope queries stay driven from the temporary key table (an unindexed column gets an automatic index).
        Assert.Equal("CROSS JOIN", _dialect.DrivingJoin);
        Assert.Empty(_dialect.LockForImport(["groups"]));
        Assert.Empty(_dialect.SyncGenerators(table));
        Assert.Equal("", _dialect.InsertOverride(table, ["id"]));
    }

    [Fact]
    public void InsertRow_binds_one_parameter_per_column() =>
        Assert.Equal("INSERT INTO \"temp\".\"s\" (\"a\", \"b c\") VALUES (@p0, @p1)", _dialect.InsertRow("s", ["a", "b c"]));

    [Fact]
    public void Rows_deleted_or_updated_by_a_list_of_keys_are_found_through_an_in_list()
    {
        Ferry.Engines.ISqlDialect d = _dialect;
        Assert.Equal("DELETE FROM \"t\" AS u WHERE (u.\"a\", u.\"b\") IN (SELECT g.k0, g.k1 FROM g)", d.DeleteIn("\"t\"", ["a", "b"], "SELECT g.k0, g.k1 FROM g"));
        Assert.Equal("DELETE FROM \"l\" AS u WHERE u.tenant_no = 1 AND u.\"source_key\" IN (SELECT sk AS k0 FROM g)", d.DeleteIn("\"l\"", ["source_key"], "SELECT sk AS k0 FROM g", "u.tenant_no = 1"));
        Assert.Equal("UPDATE \"t\" SET \"next_id\" = NULL WHERE \"id\" IN (SELECT g.k0 FROM g)", d.UpdateIn("\"t\"", ["id"], [("next_id", "NULL")], "SELECT g.k0 FROM g"));
    }
}
