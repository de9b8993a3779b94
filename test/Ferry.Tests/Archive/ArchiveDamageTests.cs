using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Ferry.Archive;
using static Ferry.Tests.Archive.ArchiveSamples;

namespace Ferry.Tests.Archive;

public class ArchiveDamageTests
{
    private static readonly Lazy<Task<byte[]>> EncryptedArchive = new(() => Sample(Password));
    private static readonly Lazy<Task<byte[]>> PlainArchive = new(() => Sample(null));

    [Fact]
    public async Task A_wrong_password_is_refused_when_opening()
    {
        var bytes = await EncryptedArchive.Value;

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(bytes, "not the password".ToCharArray()));

        Assert.Equal("wrong password", e.Message);
    }

    [Fact]
    public async Task An_encrypted_archive_without_a_password_asks_for_one()
    {
        var bytes = await EncryptedArchive.Value;

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(bytes, null));

        Assert.Equal("the archive is encrypted: give --password-file F or set FERRY_PASSWORD", e.Message);
    }

    [Fact]
    public async Task A_plain_archive_never_asks_for_the_password()
    {
        var bytes = await PlainArchive.Value;
        using var input = new MemoryStream(bytes);

        await using var reader = await ArchiveReader.OpenAsync(input, () => throw new InvalidOperationException("asked"), Reading, CancellationToken.None);

        Assert.False(reader.Encrypted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    [InlineData(100_000)]
    public async Task Random_bytes_are_not_an_archive(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(bytes, Password));

        Assert.Matches(length == 0 ? "^the archive is empty$" : "^not a Ferry archive: the input is not an OpenPGP message \\(it starts with [0-9a-f]{2,4}\\)$", e.Message);
    }

    [Fact]
    public async Task A_gzip_file_that_is_not_a_ferry_tar_is_not_an_archive()
    {
        using var output = new MemoryStream();
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync("hello, not a tar"u8.ToArray());
        }

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(output.ToArray(), null));

        Assert.Equal("not a Ferry archive: the decompressed data is not a tar stream", e.Message);
    }

    [Theory]
    [InlineData(true, 0.10)]
    [InlineData(true, 0.50)]
    [InlineData(true, 0.90)]
    [InlineData(true, 0.99)]
    [InlineData(true, 1.0)]
    [InlineData(false, 0.10)]
    [InlineData(false, 0.50)]
    [InlineData(false, 0.90)]
    [InlineData(false, 0.99)]
    [InlineData(false, 1.0)]
    public async Task A_truncated_archive_is_never_accepted(bool encrypted, double fraction)
    {
        var bytes = await (encrypted ? EncryptedArchive : PlainArchive).Value;
        // 1.0 stands for "all but the last byte".
        var length = fraction >= 1.0 ? bytes.Length - 1 : (int)(bytes.Length * fraction);

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(bytes[..length], encrypted ? Password : null));

        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Flipping_any_single_byte_is_detected(bool encrypted)
    {
        var original = await (encrypted ? EncryptedArchive : PlainArchive).Value;
        var offsets = Enumerable.Range(0, 24).Select(i => (int)((long)i * (original.Length - 1) / 23))
            // gzip's MTIME, XFL and OS header bytes (4..9) are informational and covered by no check.
            .Select(o => !encrypted && o is >= 4 and <= 9 ? 10 : o)
            .Distinct()
            .ToList();

        var accepted = new List<int>();
        foreach (var offset in offsets)
        {
            var bytes = (byte[])original.Clone();
            bytes[offset] ^= 0xff;
            try
            {
                await ReadAllAsync(bytes, encrypted ? Password : null);
                accepted.Add(offset);
            }
            catch (ArchiveException e)
            {
                Assert.DoesNotContain('\n', e.Message);
            }
        }

        Assert.True(accepted.Count == 0, $"altered archives accepted (offsets {string.Join(", ", accepted)} of {original.Length})");
    }

    [Fact]
    public async Task Data_appended_after_the_archive_is_detected()
    {
        var bytes = (await PlainArchive.Value).Concat(new byte[] { 1, 2, 3 }).ToArray();

        await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(bytes, null));
    }

    [Fact]
    public async Task A_newer_format_version_is_refused_by_name()
    {
        var manifest = Encoding.UTF8.GetString(await ManifestJsonOf(await PlainArchive.Value)).Replace(
            "\"formatVersion\": 1", "\"formatVersion\": 5", StringComparison.Ordinal);
        Assert.Contains("\"formatVersion\": 5", manifest, StringComparison.Ordinal);
        using var output = new MemoryStream();
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) };
            await tar.WriteEntryAsync(entry);
        }

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(output.ToArray(), null));

        Assert.Equal("archive format version 5 is newer than this Ferry supports (4); use a newer Ferry to read it", e.Message);
    }

    [Fact]
    public async Task A_data_member_with_a_value_of_the_wrong_kind_names_member_and_line()
    {
        var table = Table("t", ("id", Ferry.Schema.FerryType.Int));
        using var output = new MemoryStream();
        await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            var manifest = await ManifestJsonOf(await WriteAsync(Manifest(table), [Async([])], null));
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(manifest) });
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, "data/0001-t/000001.jsonl")
            {
                DataStream = new MemoryStream("[1]\n[\"2\"]\n"u8.ToArray()),
            });
        }

        var e = await Assert.ThrowsAsync<ArchiveException>(() => ReadAllAsync(output.ToArray(), null));

        Assert.Equal("the archive is damaged or was altered: data/0001-t/000001.jsonl line 2: column id (int) holds an invalid string value", e.Message);
    }

    private static async Task<byte[]> ManifestJsonOf(byte[] plainArchive)
    {
        using var input = new MemoryStream(plainArchive);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        var entry = (await tar.GetNextEntryAsync())!;
        using var json = new MemoryStream();
        await entry.DataStream!.CopyToAsync(json);
        return json.ToArray();
    }

    private static Task<byte[]> Sample(char[]? password) =>
        WriteAsync(Manifest(Generated3("a"), Generated3("b")), [Generated(3000), Generated(500)], password,
            new ArchiveWriterOptions(ChunkBytes: 4096));
}
