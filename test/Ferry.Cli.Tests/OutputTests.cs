using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// stdout and stderr into files, appended files and pipes, through the real launcher and shell redirections:
/// every byte arrives, in order, after what was already there.
/// </summary>
public sealed class OutputTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-output-").FullName;
    private TestDb _source = null!;

    public async Task InitializeAsync() => _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Plan => $"./ferry plan --from '{_source.ConnectionString}' --root groups --ids 2";

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public async Task Output_into_a_file_the_shell_already_wrote_to_lands_after_it()
    {
        var run = await Shell.RunAsync($"{{ echo BEFORE; ./ferry --version; echo AFTER; }} > '{File("f")}'");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = (await System.IO.File.ReadAllTextAsync(File("f"))).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal(("BEFORE", "AFTER", ""), (lines[0], lines[2], lines[3]));
        Assert.Matches(@"^\d+\.\d+\.\d+", lines[1]);
    }

    [Fact]
    public async Task Two_runs_appending_to_one_log_keep_both()
    {
        var plan = await Shell.RunAsync(Plan);
        Assert.True(plan.ExitCode == 0, plan.Stderr);

        var run = await Shell.RunAsync($"echo FIRST > '{File("log")}' && {Plan} >> '{File("log")}' && {Plan} >> '{File("log")}' && echo LAST >> '{File("log")}'");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal($"FIRST\n{plan.StdoutText}{plan.StdoutText}LAST\n", await System.IO.File.ReadAllTextAsync(File("log")));
    }

    [Fact]
    public async Task A_pipe_gets_what_a_file_gets()
    {
        var run = await Shell.RunAsync($"{Plan} > '{File("direct")}' && {Plan} | cat > '{File("piped")}'");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(await System.IO.File.ReadAllTextAsync(File("direct")), await System.IO.File.ReadAllTextAsync(File("piped")));
    }

    [Fact]
    public async Task The_demo_into_one_file_with_stderr_keeps_every_line_in_order()
    {
        // stdout (plan, inspect) and stderr (everything else) share one file; then again, appended, into the same file.
        var demo = Path.Combine(_dir, "demo");
        Directory.CreateDirectory(demo);
        var ferry = Path.Combine(Shell.RepoRoot, "ferry");

        // No lines about steps still running (a busy machine may make one step of one run last 5 s): the runs must match line for line.
        // The launcher is built first: on a fresh checkout the first run would otherwise add "ferry: building (Release)...".
        var run = await Shell.RunAsync($"'{ferry}' --version > /dev/null && cd '{demo}' && '{ferry}' demo > log 2>&1 && '{ferry}' demo 2>&1 | cat > piped && '{ferry}' demo >> log 2>&1",
            new() { ["FERRY_PROGRESS_INTERVAL"] = "3600" });

        Assert.True(run.ExitCode == 0, run.Stderr);
        var log = (await System.IO.File.ReadAllTextAsync(Path.Combine(demo, "log"))).Split('\n');
        var piped = (await System.IO.File.ReadAllTextAsync(Path.Combine(demo, "piped"))).Split('\n');
        static string Shape(string line) => System.Text.RegularExpressions.Regex.Replace(line, @"[0-9][0-9.,:\- ]*", "#");
        // A log of another length names the lines one run printed and the piped run did not.
        Assert.True(2 * (piped.Length - 1) + 1 == log.Length,
            $"log has {log.Length} lines, expected {2 * (piped.Length - 1) + 1}; lines of the log the piped run lacks: " +
            string.Join(" | ", log.Where(l => !piped.Select(Shape).Contains(Shape(l), StringComparer.Ordinal)).Take(5)));
        // Line for line the same as through a pipe, but for timings.
        Assert.Equal(piped.Select(Shape), log.Take(piped.Length - 1).Append("").Select(Shape));
        Assert.Equal(piped.Select(Shape), log.Skip(piped.Length - 1).Select(Shape));
        // The plan (stdout) sits between the command that printed it and the next step (stderr).
        var planCommand = Array.FindIndex(log, l => l.StartsWith("$ ./ferry plan", StringComparison.Ordinal));
        var planHeader = Array.FindIndex(log, l => l.StartsWith("plan: groups 2", StringComparison.Ordinal));
        var export = Array.FindIndex(log, l => l.StartsWith("== Export it", StringComparison.Ordinal));
        Assert.True(planCommand >= 0 && planCommand < planHeader && planHeader < export, string.Join('\n', log.Take(40)));
    }
}
