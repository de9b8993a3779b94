using System.Data.Common;
using System.Diagnostics;
using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;
using Xunit.Abstractions;

namespace Ferry.Sqlite.Tests;

public sealed class SqliteBulkLoaderTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestSqlite _db = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose() => _db.Dispose();

    private static readonly StagingColumn[] Columns =
    [
        new("id", FerryType.Int, null),
        new("ok", FerryType.Bool, null),
        new("score", FerryType.Float, null),
        new("amount", FerryType.Decimal, null),
        new("name", FerryType.Text, null),
        new("data", FerryType.Bytes, null),
        new("at", FerryType.Timestamp, null),
    ];

    private static async IAsyncEnumerable<object?[]> RowsAsync(IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            await Task.Yield();
            yield return row;
        }
    }

    private async Task<(DbConnection Connection, DbTransaction Transaction, IDatabaseEngine Engine)> StageAsync()
    {
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        var connection = await engine.OpenAsync(Access.ReadWrite, _ct);
        var transaction = await engine.BeginWriteAsync(connection, _ct);
        var d = engine.Dialect;
        await SqliteEngineTests.ExecuteAsync(connection, transaction, d.CreateTempTable("stage", Columns.Select(c => (c.Name, d.StagingType(c.Type))).ToList(), []));
        return (connection, transaction, engine);
    }

    [Fact]
    public async Task Staged_values_keep_their_storage_class()
    {
        var (connection, transaction, engine) = await StageAsync();
        await using (connection)
        await using (transaction)
        {
            object?[] row = [1L, true, 2.5, "12.50", "123", new byte[] { 1, 2 }, "2024-05-01 10:00:00"];
            object?[] empty = [2L, false, null, null, null, null, null];
            Assert.Equal(2, await engine.BulkLoadAsync(connection, transaction, "stage", Columns, RowsAsync([row, empty]), _ct));

            var dump = await SqliteEngineTests.ScalarAsync(connection, transaction, """
                SELECT group_concat(typeof(id) || ':' || typeof(ok) || quote(ok) || ':' || typeof(score) || ':' || typeof(amount) || quote(amount)
                    || ':' || typeof(name) || quote(name) || ':' || typeof(data) || ':' || typeof(at), ' | ')
                FROM (SELECT * FROM temp.stage ORDER BY id)
                """);
            Assert.Equal("integer:integer1:real:text'12.50':text'123':blob:text | integer:integer0:null:nullNULL:nullNULL:null:null", dump);
        }
    }

    [Fact]
    public async Task Pushed_values_are_staged_like_objects_and_keep_embedded_nul()
    {
        var (connection, transaction, engine) = await StageAsync();
        await using (connection)
        await using (transaction)
        {
            var source = new Pushed(
            [
                [1L, true, 2.5, "12.50", "a\0b é", new byte[] { 1, 2 }, "2024-05-01 10:00:00"],
                [2L, false, null, null, "", Array.Empty<byte>(), null],
            ]);
            Assert.Equal(2, await engine.BulkLoadAsync(connection, transaction, "stage", Columns, source, _ct));
            Assert.True(source.WasPushed);

            var dump = await SqliteEngineTests.ScalarAsync(connection, transaction, """
                SELECT group_concat(typeof(id) || ':' || typeof(ok) || quote(ok) || ':' || typeof(score) || ':' || typeof(amount) || quote(amount)
                    || ':' || typeof(name) || hex(name) || ':' || typeof(data) || quote(data) || ':' || typeof(at), ' | ')
                FROM (SELECT * FROM temp.stage ORDER BY id)
                """);
            Assert.Equal("integer:integer1:real:text'12.50':text61006220C3A9:blobX'0102':text | integer:integer0:null:nullNULL:text:blobX'':null", dump);
        }
    }

    [Fact]
    public async Task A_pushed_row_with_too_few_values_is_refused()
    {
        var (connection, transaction, engine) = await StageAsync();
        await using (connection)
        await using (transaction)
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                engine.BulkLoadAsync(connection, transaction, "stage", Columns, new Pushed([[1L, true]]), _ct));

            Assert.Equal("a row for stage has 2 values, not 7", e.Message);
        }
    }

    /// <summary>
    /// Values pushed from one buffer that the source overwrites for every value, as the archive's decoder reuses its own,
    /// keep their own bytes, text and binary, small and large (three of 40,000 bytes in a row, one of 200,000): whatever
    /// binds them must copy them before the row is stepped (binding them in place, SQLITE_STATIC, would store the last
    /// value written for every column; bench/notes.md has the measurement of a copy into pinned memory, not kept).
    /// </summary>
    [Fact]
    public async Task Text_pushed_from_a_reused_buffer_keeps_each_rows_values_across_blocks()
    {
        var (connection, transaction, engine) = await StageAsync();
        await using (connection)
        await using (transaction)
        {
            static string Text(int row, int column, int length) => string.Concat(Enumerable.Repeat($"r{row}c{column}-", length / 4 + 1))[..length];
            var rows = Enumerable.Range(1, 50).Select(r => (object?[])
            [
                (long)r, r % 2 == 0, null, Text(r, 3, r % 7 == 0 ? 40_000 : 9), Text(r, 4, r % 7 == 0 ? 40_000 : 30 + r),
                System.Text.Encoding.UTF8.GetBytes(Text(r, 5, r % 5 == 0 ? 70_000 : 3)), Text(r, 6, r == 49 ? 200_000 : r % 7 == 0 ? 40_000 : 19),
            ]).ToList();

            Assert.Equal(50, await engine.BulkLoadAsync(connection, transaction, "stage", Columns, new Pushed(rows, reuse: true), _ct));

            var staged = await SqliteEngineTests.ScalarAsync(connection, transaction,
                "SELECT group_concat(id || ':' || amount || ':' || name || ':' || typeof(data) || CAST(data AS TEXT) || ':' || at, '|') FROM (SELECT * FROM temp.stage ORDER BY id)");
            Assert.Equal(string.Join("|", rows.Select(r => $"{r[0]}:{r[3]}:{r[4]}:blob{System.Text.Encoding.UTF8.GetString((byte[])r[5]!)}:{r[6]}")), staged);
        }
    }

    /// <summary>Rows that a bulk loader may push into its sink, as the archive reader does.</summary>
    private sealed class Pushed(IReadOnlyList<object?[]> rows, bool reuse = false) : IRowValueSource
    {
        // With reuse, every text is pushed from this one buffer, overwritten by the next value.
        private readonly byte[] _buffer = new byte[256 * 1024];

        public bool WasPushed { get; private set; }

        public Task<long> PushAsync(IRowValueSink sink, CancellationToken cancellationToken)
        {
            WasPushed = true;
            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    switch (row[i])
                    {
                        case null: sink.Null(i); break;
                        case long n: sink.Integer(i, n); break;
                        case bool b: sink.Boolean(i, b); break;
                        case double d: sink.Real(i, d); break;
                        case string t when reuse:
                            sink.Text(i, _buffer.AsSpan(0, System.Text.Encoding.UTF8.GetBytes(t, _buffer)));
                            break;
                        case string t: sink.Text(i, System.Text.Encoding.UTF8.GetBytes(t)); break;
                        case byte[] y when reuse:
                            y.CopyTo(_buffer, 0);
                            sink.Bytes(i, _buffer.AsSpan(0, y.Length));
                            break;
                        case byte[] y: sink.Bytes(i, y); break;
                    }
                }
                sink.EndRow();
            }
            return Task.FromResult((long)rows.Count);
        }

        public IAsyncEnumerator<object?[]> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("the loader should push");
    }

    [Fact]
    public async Task Target_affinity_converts_staged_values_on_insert()
    {
        await _db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, ok BOOLEAN, score REAL, amount NUMERIC, name TEXT, data BLOB, at DATETIME);");
        var (connection, transaction, engine) = await StageAsync();
        await using (connection)
        await using (transaction)
        {
            object?[] row = [7L, true, 2.0, "12.50", "123", new byte[] { 1 }, "2024-05-01 10:00:00"];
            await engine.BulkLoadAsync(connection, transaction, "stage", Columns, RowsAsync([row]), _ct);
            var d = engine.Dialect;
            var target = (await engine.ReadSchemaAsync(connection, transaction, _ct)).Get("t");
            var select = string.Join(", ", Columns.Select(c => d.ConvertToTarget(d.Quote(c.Name), c.Type, target.GetColumn(c.Name))));
            await SqliteEngineTests.ExecuteAsync(connection, transaction, $"INSERT INTO {d.Table("t")}{d.InsertOverride(target, [])} SELECT {select} FROM {d.TempTable("stage")}");
            await transaction.CommitAsync(_ct);
        }

        Assert.EndsWith("-- t\ninteger:7 | integer:1 | real:2 | real:12.5 | text:'123' | blob:X'01' | text:'2024-05-01 10:00:00'\n", await _db.DumpAsync(_ct));
    }

    private static string Rates(int count, Stopwatch watch, TimeSpan cpuBefore) =>
        $"{count / watch.Elapsed.TotalSeconds:N0} rows/s wall, {count / (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:N0} rows/CPU-s";

    [Fact]
    public async Task Loads_many_rows_quickly()
    {
        const int Count = 300_000;
        var (connection, transaction, engine) = await StageAsync();
        await using (connection)
        await using (transaction)
        {
            var row = new object?[Columns.Length];
            async IAsyncEnumerable<object?[]> Generate()
            {
                for (long i = 0; i < Count; i++)
                {
                    row[0] = i;
                    row[1] = (i & 1) == 0;
                    row[2] = i * 0.5;
                    row[3] = "12.50";
                    row[4] = "name " + i;
                    row[5] = null;
                    row[6] = "2024-05-01 10:00:00";
                    yield return row;
                }

                await Task.CompletedTask;
            }

            // CPU time as well as wall time: the machine running the tests is often shared.
            var watch = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            Assert.Equal(Count, await engine.BulkLoadAsync(connection, transaction, "stage", Columns, Generate(), _ct));
            output.WriteLine($"bulk load: {Rates(Count, watch, cpu)} ({Columns.Length} columns)");

            watch.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var columns = Columns.Select(c => new Column(c.Name, "", c.Type, true)).ToList();
            long read = 0;
            await foreach (var r in engine.ReadRowsAsync(connection, transaction, "SELECT * FROM temp.stage", "stage", columns, _ct))
            {
                read += r[0] is long ? 1 : 0;
            }

            output.WriteLine($"read: {Rates(Count, watch, cpu)}");
            Assert.Equal(Count, read);
        }
    }
}
