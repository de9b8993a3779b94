using System.Text.RegularExpressions;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Progress: a terminal gets bars with rows/s and the time left; a log gets a line for every step still running
/// each FERRY_PROGRESS_INTERVAL seconds (rows done, rows/s, elapsed), not only when the step ends.
/// </summary>
public sealed class ProgressTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-progress-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        // Enough messages in the tenant that exporting, staging and inserting them each take a good fraction of a second.
        await _source.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 300100)
            INSERT INTO messages (id, conversation_id, author_id, body) SELECT i, '{CommunityFixture.Uuid1}', 1, hex(randomblob(24)) FROM n;
            """);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static readonly Dictionary<string, string> Environment = new() { ["FERRY_PASSWORD"] = "progress-pass", ["FERRY_PROGRESS_INTERVAL"] = "0.05" };

    [Fact]
    public async Task A_log_gets_lines_while_long_steps_run()
    {
        var archive = Path.Combine(_dir, "beta.tar.gpg");

        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", archive], environment: Environment);
        var import = await CliRun.RunAsync(["import", archive, "--to", _target.ConnectionString, "--match", "users:email"], environment: Environment);

        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(import.ExitCode == 0, import.Stderr);
        // While running: "export messages: 120,000 of 300,004 rows, 410,000 rows/s, 0.3 s elapsed".
        Assert.Matches(new Regex(@"^export messages: [\d,]+ of 300,004 rows, [\d,]+ rows/s, [\d.]+ s elapsed$", RegexOptions.Multiline), export.Stderr);
        Assert.Matches(new Regex(@"^export messages: 300,004 rows in [\d.]+ s$", RegexOptions.Multiline), export.Stderr);
        // The archive's bytes give import a rate; staging counts rows; one-statement steps say they are running.
        Assert.Matches(new Regex(@"^read archive: [\d.,]+ of [\d.,]+ MB, [\d.,]+ MB/s, [\d.]+ s elapsed$", RegexOptions.Multiline), import.Stderr);
        Assert.Matches(new Regex(@"^stage messages: [\d,]+ rows, [\d,]+ rows/s, [\d.]+ s elapsed$", RegexOptions.Multiline), import.Stderr);
        Assert.Matches(new Regex(@"^stage messages: 300,004 rows in [\d.]+ s$", RegexOptions.Multiline), import.Stderr);
        // Reading the archive ends with its last byte, before the inserts: its line comes once, before theirs.
        var lines = import.Stderr.Split('\n');
        var read = Array.FindIndex(lines, l => Regex.IsMatch(l, @"^read archive: [\d.,]+ MB in [\d.]+ s$"));
        Assert.True(read >= 0 && read < Array.FindIndex(lines, l => l.StartsWith("insert messages: ", StringComparison.Ordinal)), import.Stderr);
        Assert.DoesNotContain(lines[read..], l => l.StartsWith("read archive: ", StringComparison.Ordinal) && l.Contains("elapsed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_interval_passed_a_log_gets_one_line_per_step()
    {
        var archive = Path.Combine(_dir, "beta.tar.gpg");

        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", archive],
            environment: new() { ["FERRY_PASSWORD"] = "progress-pass", ["FERRY_PROGRESS_INTERVAL"] = "3600" });

        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Single(export.Stderr.Split('\n'), l => l.StartsWith("export messages:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_terminal_gets_bars_with_rows_per_second_and_the_time_left()
    {
        var archive = Path.Combine(_dir, "beta.tar.gpg");

        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", archive],
            environment: Environment, errorIsTerminal: true);

        Assert.True(export.ExitCode == 0, export.Stderr);
        var screen = Regex.Replace(export.Stderr, @"\x1b\[[0-9;?]*[A-Za-z]", "");
        Assert.Matches(@"export messages\s.*━.*100%\s+300,004 rows, [\d,]+ rows/s", screen);
        Assert.Matches(@"ETA \d+:\d\d", screen);
        Assert.DoesNotContain("export messages: ", screen, StringComparison.Ordinal);
    }
}
