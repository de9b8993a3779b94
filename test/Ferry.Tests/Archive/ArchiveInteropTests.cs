using System.Diagnostics;
using System.Text;
using Ferry.Archive;
using static Ferry.Tests.Archive.ArchiveSamples;

namespace Ferry.Tests.Archive;

/// <summary>
/// Archives read with standard tools, as docs/format.md promises. gpg and tar must be installed:
/// a missing tool fails these tests, it never skips them.
/// </summary>
public sealed class ArchiveInteropTests : IDisposable
{
    // Created with mode 0700, so it also serves as a private GNUPGHOME.
    private readonly string _directory = Directory.CreateTempSubdirectory("ferry-archive-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Gpg_decrypts_and_tar_lists_manifest_first_data_then_trailer_last()
    {
        var archive = await WriteSampleAsync(Password);
        var gnupgHome = _directory;
        var passwordFile = Path.Combine(_directory, "password");
        await File.WriteAllTextAsync(passwordFile, new string(Password) + "\n", new UTF8Encoding(false));
        var gpg = $"GNUPGHOME='{gnupgHome}' gpg --batch --quiet --pinentry-mode loopback --passphrase-file '{passwordFile}' -d '{archive}'";

        var listing = Lines(await RunAsync($"{gpg} | tar -t"));
        var line = await RunAsync($"{gpg} | tar -xO data/0002-b_c/000001.jsonl | head -n 1");
        var manifest = await RunAsync($"{gpg} | tar -xO manifest.json");

        AssertListing(listing);
        Assert.Equal("[0,\"name 0 ✓\",null]\n", line);
        Assert.Contains("\"format\": \"ferry-archive\"", manifest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tar_lists_an_unencrypted_archive_with_gzip()
    {
        var archive = await WriteSampleAsync(null);

        var listing = Lines(await RunAsync($"tar -tzf '{archive}'"));
        var line = await RunAsync($"tar -xzOf '{archive}' data/0001-a/000002.jsonl | head -n 1");

        AssertListing(listing);
        Assert.StartsWith("[", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zlib")]
    [InlineData("zip")] // gpg's default
    public async Task Ferry_reads_an_archive_that_gpg_encrypted_from_a_tar(string compression)
    {
        var archive = await WriteSampleAsync(null);
        var gnupgHome = _directory;
        var passwordFile = Path.Combine(_directory, "password");
        await File.WriteAllTextAsync(passwordFile, "gpg made this\n");
        var encrypted = Path.Combine(_directory, "by-gpg.gpg");
        // What a user could do by hand: re-pack the tar and encrypt it with AES-256.
        await RunAsync($"gzip -dc '{archive}' | GNUPGHOME='{gnupgHome}' gpg --batch --quiet --pinentry-mode loopback "
            + $"--passphrase-file '{passwordFile}' --symmetric --cipher-algo AES256 --compress-algo {compression} --force-mdc -o '{encrypted}'");

        var (_, tables, trailer, isEncrypted) = await ReadAllAsync(await File.ReadAllBytesAsync(encrypted), "gpg made this".ToCharArray());

        Assert.True(isEncrypted);
        Assert.Equal(1000, tables[0].Count);
        Assert.Equal(10, trailer.Tables[1].Rows);
    }

    private static void AssertListing(IReadOnlyList<string> listing)
    {
        Assert.Equal("manifest.json", listing[0]);
        Assert.Equal("trailer.json", listing[^1]);
        Assert.Contains("data/0001-a/000001.jsonl", listing);
        Assert.Contains("data/0001-a/000002.jsonl", listing);
        Assert.Equal("data/0002-b_c/000001.jsonl", listing[^2]);
    }

    private async Task<string> WriteSampleAsync(char[]? password)
    {
        var bytes = await WriteAsync(Manifest(Generated3("a"), Generated3("b c")), [Generated(1000), Generated(10)], password,
            new ArchiveWriterOptions(ChunkBytes: 8192));
        var path = Path.Combine(_directory, password is null ? "archive.tar.gz" : "archive.ferry");
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static async Task<string> RunAsync(string pipeline)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -o pipefail; " + pipeline])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"`{pipeline}` exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
