using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>import --report</c>: its path is checked before the target is touched; once the import is committed a
/// report that cannot be written is a warning (exit 0, the report on stderr); <c>--report -</c> writes it to stdout.
/// </summary>
public sealed class ReportTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-report-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, "report-pass\n");
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile]);
        Assert.True(export.ExitCode == 0, export.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    private string[] Import(params string[] extra) =>
        ["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", .. extra];

    [Theory]
    [InlineData("missing/report.json", "does not exist")]
    [InlineData("password/report.json", "does not exist")]
    [InlineData(".", "is a directory")]
    public async Task A_report_path_that_cannot_be_written_fails_before_the_target_is_touched(string relative, string text)
    {
        var before = await _target.DumpAsync();

        var run = await CliRun.RunAsync(Import("--report", Path.Combine(_dir, relative)));

        run.AssertFails(ExitCodes.Failure, text);
        Assert.Equal(before, await _target.DumpAsync());
        Assert.DoesNotContain("stage", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_report_file_is_written_complete_and_private_with_nothing_left_beside_it()
    {
        var path = Path.Combine(_dir, "report.json");

        var run = await CliRun.RunAsync(Import("--report", path));

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
        Assert.Equal("imported", json.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.DoesNotContain(Directory.GetFiles(_dir), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_dash_writes_the_json_to_stdout_and_the_human_report_to_stderr()
    {
        var run = await CliRun.RunAsync(Import("--report", "-"));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.False(File.Exists("-"));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("imported", json.RootElement.GetProperty("outcome").GetString());
        Assert.Contains("Import complete", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("{", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_dash_with_conflicts_writes_them_to_stdout_and_exits_3()
    {
        Assert.Equal(0, (await CliRun.RunAsync(Import())).ExitCode);

        var run = await CliRun.RunAsync(Import("--report", "-"));

        run.AssertFails(ExitCodes.Conflicts, "conflict(s)");
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("conflicts", json.RootElement.GetProperty("outcome").GetString());
        Assert.True(json.RootElement.GetProperty("conflictCount").GetInt64() > 0);
    }

    [Theory]
    [InlineData("> /dev/full")]
    [InlineData(">&-")]
    public async Task A_committed_import_whose_report_cannot_be_written_warns_and_exits_0(string redirect)
    {
        // stdout that fails every write (ENOSPC, or closed): the report is lost only after the commit.
        var run = await Shell.RunAsync(
            $"./ferry import '{Archive}' --to '{_target.ConnectionString}' --password-file '{_passwordFile}' --match users:email --report - {redirect}");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
        Assert.Contains("warning: could not write the report to stdout", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("the import was committed; the report follows", run.Stderr, StringComparison.Ordinal);
        var json = run.Stderr[run.Stderr.IndexOf("\n{", StringComparison.Ordinal)..];
        using var report = JsonDocument.Parse(json);
        Assert.Equal("imported", report.RootElement.GetProperty("outcome").GetString());
        Assert.DoesNotContain("error:", run.Stderr, StringComparison.Ordinal);
    }
}
