using System.Diagnostics;
using System.Security.Cryptography;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// A real <c>./ferry</c> killed with SIGKILL mid-write leaves its temporary files; the next run removes them
/// and says so, and never removes those of a run that is still writing (issue 11, point 6).
/// </summary>
public sealed class LeftoverTests : IAsyncLifetime
{
    private const string Password = "leftover-pass";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-leftover-").FullName;
    private readonly List<Process> _processes = [];
    private TestDb _source = null!;
    private string _passwordFile = null!;

    private string Output => Path.Combine(_dir, "out.tar.gpg");

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, Password + "\n");
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
        await _source.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string[] Partials(string dir, string pattern) => Directory.GetFiles(dir, pattern);

    /// <summary>Starts <c>./ferry ARGS</c> (the launcher execs the CLI, so this is the process that writes), then SIGKILLs it once <paramref name="writing"/> returns a file that has data.</summary>
    private async Task<string> KillWhileWritingAsync(string[] args, Func<string[]> writing)
    {
        var start = new ProcessStartInfo(Path.Combine(Shell.RepoRoot, "ferry"), args) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["FERRY_PASSWORD"] = Password;
        var process = Process.Start(start)!;
        _processes.Add(process);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        // The first run of ./ferry may build the CLI.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(4))
        {
            if (writing().FirstOrDefault(f => new FileInfo(f).Length > 0) is { } file)
            {
                process.Kill();
                await process.WaitForExitAsync();
                Assert.Equal(137, process.ExitCode);
                return file;
            }
            if (process.HasExited)
            {
                Assert.Fail($"ferry ended before it was killed:\n{await stderr}");
            }
            await Task.Delay(10);
        }
        throw new TimeoutException("ferry never started writing");
    }

    private async Task AddBigNotesAsync(int megabytes)
    {
        // Incompressible, so that the archive is large and the export is still writing when it is killed.
        await _source.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {megabytes})
            INSERT INTO notes (id, group_id, payload) SELECT 1000 + i, 2, randomblob(1048576) FROM n;
            """);
    }

    [Fact]
    public async Task An_export_killed_mid_write_leaves_a_partial_file_that_the_next_export_removes()
    {
        await AddBigNotesAsync(48);

        var partial = await KillWhileWritingAsync(
            ["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Output, "--password-file", _passwordFile],
            () => Partials(_dir, ".out.tar.gpg.*.partial"));

        Assert.True(File.Exists(partial));
        Assert.False(File.Exists(Output));
        var again = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Output, "--password-file", _passwordFile]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"removed {partial} (", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("left by an earlier run that was interrupted", again.Stderr, StringComparison.Ordinal);
        Assert.Empty(Partials(_dir, "*.partial"));
        Assert.True(new FileInfo(Output).Length > 48 << 20);
    }

    [Fact]
    public async Task A_partial_file_that_another_process_holds_is_left_alone()
    {
        var held = Path.Combine(_dir, $".out.tar.gpg.{Guid.NewGuid():N}.partial");
        var abandoned = Path.Combine(_dir, $".out.tar.gpg.{Guid.NewGuid():N}.partial");
        var other = Path.Combine(_dir, $".other.tar.gpg.{Guid.NewGuid():N}.partial");
        foreach (var file in new[] { held, abandoned, other })
        {
            await File.WriteAllTextAsync(file, "partial");
        }
        // Another process holds it as a running export does (flock LOCK_EX, which .NET takes for FileShare.None).
        using var holder = Process.Start("flock", ["-x", held, "sleep", "60"]);
        await Task.Delay(300);

        var run = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Output, "--password-file", _passwordFile]);

        holder.Kill();
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.True(File.Exists(held));
        Assert.Contains($"left {held} alone", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(abandoned));
        // Another name's temporary files are not this export's business.
        Assert.True(File.Exists(other));
    }

    [Fact]
    public async Task An_import_with_files_killed_mid_write_leaves_temporary_files_that_the_next_import_removes()
    {
        const string schema = """
            CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE places (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id), name TEXT NOT NULL, photo TEXT);
            """;
        await using var source = await TestDb.CreateAsync("sqlite", _ => schema, _ => "INSERT INTO groups VALUES (2, 'two'); INSERT INTO places VALUES (1, 2, 'Hall', 'big.bin');");
        await using var target = await TestDb.CreateAsync("sqlite", _ => schema, _ => "INSERT INTO groups VALUES (1, 'one');");
        var sourceStore = Directory.CreateDirectory(Path.Combine(_dir, "source-uploads")).FullName;
        var targetStore = Directory.CreateDirectory(Path.Combine(_dir, "target-uploads")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(sourceStore, "big.bin"), RandomNumberGenerator.GetBytes(64 << 20));
        var profile = Path.Combine(_dir, "app.yaml");
        await File.WriteAllTextAsync(profile, "root: groups\nfiles:\n  - {store: uploads, table: places, column: photo, missing: fail}\n");
        var archive = Path.Combine(_dir, "files.tar.gpg");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--ids", "2", "-o", archive, "--password-file", _passwordFile,
            "--profile", profile, "--files", $"uploads={sourceStore}"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = await target.DumpAsync();
        string[] import = ["import", archive, "--to", target.ConnectionString, "--password-file", _passwordFile, "--profile", profile, "--files", $"uploads={targetStore}"];
        var imported = Path.Combine(targetStore, "imported");

        var partial = await KillWhileWritingAsync(import, () => Directory.Exists(imported) ? Partials(imported, ".ferry-*.partial") : []);

        Assert.True(File.Exists(partial));
        Assert.Single(Partials(imported, ".ferry-*.lock"));
        Assert.Equal(before, await target.DumpAsync());
        var again = await CliRun.RunAsync(import);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains($"from {imported}, left by an earlier import that was interrupted", again.Stderr, StringComparison.Ordinal);
        Assert.Matches("removed 1 temporary file\\(s\\) \\([0-9,]+ bytes\\)", again.Stderr);
        var left = Directory.GetFiles(imported).Select(Path.GetFileName).ToList();
        var photo = Assert.Single(left);
        Assert.Equal($"imported/{photo}", await target.ScalarAsync("SELECT photo FROM places WHERE name = 'Hall'"));
    }
}
