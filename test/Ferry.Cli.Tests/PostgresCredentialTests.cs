using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Database passwords kept off command lines: a role that must log in with a password (members of
/// ferry_password_required, see .ci/postgres.sh) gets it from FERRY_FROM_PASSWORD, --from-password-file,
/// PGPASSWORD, ~/.pgpass or a service, over TCP and over the Unix socket in /tmp.
/// </summary>
public sealed class PostgresCredentialTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-credentials-").FullName;
    private readonly string _role = $"ferry_pw_{Guid.NewGuid():N}"[..20];
    private readonly string _secret = $"role-secret-{Guid.NewGuid():N}";
    private TestDb _db = null!;
    private Uri _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDb.CreateAsync("postgres", CommunityFixture.SourceData);
        _server = new Uri(_db.ConnectionString);
        await _db.ExecuteAsync($"""
            CREATE ROLE {_role} LOGIN PASSWORD '{_secret}' IN ROLE ferry_password_required;
            GRANT USAGE ON SCHEMA public TO {_role};
            GRANT SELECT ON ALL TABLES IN SCHEMA public TO {_role};
            """);
    }

    public async Task DisposeAsync()
    {
        await _db.ExecuteAsync($"DROP OWNED BY {_role}; DROP ROLE {_role}");
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Database => _server.AbsolutePath.TrimStart('/');

    /// <summary>The role's URL, with no password in it.</summary>
    private string Url => $"postgres://{_role}@{_server.Host}:{_server.Port}/{Database}";

    private Task<CliRun> PlanAsync(string? from, Dictionary<string, string>? environment = null, params string[] extra) =>
        CliRun.RunAsync([.. "plan --root groups --ids 2".Split(' '), .. from is null ? Array.Empty<string>() : ["--from", from], .. extra], environment: environment);

    private void AssertPlanned(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("plan: groups 2", run.StdoutText, StringComparison.Ordinal);
        Assert.DoesNotContain(_secret, run.Stderr + run.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_really_wants_a_password_and_the_error_says_where_to_give_it()
    {
        var run = await PlanAsync(Url);

        run.AssertFails(ExitCodes.Failure, $"wants a password for user '{_role}' and none was found");
        Assert.Contains("PGPASSWORD", run.Stderr, StringComparison.Ordinal);
        var wrong = await PlanAsync(Url, new() { ["FERRY_FROM_PASSWORD"] = "not-it" });
        wrong.AssertFails(ExitCodes.Failure, $"refused the password of user '{_role}'");
    }

    [Fact]
    public async Task FERRY_FROM_and_FERRY_FROM_PASSWORD()
    {
        var run = await PlanAsync(null, new() { ["FERRY_FROM"] = Url, ["FERRY_FROM_PASSWORD"] = _secret }, "-v");

        AssertPlanned(run);
        Assert.Contains($"source: postgres://{_role}@{_server.Host}:{_server.Port}/{Database}?schema=public, password from FERRY_FROM_PASSWORD", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task From_password_file()
    {
        var file = Path.Combine(_dir, "db-password");
        await File.WriteAllTextAsync(file, _secret + "\n");

        AssertPlanned(await PlanAsync(Url, null, "--from-password-file", file));
    }

    [Fact]
    public async Task PGPASSWORD()
    {
        AssertPlanned(await PlanAsync(Url, new() { ["PGPASSWORD"] = _secret }));
    }

    [Fact]
    public async Task A_pgpass_file_in_home_that_only_its_owner_reads()
    {
        var pgpass = Path.Combine(_dir, ".pgpass");
        await File.WriteAllTextAsync(pgpass, $"# test\n{_server.Host}:{_server.Port}:{Database}:{_role}:{_secret}\n");
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var home = new Dictionary<string, string> { ["HOME"] = _dir };

        var run = await PlanAsync(Url, home, "--verbose");

        AssertPlanned(run);
        Assert.Contains($"password from {pgpass}", run.Stderr, StringComparison.Ordinal);
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        (await PlanAsync(Url, home)).AssertFails(ExitCodes.Usage, $"chmod 600 {pgpass}");
    }

    [Fact]
    public async Task A_service_from_PGSERVICEFILE_gives_everything_but_the_schema()
    {
        var services = Path.Combine(_dir, "pg_service.conf");
        await File.WriteAllTextAsync(services, $"[ferrytest]\nhost={_server.Host}\nport={_server.Port}\ndbname={Database}\nuser={_role}\npassword={_secret}\n");

        AssertPlanned(await PlanAsync("postgresql://?service=ferrytest", new() { ["PGSERVICEFILE"] = services }));
        AssertPlanned(await PlanAsync("postgresql://", new() { ["PGSERVICEFILE"] = services, ["PGSERVICE"] = "ferrytest" }));
        (await PlanAsync("postgresql://?service=nope", new() { ["PGSERVICEFILE"] = services }))
            .AssertFails(ExitCodes.Usage, "PostgreSQL service 'nope' is not defined");
    }

    [Fact]
    public async Task A_unix_socket_host()
    {
        // .ci/postgres.sh puts the test server's socket in /tmp.
        var socket = $"postgresql:///{Database}?host=/tmp&port={_server.Port}&user={_role}";

        var run = await PlanAsync(socket, new() { ["FERRY_FROM_PASSWORD"] = _secret }, "-v");

        AssertPlanned(run);
        Assert.Contains($"source: postgres://{_role}@/{Database}?host=/tmp&port={_server.Port}", run.Stderr, StringComparison.Ordinal);
        // A ~/.pgpass line for localhost serves socket connections, as in libpq.
        var pgpass = Path.Combine(_dir, ".pgpass");
        await File.WriteAllTextAsync(pgpass, $"localhost:*:{Database}:{_role}:{_secret}\n");
        File.SetUnixFileMode(pgpass, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AssertPlanned(await PlanAsync(socket, new() { ["HOME"] = _dir }));
    }

    [Fact]
    public async Task A_password_in_the_url_and_a_password_file_contradict()
    {
        var file = Path.Combine(_dir, "db-password");
        await File.WriteAllTextAsync(file, _secret + "\n");

        var run = await PlanAsync($"postgres://{_role}:{_secret}@{_server.Host}:{_server.Port}/{Database}", null, "--from-password-file", file);

        run.AssertFails(ExitCodes.Usage, "keep one");
    }

    [Fact]
    public async Task Serve_takes_the_targets_password_from_a_file()
    {
        var archive = Path.Combine(_dir, "beta.tar.gpg");
        var archivePassword = Path.Combine(_dir, "archive-password");
        await File.WriteAllTextAsync(archivePassword, "archive-pass\n");
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        Assert.Equal(0, (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "-o", archive, "--password-file", archivePassword])).ExitCode);
        await using var target = await TestDb.CreateAsync("postgres", CommunityFixture.TargetData);
        await target.ExecuteAsync($"GRANT USAGE ON SCHEMA public TO {_role}; GRANT ALL ON ALL TABLES IN SCHEMA public TO {_role}; GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {_role}");
        var dbPassword = Path.Combine(_dir, "db-password");
        await File.WriteAllTextAsync(dbPassword, _secret + "\n");
        try
        {
            await using var serve = await ServeHost.StartAsync(_dir, $"postgres://{_role}@{_server.Host}:{_server.Port}/{new Uri(target.ConnectionString).AbsolutePath.TrimStart('/')}",
                "127.0.0.1/32", "--to-password-file", dbPassword);
            var push = await CliRun.RunAsync(["push", archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint,
                "--password-file", archivePassword, "--match", "users:email", "--dry-run"]);

            Assert.True(push.ExitCode == 0, push.Stderr + serve.Stderr);
            Assert.Contains("Dry run complete", push.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, await serve.StopAsync());
            Assert.DoesNotContain(_secret, serve.Stderr + push.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await target.ExecuteAsync($"DROP OWNED BY {_role}");
        }
    }
}
