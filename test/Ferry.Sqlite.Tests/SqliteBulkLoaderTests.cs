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

    /// <summary>Rows that a bulk loader may push into its sink, as the archive reader does.</summary>
    private sealed class Pushed(IReadOnlyList<object?[]> rows) : IRowValueSource
    {
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
                        case string t: sink.Text(i, System.Text.Encoding.UTF8.GetBytes(t)); break;
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
