using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;

namespace Ferry.Sqlite.Tests;

public sealed class SqliteRowReaderTests : IDisposable
{
    private const string Script = """
        CREATE TABLE v (
            n INTEGER, f REAL, b BOOLEAN, d NUMERIC(10,2), t TEXT, bin BLOB,
            day DATE, tod TIME, at DATETIME, atz TIMESTAMPTZ, u UUID, j JSON);
        INSERT INTO v VALUES (
            42, 1.5, 1, '12.30', 'héllo', X'00FF',
            '2024-05-01', '10:00:00', '2024-05-01T10:00:00.123', '2024-05-01 10:00:00+02:00',
            X'00112233445566778899AABBCCDDEEFF', '{"a": [1, 2]}');
        INSERT INTO v VALUES (
            '7', 3, 'f', 5, 8, 'text',
            NULL, NULL, '2024-05-01 10:00', '2024-05-01T08:00:00Z',
            '00112233-4455-6677-8899-AABBCCDDEEFF', '[]');
        INSERT INTO v VALUES (NULL, NULL, 'TRUE', 0.25, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        """;

    private readonly TestSqlite _db = new();

    public void Dispose() => _db.Dispose();

    private async Task<List<object?[]>> ReadAsync(string table, string orderBy = "rowid")
    {
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var transaction = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        var columns = (await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None)).Get(table).Columns;
        var d = engine.Dialect;
        var select = $"SELECT {string.Join(", ", columns.Select(c => d.ExportColumn("x." + d.Quote(c.Name), c)))} FROM {d.Table(table)} AS x ORDER BY {orderBy}";
        var rows = new List<object?[]>();
        await foreach (var row in engine.ReadRowsAsync(connection, transaction, select, table, columns, CancellationToken.None))
        {
            rows.Add((object?[])row.Clone());
        }

        return rows;
    }

    [Fact]
    public async Task Reads_every_type_into_its_archive_representation()
    {
        await _db.ExecuteAsync(Script);
        var rows = await ReadAsync("v");
        Assert.Equal(
            [
                42L, 1.5, true, "12.3", "héllo", new byte[] { 0x00, 0xFF },
                "2024-05-01", "10:00:00", "2024-05-01T10:00:00.123", "2024-05-01 10:00:00+02:00",
                "00112233-4455-6677-8899-aabbccddeeff", "{\"a\": [1, 2]}",
            ],
            rows[0]);
        // '7' became integer 7 by INTEGER affinity, 3 became 3.0 by REAL affinity, 'f' stays text in a BOOLEAN column.
        Assert.Equal(
            [
                7L, 3.0, false, "5", "8", "text"u8.ToArray(),
                null, null, "2024-05-01 10:00", "2024-05-01T08:00:00Z",
                "00112233-4455-6677-8899-aabbccddeeff", "[]",
            ],
            rows[1]);
        Assert.Equal([null, null, true, "0.25", null, null, null, null, null, null, null, null], rows[2]);
    }

    [Fact]
    public async Task Epoch_timestamp_is_an_error_naming_table_column_and_value()
    {
        await _db.ExecuteAsync("CREATE TABLE events (id INTEGER PRIMARY KEY, at DATETIME); INSERT INTO events VALUES (1, '2024-05-01 10:00:00'), (2, 1714557600);");
        var error = await Assert.ThrowsAsync<FerryException>(() => ReadAsync("events"));
        Assert.Equal("events.at: value '1714557600' is not an ISO 8601 timestamp; Ferry does not guess epoch or local formats", error.Message);
    }

    [Fact]
    public async Task Row_array_is_reused_and_streams_many_rows()
    {
        await _db.ExecuteAsync("""
            CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO big SELECT i, 'v' || i FROM n;
            """);
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var transaction = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        var columns = (await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None)).Get("big").Columns;
        object?[]? first = null;
        long sum = 0;
        await foreach (var row in engine.ReadRowsAsync(connection, transaction, "SELECT id, v FROM big ORDER BY id", "big", columns, CancellationToken.None))
        {
            first ??= row;
            Assert.Same(first, row);
            Assert.Equal("v" + row[0], row[1]);
            sum += (long)row[0]!;
        }

        Assert.Equal(10000L * 10001 / 2, sum);
    }
}
