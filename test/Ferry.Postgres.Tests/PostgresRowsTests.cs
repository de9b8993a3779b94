using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;
using static Ferry.Postgres.Tests.PostgresTestSupport;

namespace Ferry.Postgres.Tests;

public class PostgresRowsTests
{
    private const string AllTypes = """
        CREATE TYPE mood AS ENUM ('sad', 'happy');
        CREATE DOMAIN positive AS bigint CHECK (VALUE > 0);
        CREATE TABLE {0} (
            id int PRIMARY KEY, tx text, vc varchar(12), by bytea, i2 smallint, i4 integer, i8 bigint, n numeric(50,10),
            f4 real, f8 double precision, b boolean, d date, tm time, ttz timetz, ts timestamp, tstz timestamptz,
            u uuid, j json, jb jsonb, ints int[], m mood, iv interval, p positive);
        """;

    private const string Values = """
        INSERT INTO src VALUES
        (1, E'emoji 🚢 "quoted" ''single''\nnew line\ttab', 'twelve chars', '\x00ff10'::bytea, -32768, -2147483648, -9223372036854775808,
         '-1234567890123456789012345678901234567890.0123456789', 'NaN', '-Infinity', true, '2024-02-29', '23:59:59.999999', '10:00:00+02',
         '2024-05-01 10:00:00.123456', '2024-05-01 12:00:00.123+02', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
         '{"b": 1,  "a": [true, null]}', '{"b": 1,  "a": [true, null]}', '{1,NULL,3}', 'happy', '1 year 2 mons 3 days 04:05:06', 42),
        (2, '', '', '\x'::bytea, 32767, 2147483647, 9223372036854775807, 0, 'Infinity', 1.5e-300, false, '0001-01-01', '00:00', '00:00:00-05:30',
         '1999-12-31 23:59:59', '2024-05-01 10:00:00+00', '00000000-0000-0000-0000-000000000000', '[]', '{}', '{}', 'sad', 'PT0S', 1),
        (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        """;

    [Fact]
    public async Task Reads_every_type_in_its_in_memory_representation()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(string.Format(null, AllTypes, "src") + Values);
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var transaction = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        var table = (await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None)).Get("src");

        var rows = await CollectAsync(engine.ReadRowsAsync(connection, transaction, SelectAll(engine.Dialect, table), "src", table.Columns, CancellationToken.None));

        Assert.Equal(3, rows.Count);
        Assert.Equal<object?>(
            [
                1L, "emoji 🚢 \"quoted\" 'single'\nnew line\ttab", "twelve chars", new byte[] { 0, 255, 16 }, -32768L, -2147483648L, long.MinValue,
                "-1234567890123456789012345678901234567890.0123456789", double.NaN, double.NegativeInfinity, true, "2024-02-29",
                "23:59:59.999999", "10:00:00+02:00", "2024-05-01 10:00:00.123456", "2024-05-01 10:00:00.123+00:00",
                "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "{\"b\": 1,  \"a\": [true, null]}", "{\"a\": [true, null], \"b\": 1}", "{1,NULL,3}",
                "happy", "P1Y2M3DT4H5M6S", 42L,
            ],
            rows[0]);
        Assert.Equal<object?>(
            [
                2L, "", "", Array.Empty<byte>(), 32767L, 2147483647L, long.MaxValue, "0.0000000000", double.PositiveInfinity, 1.5e-300,
                false, "0001-01-01", "00:00:00", "00:00:00-05:30", "1999-12-31 23:59:59", "2024-05-01 10:00:00+00:00",
                "00000000-0000-0000-0000-000000000000", "[]", "{}", "{}", "sad", "PT0S", 1L,
            ],
            rows[1]);
        Assert.Equal([3L, .. Enumerable.Repeat<object?>(null, 22)], rows[2]);
    }

    [Fact]
    public async Task Bulk_loaded_rows_convert_back_into_every_type_unchanged()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(string.Format(null, AllTypes, "src") + "CREATE TABLE dst (LIKE src);" + Values);
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engine.BeginWriteAsync(connection, CancellationToken.None);
        var schema = await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None);
        var (src, dst) = (schema.Get("src"), schema.Get("dst"));
        var dialect = engine.Dialect;
        await ExecuteAsync(connection, transaction,
            dialect.CreateTempTable("stage", src.Columns.Select(c => (c.Name, dialect.StagingType(c.Type))).ToList(), ["id"]));

        // Rows go straight from the export stream into the import: the reused row array is consumed in time.
        var rows = await CollectAsync(engine.ReadRowsAsync(connection, transaction, SelectAll(dialect, src), "src", src.Columns, CancellationToken.None));
        var loaded = await engine.BulkLoadAsync(connection, transaction, "stage",
            src.Columns.Select(c => new StagingColumn(c.Name, c.Type, dst.GetColumn(c.Name))).ToList(), rows.ToAsyncEnumerable(), CancellationToken.None);
        await ExecuteAsync(connection, transaction,
            $"INSERT INTO {dialect.Table("dst")} ({string.Join(", ", dst.Columns.Select(c => dialect.Quote(c.Name)))}) "
            + $"SELECT {string.Join(", ", dst.Columns.Select(c => dialect.ConvertToTarget("s." + dialect.Quote(c.Name), c.Type, c)))} "
            + $"FROM {dialect.TempTable("stage")} s");

        Assert.Equal(3, loaded);
        Assert.Equal(await ScalarAsync(connection, transaction, "SELECT string_agg(x::text, '|' ORDER BY id) FROM src x"),
            await ScalarAsync(connection, transaction, "SELECT string_agg(x::text, '|' ORDER BY id) FROM dst x"));
    }

    [Fact]
    public async Task Converts_between_integers_and_booleans()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (flag boolean, n smallint)");
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engine.BeginWriteAsync(connection, CancellationToken.None);
        var t = (await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None)).Get("t");
        var d = engine.Dialect;
        await ExecuteAsync(connection, transaction, d.CreateTempTable("s", [("flag", d.StagingType(FerryType.Int)), ("n", d.StagingType(FerryType.Bool))], []));
        object?[][] rows = [[0L, true], [7L, false], [null, null]];
        await engine.BulkLoadAsync(connection, transaction, "s",
            [new StagingColumn("flag", FerryType.Int, t.GetColumn("flag")), new StagingColumn("n", FerryType.Bool, t.GetColumn("n"))],
            rows.ToAsyncEnumerable(), CancellationToken.None);
        await ExecuteAsync(connection, transaction,
            $"INSERT INTO t SELECT {d.ConvertToTarget("flag", FerryType.Int, t.GetColumn("flag"))}, {d.ConvertToTarget("n", FerryType.Bool, t.GetColumn("n"))} FROM {d.TempTable("s")}");

        Assert.Equal("(f,1)|(t,0)|(,)", await ScalarAsync(connection, transaction, "SELECT string_agg(t::text, '|' ORDER BY flag NULLS LAST) FROM t"));
    }

    [Fact]
    public async Task Too_long_text_fails_instead_of_being_truncated()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (code varchar(3))");
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engine.BeginWriteAsync(connection, CancellationToken.None);
        var code = (await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None)).Get("t").GetColumn("code");
        await ExecuteAsync(connection, transaction, engine.Dialect.CreateTempTable("s", [("code", "text")], []));
        object?[][] rows = [["abcd"]];
        await engine.BulkLoadAsync(connection, transaction, "s", [new StagingColumn("code", FerryType.Text, code)], rows.ToAsyncEnumerable(), CancellationToken.None);

        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => ExecuteAsync(connection, transaction,
            $"INSERT INTO t SELECT {engine.Dialect.ConvertToTarget("code", FerryType.Text, code)} FROM {engine.Dialect.TempTable("s")}"));
        Assert.Equal("22001", e.SqlState);
    }

    [Fact]
    public async Task Values_of_the_wrong_representation_are_refused()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engine.BeginWriteAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, transaction, engine.Dialect.CreateTempTable("s", [("n", "bigint")], []));
        object?[][] rows = [[42]];

        var e = await Assert.ThrowsAsync<FerryException>(() => engine.BulkLoadAsync(connection, transaction, "s",
            [new StagingColumn("n", FerryType.Int, null)], rows.ToAsyncEnumerable(), CancellationToken.None));
        Assert.Contains("s.n: a Int32 value cannot be a int", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_with_a_nul_character_fails_the_load_with_a_message()
    {
        // SQLite text may hold U+0000; PostgreSQL text cannot.
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engine.BeginWriteAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, transaction, engine.Dialect.CreateTempTable("s", [("v", "text")], []));
        object?[][] rows = [["fine"], ["bad\0value"]];

        var e = await Assert.ThrowsAsync<FerryException>(() => engine.BulkLoadAsync(connection, transaction, "s",
            [new StagingColumn("v", FerryType.Text, null)], rows.ToAsyncEnumerable(), CancellationToken.None));
        Assert.Matches("^loading s failed: .*0x00.*line 2, column v", e.Message);
    }

    internal static string SelectAll(ISqlDialect dialect, Table table) =>
        $"SELECT {string.Join(", ", table.Columns.Select(c => dialect.ExportColumn("t." + dialect.Quote(c.Name), c)))} FROM {dialect.Table(table.Name)} t ORDER BY t.id";
}
