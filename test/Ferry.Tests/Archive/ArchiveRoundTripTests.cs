using Ferry.Archive;
using Ferry.Schema;
using static Ferry.Tests.Archive.ArchiveSamples;

namespace Ferry.Tests.Archive;

public class ArchiveRoundTripTests
{
    internal static readonly object?[][] AllTypeRows =
    [
        [long.MinValue, -0.0, true, "-1234567890123456789012345678901234567890.0001", "", Array.Empty<byte>(),
            "2024-02-29", "00:00:00", "2024-05-01 10:00:00.123456", "2024-05-01 10:00:00+02:00",
            "0b7e6f2c-3d1e-4a5b-9c8d-7e6f5a4b3c2d", """{"a": [1, 2.50, "x"]}"""],
        [long.MaxValue, double.NaN, false, "0", "emoji 😀, quotes \" ' \\, newline\n\r\ttab, NUL \0 end, <&>", new byte[] { 0, 1, 2, 255 },
            "0001-01-01", "23:59:59.999999", "9999-12-31 23:59:59", "1970-01-01 00:00:00-09:30",
            "ffffffff-ffff-ffff-ffff-ffffffffffff", "[]"],
        [0L, double.PositiveInfinity, true, "1e-5", "\u2028\u2029 lone-free ünïcödé 中文", new byte[300], null, null, null, null, null, null],
        [null, double.NegativeInfinity, null, null, null, null, null, null, null, null, null, null],
        [42L, 0.1 + 0.2, false, "3.14", "null", new byte[] { 0x1f, 0x8b }, "2000-01-01", "12:00:00", "2000-01-01 00:00:00", "2000-01-01 00:00:00+00:00", "00000000-0000-0000-0000-000000000000", "null"],
        [1L, double.Epsilon, true, "-0", " ", null, null, null, null, null, null, "\"s\""],
        [2L, double.MaxValue, true, "1", "x", new byte[] { 1 }, null, null, null, null, null, null],
        [3L, -double.MinValue * -1, true, "1", "x", new byte[] { 1 }, null, null, null, null, null, null],
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Every_type_round_trips_exactly(bool encrypted)
    {
        var table = AllTypes();
        var empty = Table("empty", ("id", FerryType.Int));
        var manifest = Manifest(table, empty);
        var password = encrypted ? Password : null;

        var bytes = await WriteAsync(manifest, [Async(AllTypeRows), Async([])], password);
        var (read, tables, trailer, isEncrypted) = await ReadAllAsync(bytes, password);

        Assert.Equal(encrypted, isEncrypted);
        Assert.Equal(AllTypeRows.Length, tables[0].Count);
        for (var r = 0; r < AllTypeRows.Length; r++)
        {
            for (var c = 0; c < table.Columns.Count; c++)
            {
                AssertSame(AllTypeRows[r][c], tables[0][r][c], $"row {r} column {table.Columns[c].Name}");
            }
        }

        Assert.Empty(tables[1]);
        Assert.Equal([AllTypeRows.Length, 0L], trailer.Tables.Select(t => t.Rows));
        Assert.Single(trailer.Members);
        Assert.Equal("data/0001-all_types__/000001.jsonl", trailer.Members[0].Path);
        AssertManifestsEqual(manifest, read);
    }

    [Fact]
    public async Task Negative_zero_keeps_its_sign_and_empty_string_differs_from_null()
    {
        var table = Table("t", ("f", FerryType.Float), ("s", FerryType.Text), ("y", FerryType.Bytes));
        var bytes = await WriteAsync(Manifest(table), [Async([[-0.0, "", Array.Empty<byte>()], [null, null, null]])], null);

        var (_, tables, _, _) = await ReadAllAsync(bytes, null);

        Assert.True(double.IsNegative((double)tables[0][0][0]!));
        Assert.Equal("", tables[0][0][1]);
        Assert.Equal(Array.Empty<byte>(), tables[0][0][2]);
        Assert.All(tables[0][1], Assert.Null);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Small_chunks_split_a_table_into_many_members_in_order(bool encrypted)
    {
        var a = Generated3("a");
        var b = Generated3("b");
        var password = encrypted ? Password : null;
        var bytes = await WriteAsync(Manifest(a, Table("none", ("id", FerryType.Int)), b),
            [Generated(5000), Async([]), Generated(3)], password, new ArchiveWriterOptions(ChunkBytes: 1000));

        var (_, tables, trailer, _) = await ReadAllAsync(bytes, password);

        Assert.Equal(5000, tables[0].Count);
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (object)(long)i), tables[0].Select(r => r[0]));
        Assert.Equal("name 4999 ✓", tables[0][4999][1]);
        Assert.Equal(3, tables[2].Count);
        var aMembers = trailer.Members.Where(m => m.Table == "a").ToList();
        Assert.True(aMembers.Count > 50, $"{aMembers.Count} members");
        Assert.All(aMembers, m => Assert.True(m.Bytes <= 1000, $"{m.Path}: {m.Bytes} bytes"));
        Assert.Equal(5000, aMembers.Sum(m => m.Rows));
        Assert.Equal(aMembers.Select((_, i) => $"data/0001-a/{i + 1:D6}.jsonl"), aMembers.Select(m => m.Path));
        Assert.Equal("data/0003-b/000001.jsonl", trailer.Members[^1].Path);
    }

    [Fact]
    public async Task A_row_larger_than_the_chunk_gets_a_member_of_its_own()
    {
        var table = Table("big", ("id", FerryType.Int), ("blob", FerryType.Bytes));
        var bytes = await WriteAsync(Manifest(table),
            [Async([[1L, new byte[10]], [2L, new byte[5000]], [3L, new byte[10]]])], null, new ArchiveWriterOptions(ChunkBytes: 100));

        var (_, tables, trailer, _) = await ReadAllAsync(bytes, null);

        Assert.Equal([1L, 1L, 1L], trailer.Members.Select(m => m.Rows));
        Assert.Equal(5000, ((byte[])tables[0][1][1]!).Length);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_archive_with_zero_tables_round_trips(bool encrypted)
    {
        var password = encrypted ? Password : null;
        var bytes = await WriteAsync(Manifest(), [], password);

        var (manifest, tables, trailer, _) = await ReadAllAsync(bytes, password);

        Assert.Empty(manifest.Tables);
        Assert.Empty(tables);
        Assert.Empty(trailer.Members);
    }

    [Fact]
    public async Task The_trailer_carries_nulled_references_and_totals()
    {
        var a = Generated3("a");
        var nulled = new Dictionary<string, IReadOnlyDictionary<string, long>> { ["a"] = new Dictionary<string, long> { ["score"] = 7 } };
        var bytes = await WriteAsync(Manifest(a), [Generated(10)], Password, nulled: nulled);

        using var input = new MemoryStream(bytes);
        await using var reader = await ArchiveReader.OpenAsync(input, () => Password, Reading, CancellationToken.None);
        var trailer = await reader.ReadToEndAsync(CancellationToken.None);

        Assert.Equal(10, trailer.Tables[0].Rows);
        Assert.Equal(7, trailer.Tables[0].NulledReferences["score"]);
        Assert.Matches("^[0-9a-f]{64}$", trailer.Members[0].Sha256);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_by_the_writer()
    {
        var table = Table("t", ("i", FerryType.Int));
        await using var writer = ArchiveWriter.Create(new MemoryStream(), null);
        await writer.WriteManifestAsync(Manifest(table), CancellationToken.None);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(
            () => writer.WriteTableAsync(table, Async([[42]]), CancellationToken.None));
        Assert.Contains("t.i", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_must_be_written_in_manifest_order_and_all_before_completing()
    {
        var (a, b) = (Generated3("a"), Generated3("b"));
        await using var writer = ArchiveWriter.Create(new MemoryStream(), null);
        await writer.WriteManifestAsync(Manifest(a, b), CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteTableAsync(b, Generated(1), CancellationToken.None));
        await writer.WriteTableAsync(a, Generated(1), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => writer.CompleteAsync(new Dictionary<string, IReadOnlyDictionary<string, long>>(), CancellationToken.None));
    }

    internal static void AssertSame(object? expected, object? actual, string where)
    {
        switch (expected)
        {
            case double d:
                Assert.True(actual is double a && BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(d)
                    || (double.IsNaN(d) && actual is double n && double.IsNaN(n)), $"{where}: {d:R} became {actual}");
                break;
            case byte[] bytes:
                Assert.Equal(bytes, Assert.IsType<byte[]>(actual));
                break;
            default:
                Assert.True(Equals(expected, actual), $"{where}: {expected} became {actual}");
                if (expected is not null)
                {
                    Assert.IsType(expected.GetType(), actual);
                }

                break;
        }
    }

    private static void AssertManifestsEqual(Manifest expected, Manifest actual)
    {
        Assert.Equal(expected.FormatVersion, actual.FormatVersion);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Root.Ids, actual.Root.Ids);
        Assert.Equal(expected.Excluded, actual.Excluded);
        Assert.Equal(expected.Followed, actual.Followed);
        Assert.Equal(expected.CycleBreaks.Select(c => $"{c.Name}:{string.Join(',', c.Columns)}"), actual.CycleBreaks.Select(c => $"{c.Name}:{string.Join(',', c.Columns)}"));
        Assert.Equal(expected.Tables.Count, actual.Tables.Count);
        for (var i = 0; i < expected.Tables.Count; i++)
        {
            Assert.Equal(expected.Tables[i].Name, actual.Tables[i].Name);
            Assert.Equal(expected.Tables[i].Columns, actual.Tables[i].Columns);
            Assert.Equal(expected.Tables[i].PrimaryKey, actual.Tables[i].PrimaryKey);
        }
    }
}
