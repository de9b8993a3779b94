using System.Diagnostics;
using Ferry.IO;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>-o</c>, <c>--report</c> and <c>--log-file</c> write only regular files: a device, a named pipe, a
/// directory or a link to any of them is refused with one error line, with or without <c>--force</c>,
/// and left as it was (issue 11: as root, <c>-o /dev/null --force</c> turned the device into a file).
/// </summary>
public sealed class OutputPathTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-output-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, "s3cret-pass\n");
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<CliRun> ExportAsync(string output, params string[] extra) =>
        CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", output, "--password-file", _passwordFile, .. extra]);

    /// <summary>Makes a node of <paramref name="kind"/> in the test's directory; a character device needs root (mknod c 1 3 is a private /dev/null).</summary>
    private string Make(string kind)
    {
        var path = Path.Combine(_dir, kind);
        switch (kind)
        {
            case "chardev":
                Run("mknod", path, "c", "1", "3");
                break;
            case "fifo":
                Run("mkfifo", path);
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "link-to-chardev":
                File.CreateSymbolicLink(path, Make("chardev"));
                break;
            case "dangling-link":
                File.CreateSymbolicLink(path, Path.Combine(_dir, "nowhere", "x"));
                break;
            default:
                throw new ArgumentException(kind);
        }
        return path;
    }

    private static void Run(string tool, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, args) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()} (these tests run as root)");
    }

    private IReadOnlyList<string> Partials() => Directory.GetFiles(_dir, "*.partial", SearchOption.AllDirectories);

    [Theory]
    [InlineData("chardev", FileKind.CharacterDevice, "is a character device, not a regular file")]
    [InlineData("fifo", FileKind.NamedPipe, "is a named pipe, not a regular file")]
    [InlineData("directory", FileKind.Directory, "is a directory")]
    [InlineData("link-to-chardev", FileKind.SymbolicLink, "is a symbolic link to a character device")]
    [InlineData("dangling-link", FileKind.SymbolicLink, "is a symbolic link to nothing")]
    public async Task Export_refuses_an_output_that_is_not_a_regular_file_even_with_force(string kind, FileKind expected, string message)
    {
        var path = Make(kind);

        var plain = await ExportAsync(path);
        var forced = await ExportAsync(path, "--force");

        plain.AssertFails(ExitCodes.Failure, message);
        forced.AssertFails(ExitCodes.Failure, message);
        Assert.Equal(expected, FileKinds.Of(path));
        Assert.Empty(Partials());
        Assert.Empty(forced.Stdout);
    }

    [Fact]
    public async Task The_device_hint_says_how_to_write_into_one()
    {
        var run = await ExportAsync(Make("chardev"), "--force");

        run.AssertFails(ExitCodes.Failure, "use -o - and redirect stdout");
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of(Path.Combine(_dir, "chardev")));
    }

    [Fact]
    public async Task A_link_to_a_regular_file_is_written_through_and_stays_a_link()
    {
        var real = Path.Combine(_dir, "real.tar.gpg");
        await File.WriteAllTextAsync(real, "old");
        var link = Path.Combine(_dir, "link.tar.gpg");
        File.CreateSymbolicLink(link, real);

        var without = await ExportAsync(link);
        var forced = await ExportAsync(link, "--force");

        without.AssertFails(ExitCodes.Failure, "already exists; use --force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
        Assert.Equal(FileKind.Regular, FileKinds.Of(real));
        Assert.NotEqual("old", await File.ReadAllTextAsync(real));
        Assert.Contains($"→ {link} (", forced.Stderr, StringComparison.Ordinal);
        Assert.Empty(Partials());
        var import = await CliRun.RunAsync(["inspect", link, "--password-file", _passwordFile]);
        Assert.True(import.ExitCode == 0, import.Stderr);
    }

    [Theory]
    [InlineData("chardev", "--report '")]
    [InlineData("fifo", "--report '")]
    [InlineData("directory", "--report '")]
    public async Task Import_refuses_a_report_path_that_is_not_a_regular_file_before_it_writes(string kind, string message)
    {
        var archive = Path.Combine(_dir, "beta.tar.gpg");
        Assert.Equal(0, (await ExportAsync(archive)).ExitCode);
        var path = Make(kind);
        var before = await _target.DumpAsync();

        var run = await CliRun.RunAsync(["import", archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", "--report", path]);

        run.AssertFails(ExitCodes.Failure, message);
        Assert.Equal(before, await _target.DumpAsync());
        Assert.Empty(Partials());
    }

    [Fact]
    public async Task Serve_refuses_a_log_file_that_is_a_named_pipe()
    {
        var token = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(token, "a-token-of-at-least-16-chars\n");
        var fifo = Make("fifo");

        var run = await CliRun.RunAsync(["serve", "--to", _target.ConnectionString, "--listen", "127.0.0.1:9", "--token-file", token, "--allow", "127.0.0.1",
            "--state-dir", Path.Combine(_dir, "state"), "--log-file", fifo]).WaitAsync(TimeSpan.FromSeconds(60));

        run.AssertFails(ExitCodes.Failure, "--log-file '");
        Assert.Contains("is a named pipe", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")));
    }
}
