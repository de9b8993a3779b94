using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary><c>--profile</c> on import and serve: target checks and requirements run before anything is written.</summary>
public sealed class ProfileImportTests : IAsyncLifetime
{
    private const string Password = "profile-pass";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-profile-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;
    private string _passwordFile = null!;

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, Password + "\n");
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile]);
        Assert.True(export.ExitCode == 0, export.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Profile(string yaml)
    {
        var path = Path.Combine(_dir, "community.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private Task<CliRun> ImportAsync(params string[] extra) =>
        CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", .. extra]);

    [Fact]
    public async Task A_failing_target_requirement_leaves_the_target_unchanged()
    {
        var before = await _target.DumpAsync();
        var profile = Profile("""
            requires:
              - {on: source, sql: "SELECT 0", message: "not checked on import"}
              - {on: target, sql: "SELECT COUNT(*) = 0 FROM groups", message: "the target must have no groups yet"}
            """);

        var run = await ImportAsync("--profile", profile);

        run.AssertFails(ExitCodes.Failure, "the target must have no groups yet (profile community.yaml:3)");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task A_passing_target_requirement_lets_the_import_run()
    {
        var profile = Profile("requires:\n  - {on: target, sql: \"SELECT COUNT(*) > 0 FROM users\", message: m}\n");

        var run = await ImportAsync("--profile", profile);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }

    [Theory]
    [InlineData("identities:\n  - {table: members, key: email}\n", "profile community.yaml:2: unknown table members: the target has no table of that name")]
    [InlineData("conflicts:\n  - {table: groups, key: name, action: reuse}\n", "profile community.yaml:2: (name) is not a unique key of groups")]
    public async Task Profile_mistakes_against_the_target_are_usage_errors(string yaml, string text)
    {
        var before = await _target.DumpAsync();

        var run = await ImportAsync("--profile", Profile(yaml));

        run.AssertFails(ExitCodes.Usage, text);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData(new[] { "--map", "users" }, "--map 'users': expected TABLE=FILE")]
    [InlineData(new[] { "--map", "=x.csv" }, "--map '=x.csv': expected TABLE=FILE")]
    [InlineData(new[] { "--files", "photos=" }, "--files 'photos=': expected NAME=DIR")]
    [InlineData(new[] { "--profile", "/nonexistent/app.yaml" }, "cannot read profile /nonexistent/app.yaml")]
    public async Task Import_options_with_bad_syntax_are_usage_errors(string[] options, string text)
    {
        var before = await _target.DumpAsync();

        var run = await ImportAsync(options);

        run.AssertFails(ExitCodes.Usage, text);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData("users.csv", "ann@example.org,zed@example.org,extra\n", "users", "--map file users.csv:1: expected 'source key,target key', found 3 field(s)")]
    [InlineData("users.csv", "\"ann@example.org,zed@example.org\n", "users", "--map file users.csv:1: an unclosed quote")]
    [InlineData("users.csv", "ann@example.org,zed@example.org\n", "groups", "--map groups=")]
    [InlineData(null, null, "users", "cannot read --map file")]
    public async Task Bad_map_files_are_usage_errors_and_leave_the_target_unchanged(string? name, string? content, string table, string text)
    {
        var path = Path.Combine(_dir, name ?? "absent.csv");
        if (content is not null)
        {
            await File.WriteAllTextAsync(path, content);
        }
        var before = await _target.DumpAsync();

        var run = await ImportAsync("--map", $"{table}={path}");

        run.AssertFails(ExitCodes.Usage, text);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Serve_runs_every_import_with_its_profile()
    {
        var profile = Profile("requires:\n  - {on: target, sql: \"SELECT COUNT(*) = 0 FROM groups\", message: \"the target must have no groups yet\"}\n");
        var before = await _target.DumpAsync();
        await using var serve = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32", "--profile", profile);

        var push = await CliRun.RunAsync(["push", Archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint, "--match", "users:email"],
            environment: new() { ["FERRY_PASSWORD"] = Password });

        push.AssertFails(ExitCodes.Failure, "the target must have no groups yet (profile community.yaml:2)");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Serve_refuses_to_start_with_a_bad_profile()
    {
        var token = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(token, "0123456789abcdef-token\n");

        var run = await CliRun.RunAsync(["serve", "--to", _target.ConnectionString, "--listen", "127.0.0.1:1", "--allow", "127.0.0.1",
            "--token-file", token, "--state-dir", _dir, "--profile", Profile("requires: [{on: both}]\n")]);

        run.AssertFails(ExitCodes.Usage, "profile community.yaml:1: on must be one of source, target; found 'both'");
    }
}
