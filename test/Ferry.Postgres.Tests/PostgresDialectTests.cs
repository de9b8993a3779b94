using Ferry.Schema;

namespace Ferry.Postgres.Tests;

public class PostgresDialectTests
{
    private static readonly PostgresDialect _dialect = new("app data");

    private static readonly Column _serial = new("id", "integer", FerryType.Int, false, "nextval('\"app data\".groups_id_seq'::regclass)",
        IsAutoIncrement: true, Sequence: "\"app data\".groups_id_seq");

    private static readonly Column _identity = new("id", "bigint", FerryType.Int, false, IsAutoIncrement: true,
        Sequence: "\"app data\".\"it's_id_seq\"", GeneratedAlways: true);

    [Fact]
    public void Quotes_identifiers_and_tables()
    {
        Assert.Equal("\"my \"\"col\"\"\"", _dialect.Quote("my \"col\""));
        Assert.Equal("\"app data\".\"groups\"", _dialect.Table("groups"));
        Assert.Equal("\"pg_temp\".\"ferry_scope_1\"", _dialect.TempTable("ferry_scope_1"));
        Assert.Equal("'it''s'", PostgresDialect.Literal("it's"));
    }

    [Fact]
    public void Reads_only_a_tables_own_rows_when_others_inherit_from_it()
    {
        var table = new Table("event", [_serial], ["id"], [], []);

        Assert.Equal("\"app data\".\"event\"", _dialect.Rows(table));
        Assert.Equal("ONLY \"app data\".\"event\"", _dialect.Rows(table with { HasInheritors = true }));
    }

    [Fact]
    public void Exclusive_imports_lock_readers_out_and_take_off_only_keys_they_can_put_back_as_they_were()
    {
        var key = new ForeignKey("memberships_user_id_fkey", "memberships", ["user_id"], "users", ["id"], false)
        {
            Definition = "FOREIGN KEY (user_id) REFERENCES \"app data\".users(id) ON DELETE CASCADE",
        };

        Assert.Equal(["LOCK TABLE \"app data\".\"a\", \"app data\".\"b\" IN ACCESS EXCLUSIVE MODE"], _dialect.LockExclusive(["a", "b"]));
        Assert.Equal(
            ("ALTER TABLE \"app data\".\"memberships\" DROP CONSTRAINT \"memberships_user_id_fkey\"",
             "ALTER TABLE \"app data\".\"memberships\" ADD CONSTRAINT \"memberships_user_id_fkey\" FOREIGN KEY (user_id) REFERENCES \"app data\".users(id) ON DELETE CASCADE"),
            _dialect.SuspendForeignKey(key));
        Assert.Null(_dialect.SuspendForeignKey(key with { Definition = null }));
        Assert.Null(_dialect.SuspendForeignKey(key with { Deferrable = true }));
    }

    [Fact]
    public void Creates_temp_tables_dropped_on_commit()
    {
        Assert.Equal(
            "CREATE TEMP TABLE \"s\" (\"id\" bigint, \"loc\" tid, PRIMARY KEY (\"id\", \"loc\")) ON COMMIT DROP",
            _dialect.CreateTempTable("s", [("id", "bigint"), ("loc", _dialect.RowLocatorType)], ["id", "loc"]));
        Assert.Equal("CREATE TEMP TABLE \"s\" (\"v\" text) ON COMMIT DROP", _dialect.CreateTempTable("s", [("v", "text")], []));
        Assert.Equal(("ctid", "tid"), (_dialect.RowLocator, _dialect.RowLocatorType));
    }

    [Theory]
    [InlineData(FerryType.Int, "bigint", "(t.\"c\")::int8")]
    [InlineData(FerryType.Float, "double precision", "(t.\"c\")::float8")]
    [InlineData(FerryType.Bool, "boolean", "t.\"c\"")]
    [InlineData(FerryType.Bytes, "bytea", "t.\"c\"")]
    [InlineData(FerryType.Decimal, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.Text, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.Date, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.Time, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.Timestamp, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.TimestampTz, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.Uuid, "text", "(t.\"c\")::text")]
    [InlineData(FerryType.Json, "text", "(t.\"c\")::text")]
    public void Staging_types_and_export_casts(FerryType type, string staging, string export)
    {
        Assert.Equal(staging, _dialect.StagingType(type));
        Assert.Equal(export, _dialect.ExportColumn("t.\"c\"", new Column("c", "whatever", type, true)));
    }

    [Theory]
    [InlineData(FerryType.Int, "bigint", FerryType.Int, "s.v")]
    [InlineData(FerryType.Text, "text", FerryType.Text, "s.v")]
    [InlineData(FerryType.Bytes, "bytea", FerryType.Bytes, "s.v")]
    [InlineData(FerryType.Int, "integer", FerryType.Int, "CAST(s.v AS integer)")]
    [InlineData(FerryType.Int, "boolean", FerryType.Bool, "((s.v) <> 0)")]
    [InlineData(FerryType.Int, "flag", FerryType.Bool, "CAST(((s.v) <> 0) AS flag)")]
    [InlineData(FerryType.Bool, "smallint", FerryType.Int, "((s.v)::int)::smallint")]
    [InlineData(FerryType.TimestampTz, "timestamp with time zone", FerryType.TimestampTz, "CAST(s.v AS timestamp with time zone)")]
    [InlineData(FerryType.Json, "jsonb", FerryType.Json, "CAST(s.v AS jsonb)")]
    [InlineData(FerryType.Text, "integer[]", FerryType.Text, "CAST(s.v AS integer[])")]
    [InlineData(FerryType.Text, "character varying(40)", FerryType.Text, "s.v")]
    [InlineData(FerryType.Text, "character(2)", FerryType.Text, "s.v")]
    [InlineData(FerryType.Text, "character varying(3)[]", FerryType.Text, "CAST(s.v AS character varying(3)[])")]
    [InlineData(FerryType.Decimal, "numeric(12,2)", FerryType.Decimal, "CAST(s.v AS numeric(12,2))")]
    public void Converts_staged_values_to_the_target_type(FerryType from, string sqlType, FerryType targetType, string expected)
    {
        Assert.Equal(expected, _dialect.ConvertToTarget("s.v", from, new Column("c", sqlType, targetType, true)));
    }

    // Sakila's SET text into Pagila's text[] failed in the middle of the inserts (after ids were drawn): such conversions
    // are now tried before anything is written; built-in types are Ferry's own value checks' business.
    [Theory]
    [InlineData(FerryType.Text, "text[]", FerryType.Text, true)]
    [InlineData(FerryType.Text, "mpaa_rating", FerryType.Text, true)]
    [InlineData(FerryType.Text, "inet", FerryType.Text, true)]
    [InlineData(FerryType.Int, "year", FerryType.Int, true)]
    [InlineData(FerryType.Text, "text", FerryType.Text, false)]
    [InlineData(FerryType.Text, "citext", FerryType.Text, false)]
    [InlineData(FerryType.Text, "character varying(40)", FerryType.Text, false)]
    [InlineData(FerryType.Text, "character(20)", FerryType.Text, false)]
    [InlineData(FerryType.Int, "smallint", FerryType.Int, false)]
    [InlineData(FerryType.Int, "bigint", FerryType.Int, false)]
    [InlineData(FerryType.Text, "date", FerryType.Date, false)]
    [InlineData(FerryType.Decimal, "numeric(4,2)", FerryType.Decimal, false)]
    public void Conversions_that_can_refuse_a_value_are_the_ones_into_types_that_travel_as_text_and_domains(FerryType from, string sqlType, FerryType targetType, bool refusable)
    {
        Assert.Equal(refusable, _dialect.ConversionCanRefuse(from, new Column("c", sqlType, targetType, true)));
    }

    [Fact]
    public void Parameters_are_cast_except_integers_and_never_truncated()
    {
        Assert.Equal("@p0", _dialect.Parameter("p0", new Column("c", "integer", FerryType.Int, true)));
        Assert.Equal("CAST(@p0 AS uuid)", _dialect.Parameter("p0", new Column("c", "uuid", FerryType.Uuid, true)));
        Assert.Equal("CAST(@p0 AS text)", _dialect.Parameter("p0", new Column("c", "character varying(5)", FerryType.Text, true)));
        Assert.Equal("CAST(@p0 AS bpchar)", _dialect.Parameter("p0", new Column("c", "character(5)", FerryType.Text, true)));
    }

    [Fact]
    public void Max_ids_include_the_sequence_position()
    {
        var plain = new Column("id", "integer", FerryType.Int, false);
        var table = new Table("groups", [_serial], ["id"], [], []);

        Assert.Equal("GREATEST(a, b)", _dialect.Greatest("a", "b"));
        Assert.Equal("CAST(x AS text)", _dialect.ValueText("x", FerryType.Timestamp));
        Assert.Equal("encode(x, 'hex')", _dialect.ValueText("x", FerryType.Bytes));
        Assert.Equal("encode(sha256(convert_to(t, 'UTF8')), 'hex')", _dialect.Sha256Hex("t"));
        Assert.Equal("ANALYZE \"app data\".\"ferry_ledger_rows\"", _dialect.AnalyzeTable("ferry_ledger_rows"));
        Assert.Equal("a IS NOT DISTINCT FROM b", _dialect.NotDistinct("a", "b"));
        Assert.Equal("COALESCE((SELECT MAX(\"id\") FROM \"app data\".\"groups\"), 0)", _dialect.CurrentMaxId(table, plain));
        Assert.Equal(
            "GREATEST(COALESCE((SELECT MAX(\"id\") FROM \"app data\".\"groups\"), 0), "
            + "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM \"app data\".groups_id_seq))",
            _dialect.CurrentMaxId(table, _serial));
    }

    [Fact]
    public void Next_ids_come_from_the_sequence()
    {
        Assert.Equal("nextval('\"app data\".groups_id_seq')", _dialect.NextId(_serial));
        Assert.Equal("nextval('\"app data\".\"it''s_id_seq\"')", _dialect.NextId(_identity));
        Assert.Null(_dialect.NextId(new Column("id", "integer", FerryType.Int, false)));
        Assert.Equal("JOIN", _dialect.DrivingJoin);
    }


    [Fact]
    public void Locks_all_tables_in_one_statement()
    {
        Assert.Empty(_dialect.LockForImport([]));
        Assert.Equal(["LOCK TABLE \"app data\".\"a\", \"app data\".\"b\" IN SHARE ROW EXCLUSIVE MODE"], _dialect.LockForImport(["a", "b"]));
    }

    [Fact]
    public void Syncs_each_sequence_only_forwards()
    {
        var table = new Table("groups", [_serial, new Column("n", "integer", FerryType.Int, true)], ["id"], [], []);

        Assert.Equal(
            ["SELECT setval('\"app data\".groups_id_seq', m.max_id) FROM (SELECT MAX(\"id\") AS max_id FROM \"app data\".\"groups\") m "
             + "WHERE m.max_id > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM \"app data\".groups_id_seq)"],
            _dialect.SyncGenerators(table));
        Assert.Empty(_dialect.SyncGenerators(new Table("t", [new Column("id", "integer", FerryType.Int, false)], [], [], [])));
    }

    [Fact]
    public void Overrides_system_values_only_for_generated_always_columns()
    {
        var table = new Table("t", [_identity, new Column("name", "text", FerryType.Text, true)], ["id"], [], []);

        Assert.Equal("OVERRIDING SYSTEM VALUE", _dialect.InsertOverride(table, ["id", "name"]));
        Assert.Equal("", _dialect.InsertOverride(table, ["name"]));
        Assert.Equal("", _dialect.InsertOverride(new Table("g", [_serial], ["id"], [], []), ["id"]));
    }

    [Theory]
    [InlineData("2024-05-01 10:00:00.123+00", "2024-05-01 10:00:00.123+00:00")]
    [InlineData("2024-05-01 10:00:00-05", "2024-05-01 10:00:00-05:00")]
    [InlineData("10:00:00+02", "10:00:00+02:00")]
    [InlineData("2024-05-01 10:00:00+05:30", "2024-05-01 10:00:00+05:30")]
    [InlineData("infinity", "infinity")]
    [InlineData("-infinity", "-infinity")]
    [InlineData("2024-05-01", "2024-05-01")]
    public void Normalises_hour_only_offsets(string value, string expected)
    {
        Assert.Equal(expected, PostgresRowReader.NormaliseOffset(value));
    }
}
