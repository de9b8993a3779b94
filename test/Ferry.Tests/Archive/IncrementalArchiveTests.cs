using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Ferry.Archive;
using Ferry.Schema;
using static Ferry.Tests.Archive.ArchiveSamples;

namespace Ferry.Tests.Archive;

/// <summary>
/// Format version 4 (docs/format.md §4.1): an incremental archive's manifest (export id, completeBefore, incremental base
/// and time, each table's changed-at column) round-trips; key members follow their table's rows, in chunks, are counted
/// in the trailer and checked; readers and writers refuse them out of place.
/// </summary>
public sealed class IncrementalArchiveTests
{
    private static readonly string Id = ArchiveFormat.NewExportId();

    private static Manifest Incremental()
    {
        var activities = Table("activities", ("id", FerryType.Int), ("title", FerryType.Text), ("changed_at", FerryType.Timestamp)) with { Changed = "changed_at" };
        var places = Table("places", ("id", FerryType.Int), ("name", FerryType.Text));
        return Manifest(activities, places) with
        {
            FormatVersion = ArchiveFormat.VersionIncremental,
            ExportId = ArchiveFormat.NewExportId(),
            CompleteBefore = new DateTimeOffset(2026, 12, 6, 0, 0, 0, 123, TimeSpan.Zero),
            Incremental = new ManifestIncremental(Id, new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero)),
        };
    }

    private static async Task<byte[]> WriteAsync(Manifest manifest, int keys, char[]? password = null, ArchiveWriterOptions? options = null)
    {
        using var output = new MemoryStream();
        await using (var writer = ArchiveWriter.Create(output, password, options))
        {
            await writer.WriteManifestAsync(manifest, CancellationToken.None);
            await writer.WriteTableAsync(manifest.Tables[0], Async([[7L, "Potluck", "2026-12-02 10:00:00"]]), CancellationToken.None);
            await writer.WriteKeysAsync(manifest.Tables[0], Async(Enumerable.Range(1, keys).Select(i => new object?[] { (long)i })), CancellationToken.None);
            await writer.WriteTableAsync(manifest.Tables[1], Async([[1L, "Park"]]), CancellationToken.None);
            await writer.CompleteAsync(new Dictionary<string, IReadOnlyDictionary<string, long>>(), CancellationToken.None);
        }
        return output.ToArray();
    }

    [Fact]
    public async Task An_incremental_archive_round_trips_its_manifest_rows_and_key_rows()
    {
        var manifest = Incremental();
        var bytes = await WriteAsync(manifest, keys: 3, Password);

        using var input = new MemoryStream(bytes);
        await using var reader = await ArchiveReader.OpenAsync(input, () => Password, Reading, CancellationToken.None);
        var read = reader.Manifest;
        Assert.Equal((manifest.ExportId, manifest.CompleteBefore, manifest.Incremental), (read.ExportId, read.CompleteBefore, read.Incremental));
        Assert.Equal(["changed_at", null], read.Tables.Select(t => t.Changed));
        var rows = new List<object?[]>();
        await foreach (var row in reader.ReadTableAsync(read.Tables[0], CancellationToken.None))
        {
            rows.Add((object?[])row.Clone());
        }
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in reader.ReadTableAsync(read.Tables[1], CancellationToken.None))
            {
            }
        });
        var keys = new List<long>();
        await foreach (var key in reader.ReadKeysAsync(read.Tables[0], CancellationToken.None))
        {
            keys.Add((long)key[0]!);
        }
        await foreach (var _ in reader.ReadTableAsync(read.Tables[1], CancellationToken.None))
        {
        }
        var trailer = await reader.VerifyAsync(CancellationToken.None);

        Assert.Equal(7L, rows.Single()[0]);
        Assert.Equal([1L, 2L, 3L], keys);
        Assert.Equal([3L, null], trailer.Tables.Select(t => t.Keys));
        Assert.Equal(["data/0001-activities/000001.jsonl", "keys/0001-activities/000001.jsonl", "data/0002-places/000001.jsonl"], trailer.Members.Select(m => m.Path));
    }

    [Fact]
    public async Task Key_rows_are_split_into_chunks_and_a_table_without_key_rows_has_no_key_member()
    {
        var chunked = await WriteAsync(Incremental(), keys: 1000, options: new ArchiveWriterOptions(ChunkBytes: 1024));
        var names = Members(chunked).Keys.ToList();
        Assert.Contains("keys/0001-activities/000002.jsonl", names);
        using (var input = new MemoryStream(chunked))
        {
            await using var reader = await ArchiveReader.OpenAsync(input, () => null, Reading, CancellationToken.None);
            Assert.Equal(1000L, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Keys);
        }

        var none = await WriteAsync(Incremental(), keys: 0);
        Assert.DoesNotContain(Members(none).Keys, n => n.StartsWith("keys/", StringComparison.Ordinal));
        using var again = new MemoryStream(none);
        await using var empty = await ArchiveReader.OpenAsync(again, () => null, Reading, CancellationToken.None);
        Assert.Equal(0L, (await empty.ReadToEndAsync(CancellationToken.None)).Tables[0].Keys);
    }

    [Fact]
    public async Task A_key_member_altered_or_of_a_table_without_a_changed_column_is_refused()
    {
        var altered = Rewrite(await WriteAsync(Incremental(), keys: 2), "keys/0001-activities/000001.jsonl", "[1]\n[9]\n");
        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllKeysAsync(altered));
        Assert.Contains("does not match its SHA-256 digest", e.Message, StringComparison.Ordinal);

        var stray = Rename(await WriteAsync(Incremental(), keys: 2), "keys/0001-activities/000001.jsonl", "keys/0002-places/000001.jsonl");
        e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllKeysAsync(stray));
        Assert.Contains("unexpected member keys/0002-places/000001.jsonl", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_writer_wants_the_keys_right_after_their_table_and_the_manifest_check_wants_version_4()
    {
        var manifest = Incremental();
        using var output = new MemoryStream();
        await using var writer = ArchiveWriter.Create(output, null);
        await writer.WriteManifestAsync(manifest, CancellationToken.None);
        await writer.WriteTableAsync(manifest.Tables[0], Async([]), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteTableAsync(manifest.Tables[1], Async([]), CancellationToken.None));

        await using var old = ArchiveWriter.Create(new MemoryStream(), null);
        await Assert.ThrowsAsync<ArgumentException>(() => old.WriteManifestAsync(manifest with { FormatVersion = 3 }, CancellationToken.None));

        var json = Encoding.UTF8.GetString(ArchiveJson.SerializeManifest(manifest with { Incremental = null }));
        Assert.Contains("\"changed\": \"changed_at\"", json, StringComparison.Ordinal);
        var refused = Assert.Throws<ArchiveException>(() => ManifestCheck.Validate(ArchiveJson.DeserializeManifest(Encoding.UTF8.GetBytes(json))));
        Assert.Contains("names a changed-at column, but the archive is not incremental", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whole_archive_of_this_version_has_an_export_id_and_is_still_written_as_version_1()
    {
        Assert.Equal(1, ArchiveFormat.VersionFor(null, incremental: false));
        Assert.Equal(4, ArchiveFormat.VersionFor(null, incremental: true));
        Assert.Matches("^[0-9a-f]{32}$", ArchiveFormat.NewExportId());
        Assert.NotEqual(ArchiveFormat.NewExportId(), ArchiveFormat.NewExportId());
        Assert.Equal("2026-12-06T00:00:00.123000Z", ArchiveFormat.Instant(new DateTimeOffset(2026, 12, 6, 1, 0, 0, 123, TimeSpan.FromHours(1))));
    }

    private static async Task ReadAllKeysAsync(byte[] archive)
    {
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => null, Reading, CancellationToken.None);
        await reader.ReadToEndAsync(CancellationToken.None);
    }

    private static Dictionary<string, byte[]> Members(byte[] archive)
    {
        var members = new Dictionary<string, byte[]>();
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            members.Add(entry.Name, data.ToArray());
        }
        return members;
    }

    private static byte[] Rewrite(byte[] archive, string name, string content) =>
        Pack(Members(archive).Select(m => (m.Key, m.Key == name ? Encoding.UTF8.GetBytes(content) : m.Value)));

    private static byte[] Rename(byte[] archive, string name, string to) =>
        Pack(Members(archive).Select(m => (m.Key == name ? to : m.Key, m.Value)));

    private static byte[] Pack(IEnumerable<(string Name, byte[] Content)> members)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in members)
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }
        return output.ToArray();
    }
}
