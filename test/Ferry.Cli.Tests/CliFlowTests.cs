using System.Diagnostics;
using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>Whole moves through the command line.</summary>
public sealed class CliFlowTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-cli-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Export_to_stdout_pipes_into_import_from_stdin()
    {
        var environment = new Dictionary<string, string> { ["FERRY_PASSWORD"] = "pipe-pass" };
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", "-"], environment: environment);
        Assert.Equal(0, export.ExitCode);
        Assert.DoesNotContain("password:", export.Stderr, StringComparison.Ordinal);

        var import = await CliRun.RunAsync(["import", "-", "--to", _target.ConnectionString, "--match", "users:email"], export.Stdout, environment);

        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Empty(import.Stdout);
        Assert.Equal("Import complete", import.Stderr.TrimEnd().Split('\n')[^1]);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }

    [Fact]
    public async Task A_generated_password_is_shown_once_and_opens_the_archive()
    {
        var archive = Path.Combine(_dir, "beta.tar.gpg");
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", archive]);
        Assert.Equal(0, export.ExitCode);
        var lines = export.Stderr.Split('\n');
        var password = Assert.Single(lines, l => l.StartsWith("password: ", StringComparison.Ordinal))["password: ".Length..].Trim();
        Assert.True(password.Length >= 22, "at least 128 bits of base64");
        Assert.Contains(lines, l => l.Contains("send it separately", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(archive));

        var inspect = await CliRun.RunAsync(["inspect", archive], environment: new() { ["FERRY_PASSWORD"] = password });

        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Contains("root:       groups 2", inspect.StdoutText, StringComparison.Ordinal);
        Assert.Contains("messages", inspect.StdoutText, StringComparison.Ordinal);
        Assert.Contains("verified", inspect.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_and_report_describe_the_import_without_writing()
    {
        var archive = Path.Combine(_dir, "beta.tar.gz");
        Assert.Equal(0, (await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", archive])).ExitCode);
        var before = await _target.DumpAsync();
        var report = Path.Combine(_dir, "report.json");

        var run = await CliRun.RunAsync(["import", archive, "--to", _target.ConnectionString, "--match", "users:email", "--dry-run", "--report", report, "--allow-plaintext"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("dry run", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await _target.DumpAsync());
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.True(json.RootElement.GetProperty("dryRun").GetBoolean());
        var users = json.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "users");
        Assert.Equal(1, users.GetProperty("matched").GetInt64());
        Assert.Equal(2, users.GetProperty("inserted").GetInt64());
    }

    [Fact]
    public async Task The_demo_runs_twice_through_the_launcher_and_gpg_reads_its_archive()
    {
        var root = RepositoryRoot();
        for (var i = 0; i < 2; i++)
        {
            var (code, _, stderr) = await RunProcessAsync(Path.Combine(root, "ferry"), "demo", _dir);
            Assert.True(code == 0, stderr);
            Assert.Contains("Import complete", stderr, StringComparison.Ordinal);
        }
        var demo = Path.Combine(_dir, "ferry-demo");
        // The demo's profile matches people by e-mail whatever its case: four of them, one written Person07@Example.org.
        using (var report = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(demo, "report.json"))))
        {
            var users = report.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "users");
            Assert.Equal(4, users.GetProperty("matched").GetInt64());
        }
        var gnupg = Directory.CreateTempSubdirectory("ferry-gnupg-").FullName;
        try
        {
            var (code, listing, stderr) = await RunProcessAsync("bash",
                $"-c \"GNUPGHOME={gnupg} gpg --batch --pinentry-mode loopback --passphrase-file password.txt -d city-gardeners.tar.gpg | tar -t\"", demo);
            Assert.True(code == 0, stderr);
            var members = listing.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("manifest.json", members[0]);
            Assert.Equal("trailer.json", members[^1]);
            Assert.Contains(members, m => m.StartsWith("data/", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(gnupg, recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunProcessAsync(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
