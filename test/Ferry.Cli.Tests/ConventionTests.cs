using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>What users of command-line tools expect: help, exit codes, suggestions, --quiet, -v, --debug, JSON for scripts.</summary>
public sealed class ConventionTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-conventions-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, "conventions-pass\n");
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    private async Task ExportAsync()
    {
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile]);
        Assert.True(export.ExitCode == 0, export.Stderr);
    }

    [Fact]
    public async Task Ferry_alone_prints_the_help_with_every_exit_code_on_stdout()
    {
        var run = await CliRun.RunAsync([]);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal((await CliRun.RunAsync(["--help"])).StdoutText, run.StdoutText);
        foreach (var command in new[] { "export", "import", "forget", "plan", "inspect", "serve", "push", "demo", "help", "completion" })
        {
            Assert.Contains($"  {command}", run.StdoutText, StringComparison.Ordinal);
        }
        foreach (var code in new[] { 0, 1, 2, 3, 4 })
        {
            Assert.Contains($"\n  {code}  ", run.StdoutText, StringComparison.Ordinal);
        }
        Assert.Contains("FERRY_TO_PASSWORD", run.StdoutText, StringComparison.Ordinal);
        Assert.Contains("PGSERVICE", run.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain("complete ", run.StdoutText.Replace("completion", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "exprt" }, "unknown command or argument 'exprt' (did you mean export?)")]
    [InlineData(new[] { "import", "a.tar.gpg", "--to", "sqlite:x.db", "--dry-rn" }, "unknown option '--dry-rn' (did you mean --dry-run?)")]
    [InlineData(new[] { "export", "--frm", "sqlite:x.db" }, "unknown option '--frm' (did you mean --from?)")]
    [InlineData(new[] { "plan", "--quite" }, "unknown option '--quite' (did you mean --quiet?)")]
    [InlineData(new[] { "help", "imprt" }, "no command 'imprt' (did you mean import?)")]
    public async Task A_typo_gets_a_suggestion_on_one_error_line(string[] args, string text)
    {
        var run = await CliRun.RunAsync(args);

        run.AssertFails(ExitCodes.Usage, text);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task A_word_far_from_every_command_gets_no_suggestion()
    {
        var run = await CliRun.RunAsync(["xyzzyplugh"]);

        run.AssertFails(ExitCodes.Usage, "unknown command or argument 'xyzzyplugh'");
        Assert.DoesNotContain("did you mean", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("import")]
    [InlineData("export")]
    [InlineData("serve")]
    public async Task Help_COMMAND_is_the_commands_help(string command)
    {
        var help = await CliRun.RunAsync(["help", command]);
        var option = await CliRun.RunAsync([command, "--help"]);

        Assert.Equal(0, help.ExitCode);
        Assert.Equal(option.StdoutText, help.StdoutText);
        Assert.Contains($"ferry {command}", help.StdoutText, StringComparison.Ordinal);
        Assert.Contains("--quiet", help.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_man_page_is_written_from_the_same_definitions()
    {
        var run = await CliRun.RunAsync(["help", "--man"]);

        Assert.Equal(0, run.ExitCode);
        var page = run.StdoutText;
        Assert.StartsWith(".TH FERRY 1 ", page, StringComparison.Ordinal);
        foreach (var section in new[] { ".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS", ".SH EXIT STATUS", ".SH ENVIRONMENT" })
        {
            Assert.Contains(section, page, StringComparison.Ordinal);
        }
        Assert.Contains(".SS \"ferry import ARCHIVE [OPTIONS]\"", page, StringComparison.Ordinal);
        Assert.Contains("\\fB\\-\\-to\\-password\\-file\\fR", page, StringComparison.Ordinal);
        Assert.Contains(".B 4", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ferry complete ", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ferry imp", "import")]
    [InlineData("./ferry import archive --dr", "--dry-run")]
    [InlineData("ferry inspect a --format ", "json")]
    [InlineData("ferry help ser", "serve")]
    [InlineData("ferry completion z", "zsh")]
    public async Task Completions_come_from_the_command_definitions(string line, string expected)
    {
        var run = await CliRun.RunAsync(["complete", line]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(expected, run.StdoutText.Split('\n'));
    }

    [Theory]
    [InlineData("bash", "complete -o default -F _ferry_complete ferry")]
    [InlineData("zsh", "bashcompinit")]
    [InlineData("fish", "complete -c ferry")]
    public async Task Completion_scripts_ask_ferry_complete(string shell, string text)
    {
        var run = await CliRun.RunAsync(["completion", shell]);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(text, run.StdoutText, StringComparison.Ordinal);
        Assert.Contains("complete --position", run.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_bash_completion_script_completes_in_bash()
    {
        // The script is sourced into a real bash, which calls the real launcher as the user's shell would.
        var script = """
            eval "$(./ferry completion bash)"
            COMP_LINE='./ferry import x --to sqlite:t.db --dry'; COMP_POINT=${#COMP_LINE}
            COMP_WORDS=(./ferry import x --to sqlite:t.db --dry); COMP_CWORD=5
            _ferry_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """;

        var run = await Shell.RunAsync(script);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["--dry-run"], run.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Quiet_prints_nothing_but_errors()
    {
        await ExportAsync();

        var quiet = await CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", "-q"]);
        Assert.True(quiet.ExitCode == 0, quiet.Stderr);
        Assert.Empty(quiet.Stderr);

        var again = await CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", "--quiet"]);
        again.AssertFails(ExitCodes.Conflicts, "conflict(s) with rows in the target");
        Assert.Single(again.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Verbose_says_which_database_and_the_causes_of_a_failure_and_debug_adds_the_stack_trace()
    {
        await ExportAsync();
        var verbose = await CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", "--dry-run", "-v"]);
        Assert.True(verbose.ExitCode == 0, verbose.Stderr);
        Assert.Contains($"target: {_target.ConnectionString}", verbose.Stderr, StringComparison.Ordinal);

        string[] unreachable = ["plan", "--from", "postgres://nobody@127.0.0.1:1/db", "--root", "groups", "--ids", "2"];
        var normal = await CliRun.RunAsync(unreachable);
        var detailed = await CliRun.RunAsync([.. unreachable, "--verbose"]);
        var debug = await CliRun.RunAsync([.. unreachable, "--debug"]);

        normal.AssertFails(ExitCodes.Failure, "cannot connect to PostgreSQL at 127.0.0.1:1");
        Assert.Single(normal.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("cause: ", detailed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", detailed.Stderr, StringComparison.Ordinal);
        Assert.Contains("   at ", debug.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("error: cannot connect", debug.Stderr.TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quiet_and_verbose_contradict()
    {
        (await CliRun.RunAsync(["plan", "--from", "sqlite:x.db", "--ids", "1", "-q", "-v"])).AssertFails(ExitCodes.Usage, "--quiet and --verbose");
    }

    [Theory]
    [InlineData("import")]
    [InlineData("inspect")]
    [InlineData("push")]
    public async Task An_archive_from_a_terminal_is_refused_instead_of_waiting(string command)
    {
        var before = await _target.DumpAsync();
        string[] args = command switch
        {
            "import" => ["import", "-", "--to", _target.ConnectionString],
            "push" => ["push", "-", "--url", "https://127.0.0.1:1", "--token-file", _passwordFile],
            _ => ["inspect", "-"],
        };

        var run = await CliRun.RunAsync(args, inIsTerminal: true);

        run.AssertFails(ExitCodes.Usage, $"{command} -: stdin is a terminal");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Inspect_format_json_describes_the_archive_for_scripts()
    {
        await ExportAsync();

        var run = await CliRun.RunAsync(["inspect", Archive, "--password-file", _passwordFile, "--format", "json"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("encrypted").GetBoolean());
        Assert.True(root.GetProperty("verified").GetBoolean());
        Assert.Equal("groups", root.GetProperty("root").GetProperty("table").GetString());
        Assert.Equal("2", root.GetProperty("root").GetProperty("ids")[0].GetString());
        Assert.Equal("sqlite", root.GetProperty("source").GetProperty("engine").GetString());
        var tables = root.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("rows").GetInt64());
        Assert.Equal(1, tables["groups"]);
        Assert.Equal(tables.Values.Sum(), root.GetProperty("totalRows").GetInt64());
        var text = await CliRun.RunAsync(["inspect", Archive, "--password-file", _passwordFile]);
        Assert.Contains($"total", text.StdoutText, StringComparison.Ordinal);
        Assert.Contains($"{tables.Values.Sum():N0}", text.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_refuses_an_unknown_format()
    {
        (await CliRun.RunAsync(["inspect", "x", "--format", "yaml"])).AssertFails(ExitCodes.Usage, "yaml");
    }

    [Theory]
    [InlineData(true, "x.tar.gpg", "named like an encrypted archive")]
    [InlineData(true, "x.pgp", "named like an encrypted archive")]
    [InlineData(false, "x.tar.gz", "named like a plain .tar.gz")]
    public async Task An_archive_name_that_lies_about_encryption_is_refused(bool noEncrypt, string name, string text)
    {
        var output = Path.Combine(_dir, name);
        string[] args = ["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", output];

        var run = await CliRun.RunAsync(noEncrypt ? [.. args, "--no-encrypt"] : [.. args, "--password-file", _passwordFile]);

        run.AssertFails(ExitCodes.Usage, text);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Connection_strings_may_come_from_FERRY_FROM_and_FERRY_TO()
    {
        var environment = new Dictionary<string, string>
        {
            ["FERRY_FROM"] = _source.ConnectionString, ["FERRY_TO"] = _target.ConnectionString, ["FERRY_PASSWORD"] = "env-pass",
        };
        var export = await CliRun.RunAsync(["export", "--root", "groups", "--ids", "2", "-o", Archive], environment: environment);
        Assert.True(export.ExitCode == 0, export.Stderr);

        var import = await CliRun.RunAsync(["import", Archive, "--match", "users:email"], environment: environment);

        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }

    [Theory]
    [InlineData("export", "--from is required (or the FERRY_FROM environment variable)")]
    [InlineData("import", "--to is required (or the FERRY_TO environment variable)")]
    public async Task Without_the_option_or_its_variable_the_database_is_a_usage_error(string command, string text)
    {
        await ExportAsync();
        string[] args = command == "export"
            ? ["export", "--root", "groups", "--ids", "2", "-o", Path.Combine(_dir, "other.tar.gpg"), "--password-file", _passwordFile]
            : ["import", Archive, "--password-file", _passwordFile];

        (await CliRun.RunAsync(args)).AssertFails(ExitCodes.Usage, text);
    }

    [Fact]
    public async Task A_missing_database_password_file_is_named()
    {
        var before = await _target.DumpAsync();
        await ExportAsync();

        var run = await CliRun.RunAsync(["import", Archive, "--to", "postgres://app@127.0.0.1:1/app", "--to-password-file", Path.Combine(_dir, "nope"), "--password-file", _passwordFile]);

        run.AssertFails(ExitCodes.Failure, $"password file '{Path.Combine(_dir, "nope")}' does not exist");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task A_database_password_file_for_sqlite_is_a_usage_error()
    {
        var run = await CliRun.RunAsync(["plan", "--from", _source.ConnectionString, "--from-password-file", _passwordFile, "--root", "groups", "--ids", "2"]);

        run.AssertFails(ExitCodes.Usage, "--from-password-file");
    }
}
