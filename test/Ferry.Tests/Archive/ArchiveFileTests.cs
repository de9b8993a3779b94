using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Tests.Archive;

/// <summary>Format version 2: the file index and the contents after the data, verified against the trailer.</summary>
public sealed class ArchiveFileTests
{
    private static readonly byte[] Big = RandomNumberGenerator.GetBytes(3_000_000);
    private static readonly byte[] Small = "small file\n"u8.ToArray();

    private static readonly ManifestTable Places = ArchiveSamples.Table("places", ("id", FerryType.Int), ("photo", FerryType.Text));

    private static Manifest WithFiles() => ArchiveSamples.Manifest(Places) with { FormatVersion = ArchiveFormat.Version, Files = [new ManifestFileColumn("uploads", "places", "photo")] };

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static FileReference Reference(string path, byte[]? content) =>
        new("uploads", "places", "photo", path, content is null ? null : Sha(content), content?.Length);

    /// <summary>An archive with three references (one to a missing file) and two contents.</summary>
    private static async Task<byte[]> WriteAsync(char[]? password, ArchiveWriterOptions? options = null, Action<ArchiveWriter>? before = null)
    {
        using var output = new MemoryStream();
        await using (var writer = ArchiveWriter.Create(output, password, options))
        {
            await writer.WriteManifestAsync(WithFiles(), CancellationToken.None);
            await writer.WriteTableAsync(Places, ArchiveSamples.Async([[1L, "a/big.bin"], [2L, "small.txt"], [3L, "gone.jpg"]]), CancellationToken.None);
            await writer.WriteFileReferenceAsync(Reference("a/big.bin", Big), CancellationToken.None);
            await writer.WriteFileReferenceAsync(Reference("small.txt", Small), CancellationToken.None);
            await writer.WriteFileReferenceAsync(Reference("gone.jpg", null), CancellationToken.None);
            await writer.WriteFileAsync(Sha(Big), Big.Length, new MemoryStream(Big), CancellationToken.None);
            await writer.WriteFileAsync(Sha(Small), Small.Length, new MemoryStream(Small), CancellationToken.None);
            await writer.CompleteAsync(new Dictionary<string, IReadOnlyDictionary<string, long>>(), CancellationToken.None);
        }

        return output.ToArray();
    }

    private static async Task<(List<FileReference> Index, Dictionary<string, byte[]> Contents, Trailer Trailer)> ReadAsync(byte[] archive, char[]? password)
    {
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => password, ArchiveSamples.Reading, CancellationToken.None);
        await foreach (var _ in reader.ReadTableAsync(Places, CancellationToken.None))
        {
        }

        var index = new List<FileReference>();
        await foreach (var reference in reader.ReadFileIndexAsync(CancellationToken.None))
        {
            index.Add(reference);
        }

        var contents = new Dictionary<string, byte[]>();
        await reader.ReadFileContentsAsync(async (content, ct) =>
        {
            using var copy = new MemoryStream();
            // Small reads, as a slow consumer would do them.
            var buffer = new byte[7919];
            int n;
            while ((n = await content.Content.ReadAsync(buffer, ct)) > 0)
            {
                copy.Write(buffer, 0, n);
            }

            contents[content.Sha256] = copy.ToArray();
        }, CancellationToken.None);
        return (index, contents, await reader.VerifyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_index_longer_than_the_file_limit_is_refused()
    {
        var archive = await WriteAsync(null);
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => null, ArchiveSamples.Reading with { MaxFileReferences = 2 }, CancellationToken.None);
        await foreach (var _ in reader.ReadTableAsync(Places, CancellationToken.None))
        {
        }

        var e = await Assert.ThrowsAsync<ArchiveException>(async () =>
        {
            await foreach (var _ in reader.ReadFileIndexAsync(CancellationToken.None))
            {
            }
        });

        Assert.Equal("the archive's file index lists more than 2 files, the limit (--max-files): each is held in memory until the import commits", e.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Files_round_trip_after_the_data_and_are_listed_in_the_trailer(bool encrypt)
    {
        var password = encrypt ? ArchiveSamples.Password : null;

        var (index, contents, trailer) = await ReadAsync(await WriteAsync(password), password);

        Assert.Equal([Reference("a/big.bin", Big), Reference("small.txt", Small), Reference("gone.jpg", null)], index);
        Assert.Equal(Big, contents[Sha(Big)]);
        Assert.Equal(Small, contents[Sha(Small)]);
        Assert.Equal(
            ["files/index/000001.jsonl", $"files/sha256/{Sha(Big)}", $"files/sha256/{Sha(Small)}"],
            trailer.Files!.Select(f => f.Path));
        Assert.Equal([3L, 0, 0], trailer.Files!.Select(f => f.References));
        Assert.Equal(Big.Length, trailer.Files![1].Bytes);
    }

    [Fact]
    public async Task The_members_are_a_plain_tar_whose_contents_hash_to_their_names()
    {
        var tar = Gunzip(await WriteAsync(null));
        var names = new List<string>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name);
            if (entry.Name.StartsWith("files/sha256/", StringComparison.Ordinal))
            {
                Assert.Equal(entry.Name["files/sha256/".Length..], Convert.ToHexStringLower(SHA256.HashData(entry.DataStream!)));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, entry.Mode);
            }

            if (entry.Name == "files/index/000001.jsonl")
            {
                using var text = new StreamReader(entry.DataStream!);
                Assert.Equal(
                    $$"""{"store":"uploads","table":"places","column":"photo","path":"gone.jpg","sha256":null,"bytes":null}""",
                    text.ReadToEnd().Split('\n')[2]);
            }
        }

        Assert.Equal(["manifest.json", "data/0001-places/000001.jsonl", "files/index/000001.jsonl", $"files/sha256/{Sha(Big)}", $"files/sha256/{Sha(Small)}", "trailer.json"], names);
    }

    [Fact]
    public async Task The_index_is_split_into_chunks_like_the_data()
    {
        var (index, _, trailer) = await ReadAsync(await WriteAsync(null, new ArchiveWriterOptions(ChunkBytes: 100)), null);

        Assert.Equal(3, index.Count);
        Assert.Equal(["files/index/000001.jsonl", "files/index/000002.jsonl", "files/index/000003.jsonl"], trailer.Files!.Take(3).Select(f => f.Path));
    }

    [Fact]
    public async Task An_archive_without_files_is_version_1_and_says_nothing_of_files()
    {
        var manifest = ArchiveSamples.Manifest(Places) with { FormatVersion = ArchiveFormat.VersionWithoutFiles };
        var archive = await ArchiveSamples.WriteAsync(manifest, [ArchiveSamples.Async([[1L, "a.jpg"]])], null);

        var (read, _, trailer, _) = await ArchiveSamples.ReadAllAsync(archive, null);

        Assert.Equal(1, read.FormatVersion);
        Assert.Null(read.Files);
        Assert.Null(trailer.Files);
        var tar = Encoding.UTF8.GetString(Gunzip(archive));
        Assert.DoesNotContain("\"files\"", tar, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_that_skips_the_files_still_verifies_them()
    {
        var archive = await WriteAsync(ArchiveSamples.Password);

        var (_, _, trailer, _) = await ArchiveSamples.ReadAllAsync(archive, ArchiveSamples.Password);

        Assert.Equal(3, trailer.Files!.Count);
    }

    [Fact]
    public async Task A_changed_content_byte_is_detected()
    {
        var tar = Gunzip(await WriteAsync(null));
        var at = IndexOf(tar, Small);
        tar[at] ^= 1;

        var error = await Assert.ThrowsAsync<ArchiveException>(() => ReadAsync(Gzip(tar), null));

        Assert.Equal($"the archive is damaged or was altered: files/sha256/{Sha(Small)} does not match its SHA-256 digest", error.Message);
    }

    [Fact]
    public async Task A_changed_index_line_is_detected_by_the_trailer()
    {
        var tar = Gunzip(await WriteAsync(null));
        var at = IndexOf(tar, "\"path\":\"small.txt"u8.ToArray()) + 8;
        tar[at] = (byte)'S';

        var error = await Assert.ThrowsAsync<ArchiveException>(() => ReadAsync(Gzip(tar), null));

        Assert.Equal("the archive is damaged or was altered: files/index/000001.jsonl does not match its SHA-256 digest, size or reference count in the trailer", error.Message);
    }

    [Fact]
    public async Task Content_of_another_digest_than_announced_fails_the_writer()
    {
        using var output = new MemoryStream();
        await using var writer = ArchiveWriter.Create(output, null);
        await writer.WriteManifestAsync(WithFiles(), CancellationToken.None);
        await writer.WriteTableAsync(Places, ArchiveSamples.Async([]), CancellationToken.None);
        await writer.WriteFileReferenceAsync(Reference("small.txt", Small), CancellationToken.None);

        var changed = "SMALL FILE\n"u8.ToArray();
        await Assert.ThrowsAsync<InvalidDataException>(() => writer.WriteFileAsync(Sha(Small), Small.Length, new MemoryStream(changed), CancellationToken.None));
    }

    [Fact]
    public async Task Files_need_a_version_2_manifest_that_declares_their_column()
    {
        using var output = new MemoryStream();
        await using var writer = ArchiveWriter.Create(output, null);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteManifestAsync(WithFiles() with { FormatVersion = ArchiveFormat.VersionWithoutFiles }, CancellationToken.None));
        await writer.WriteManifestAsync(WithFiles(), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteFileReferenceAsync(Reference("a", Small), CancellationToken.None));
        await writer.WriteTableAsync(Places, ArchiveSamples.Async([]), CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            writer.WriteFileReferenceAsync(Reference("a", Small) with { Column = "id" }, CancellationToken.None));
    }

    [Theory]
    [InlineData("{id; DROP TABLE places}", "the manifest's file path template of places is invalid: unexpected ';'")]
    [InlineData("{nope % 10}/{id}", "the manifest's file path template of places uses nope, which is not a column of places")]
    public async Task A_derived_path_rule_with_a_bad_template_is_refused_as_damage(string template, string message)
    {
        using var output = new MemoryStream();
        await using (var writer = ArchiveWriter.Create(output, null))
        {
            await writer.WriteManifestAsync(ArchiveSamples.Manifest(Places) with
            {
                FormatVersion = ArchiveFormat.Version, Files = [new ManifestFileColumn("uploads", "places", null, template, [""])],
            }, CancellationToken.None);
            await writer.WriteTableAsync(Places, ArchiveSamples.Async([]), CancellationToken.None);
            await writer.CompleteAsync(new Dictionary<string, IReadOnlyDictionary<string, long>>(), CancellationToken.None);
        }

        var error = await Assert.ThrowsAsync<ArchiveException>(() => ReadAsync(output.ToArray(), null));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_lines_parse_back_and_malformed_ones_say_why()
    {
        Assert.Equal(Reference("Zoë/😀.jpg", Small), FileReference.Parse(Encoding.UTF8.GetBytes(
            $$"""{"store":"uploads","table":"places","column":"photo","path":"Zoë/😀.jpg","sha256":"{{Sha(Small)}}","bytes":{{Small.Length}}}""")));
        Assert.Equal("\"sha256\" must be 64 lower-case hex digits, or null with \"bytes\" null", Assert.Throws<FormatException>(() =>
            FileReference.Parse("""{"store":"u","table":"t","column":"c","path":"p","sha256":"ABC","bytes":1}"""u8)).Message);
        Assert.Equal("\"path\" must be a non-empty string", Assert.Throws<FormatException>(() =>
            FileReference.Parse("""{"store":"u","table":"t","column":"c","sha256":null,"bytes":null}"""u8)).Message);
        Assert.Equal("\"bytes\" must be a non-negative integer", Assert.Throws<FormatException>(() =>
            FileReference.Parse(Encoding.UTF8.GetBytes($$"""{"store":"u","table":"t","column":"c","path":"p","sha256":"{{Sha(Small)}}","bytes":-1}"""))).Message);
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static byte[] Gunzip(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    private static byte[] Gzip(byte[] tar)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar);
        }

        return output.ToArray();
    }
}
