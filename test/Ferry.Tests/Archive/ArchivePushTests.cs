using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Schema;
using static Ferry.Tests.Archive.ArchiveSamples;

namespace Ferry.Tests.Archive;

/// <summary>
/// Pushing a table into a sink (what SQLite staging uses) reads and checks exactly what enumerating
/// it does; and the member read ahead on another thread changes nothing a caller can see.
/// </summary>
public class ArchivePushTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Pushed_values_are_the_enumerated_values(bool encrypted)
    {
        var table = AllTypes();
        var password = encrypted ? Password : null;
        var bytes = await WriteAsync(Manifest(table), [Async(ArchiveRoundTripTests.AllTypeRows)], password);

        var (pushed, trailer) = await PushAllAsync(bytes, password);

        Assert.Equal(ArchiveRoundTripTests.AllTypeRows.Length, pushed[0].Count);
        for (var r = 0; r < pushed[0].Count; r++)
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                ArchiveRoundTripTests.AssertSame(ArchiveRoundTripTests.AllTypeRows[r][c], pushed[0][r][c], $"row {r} column {table.Columns[c].Name}");
            }
        }

        Assert.Equal([ArchiveRoundTripTests.AllTypeRows.Length], trailer.Tables.Select(t => t.Rows));
    }

    [Fact]
    public async Task Escaped_strings_and_base64_arrive_unescaped()
    {
        var table = Table("t", ("t", FerryType.Text), ("y", FerryType.Bytes));
        // What another writer may produce: every escape JSON has, and base64 with an escaped character.
        var line = """["a\"b\\c\/d\n\u00e9\u0000\ud83d\ude00","AQI\u002B/w=="]""" + "\n";

        var pushed = await PushTablesAsync(PlainArchive(table, line), null);
        var enumerated = await EnumerateTablesAsync(PlainArchive(table, line));

        var expected = "a\"b\\c/d\né\0😀";
        Assert.Equal(expected, pushed[0][0][0]);
        Assert.Equal(new byte[] { 1, 2, 0x3e, 0xff }, pushed[0][0][1]);
        Assert.Equal(expected, enumerated[0][0][0]);
        Assert.Equal(new byte[] { 1, 2, 0x3e, 0xff }, enumerated[0][0][1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Text_that_is_not_utf8_names_member_line_and_column(bool push)
    {
        var table = Table("t", ("id", FerryType.Int), ("name", FerryType.Text));
        var line = Encoding.ASCII.GetBytes("[1,\"ok\"]\n[2,\"bad ").Concat(new byte[] { 0xC3, 0x28 }).Concat("\"]\n"u8.ToArray()).ToArray();
        var archive = PlainArchive(table, line);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => push ? PushTablesAsync(archive, null) : EnumerateTablesAsync(archive));

        Assert.Equal("the archive is damaged or was altered: data/0001-t/000001.jsonl line 2: column name holds text that is not valid UTF-8", e.Message);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.9)]
    public async Task A_truncated_archive_fails_in_the_member_read_ahead(double fraction)
    {
        var bytes = await WriteAsync(Manifest(Generated3("a")), [Generated(20_000)], Password, new ArchiveWriterOptions(ChunkBytes: 4096));

        var e = await Assert.ThrowsAsync<ArchiveException>(() => PushAllAsync(bytes[..(int)(bytes.Length * fraction)], Password));

        Assert.StartsWith("the archive is truncated: its data ends early", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_in_the_middle_of_a_table_waits_for_the_read_ahead()
    {
        var bytes = await WriteAsync(Manifest(Generated3("a")), [Generated(20_000)], Password, new ArchiveWriterOptions(ChunkBytes: 4096));
        using var input = new MemoryStream(bytes);
        var reader = await ArchiveReader.OpenAsync(input, () => Password, Reading, CancellationToken.None);
        await using (var rows = reader.ReadTableAsync(reader.Manifest.Tables[0], CancellationToken.None).GetAsyncEnumerator())
        {
            Assert.True(await rows.MoveNextAsync());
        }

        await reader.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.VerifyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_failing_sink_leaves_the_reader_unusable()
    {
        var bytes = await WriteAsync(Manifest(Generated3("a")), [Generated(100)], null);
        using var input = new MemoryStream(bytes);
        await using var reader = await ArchiveReader.OpenAsync(input, () => null, Reading, CancellationToken.None);

        var e = await Assert.ThrowsAsync<IOException>(() => reader.PushTableAsync(reader.Manifest.Tables[0], new Failing(), CancellationToken.None));

        Assert.Equal("sink failed", e.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.VerifyAsync(CancellationToken.None));
    }

    private static byte[] PlainArchive(ManifestTable table, string line) => PlainArchive(table, Encoding.UTF8.GetBytes(line));

    /// <summary>A plain archive with one data member of the given bytes and an empty trailer: enough to read the table.</summary>
    private static byte[] PlainArchive(ManifestTable table, byte[] member)
    {
        var manifest = ArchiveJson.SerializeManifest(Manifest(table));
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(manifest) });
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "data/0001-t/000001.jsonl") { DataStream = new MemoryStream(member) });
            // Ends the table; never verified.
            tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "trailer.json") { DataStream = new MemoryStream("{}"u8.ToArray()) });
        }

        return output.ToArray();
    }

    /// <summary>Pushes every table into a recording sink, then verifies the archive.</summary>
    private static async Task<(List<List<object?[]>> Tables, Trailer Trailer)> PushAllAsync(byte[] archive, char[]? password)
    {
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => password, Reading, CancellationToken.None);
        var tables = await PushTablesAsync(reader);
        return (tables, await reader.VerifyAsync(CancellationToken.None));
    }

    /// <summary>Pushes every table into a recording sink, without verifying (the hand-made archives have an empty trailer).</summary>
    private static async Task<List<List<object?[]>>> PushTablesAsync(byte[] archive, char[]? password)
    {
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => password, Reading, CancellationToken.None);
        return await PushTablesAsync(reader);
    }

    private static async Task<List<List<object?[]>>> PushTablesAsync(ArchiveReader reader)
    {
        var tables = new List<List<object?[]>>();
        foreach (var table in reader.Manifest.Tables)
        {
            var sink = new Recording(table.Columns.Count);
            var count = await reader.PushTableAsync(table, sink, CancellationToken.None);
            Assert.Equal(count, sink.Rows.Count);
            tables.Add(sink.Rows);
        }

        return tables;
    }

    private static async Task<List<List<object?[]>>> EnumerateTablesAsync(byte[] archive)
    {
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => null, Reading, CancellationToken.None);
        return await ReadTablesAsync(reader);
    }

    private sealed class Recording(int columns) : IRowValueSink
    {
        private object?[] _row = new object?[columns];
        private int _next;

        public List<object?[]> Rows { get; } = [];

        public void Null(int column) => Set(column, null);

        public void Integer(int column, long value) => Set(column, value);

        public void Real(int column, double value) => Set(column, value);

        public void Boolean(int column, bool value) => Set(column, value);

        public void Text(int column, ReadOnlySpan<byte> utf8) => Set(column, Encoding.UTF8.GetString(utf8));

        public void Bytes(int column, ReadOnlySpan<byte> value) => Set(column, value.ToArray());

        public void EndRow()
        {
            Assert.Equal(columns, _next);
            Rows.Add(_row);
            _row = new object?[columns];
            _next = 0;
        }

        private void Set(int column, object? value)
        {
            Assert.Equal(_next++, column);
            _row[column] = value;
        }
    }

    private sealed class Failing : IRowValueSink
    {
        public void Null(int column) { }

        public void Integer(int column, long value) => throw new IOException("sink failed");

        public void Real(int column, double value) { }

        public void Boolean(int column, bool value) { }

        public void Text(int column, ReadOnlySpan<byte> utf8) { }

        public void Bytes(int column, ReadOnlySpan<byte> value) { }

        public void EndRow() { }
    }
}
