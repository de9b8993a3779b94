using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// MariaDB through the command line: plan and export from <c>mysql://</c>, the archive imported into SQLite and
/// PostgreSQL; every bad input one <c>error:</c> line with nothing written. MariaDB as a target: <see cref="MariaDbTargetCliTests"/>.
/// </summary>
public sealed class MariaDbCliTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-mariadb-cli-").FullName;
    private readonly string _user = $"ferry_pw_{Guid.NewGuid():N}"[..20];
    private readonly string _secret = $"user-secret-{Guid.NewGuid():N}";
    private TestDb _source = null!;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("mariadb", CommunityFixture.SourceData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, "s3cret-pass\n");
        var database = new Uri(_source.ConnectionString).AbsolutePath.TrimStart('/');
        await _source.ExecuteAsync($"CREATE USER '{_user}'@'%' IDENTIFIED BY '{_secret}'; GRANT SELECT, CREATE TEMPORARY TABLES ON `{database}`.* TO '{_user}'@'%';");
    }

    public async Task DisposeAsync()
    {
        await _source.ExecuteAsync($"DROP USER IF EXISTS '{_user}'@'%'");
        await _source.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    /// <summary>The source's URL for the test user, without a password.</summary>
    private string UserUrl
    {
        get
        {
            var uri = new Uri(_source.ConnectionString);
            return $"mysql://{_user}@{uri.Host}:{uri.Port}{uri.AbsolutePath}";
        }
    }

    private Task<CliRun> ExportAsync(string from, Dictionary<string, string>? environment = null) =>
        CliRun.RunAsync(["export", "--from", from, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile], environment: environment);

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Exports_from_mariadb_and_imports_into_another_engine(string to)
    {
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        var before = await _source.DumpAsync();

        var plan = await CliRun.RunAsync(["plan", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2"]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("plan: groups 2", plan.StdoutText, StringComparison.Ordinal);
        var export = await ExportAsync(_source.ConnectionString);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var import = await CliRun.RunAsync(["import", Archive, "--to", target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email"]);
        Assert.True(import.ExitCode == 0, import.Stderr);

        Assert.Equal(before, await _source.DumpAsync());
        Assert.Equal(["Garden", "Hall"], (await target.QueryAsync("SELECT p.name FROM places p JOIN groups g ON g.id = p.group_id WHERE g.slug = 'beta' ORDER BY p.name")).Select(r => r[0]));
        await target.ExecuteAsync("INSERT INTO groups (slug, name, created_at) VALUES ('next', 'Next', '2025-01-01 00:00:00')");
    }

    [Fact]
    public async Task The_password_comes_from_FERRY_FROM_PASSWORD_or_MYSQL_PWD_and_is_never_shown()
    {
        var none = await ExportAsync(UserUrl);
        none.AssertFails(ExitCodes.Failure, $"refused the login of user '{_user}' without a password");
        Assert.False(File.Exists(Archive));

        var wrong = await ExportAsync(UserUrl, new() { ["FERRY_FROM_PASSWORD"] = "not-it" });
        wrong.AssertFails(ExitCodes.Failure, $"refused the login of user '{_user}'");
        Assert.DoesNotContain("not-it", wrong.Stderr, StringComparison.Ordinal);

        foreach (var variable in new[] { "FERRY_FROM_PASSWORD", "MYSQL_PWD" })
        {
            var run = await CliRun.RunAsync(["plan", "--from", UserUrl, "--root", "groups", "--ids", "2"], environment: new() { [variable] = _secret });
            Assert.True(run.ExitCode == 0, variable + ": " + run.Stderr);
            Assert.DoesNotContain(_secret, run.Stderr + run.StdoutText, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("mysql://nobody@127.0.0.1/", 2, "names no database")]
    [InlineData("mysql://u:pw@host:port/db", 2, "'port' is not a port number")]
    [InlineData("mariadb://u@127.0.0.1:1/db", 1, "cannot connect to MariaDB at 127.0.0.1:1")]
    public async Task A_bad_source_is_one_error_line_and_no_archive(string from, int code, string text)
    {
        var run = await ExportAsync(from);

        run.AssertFails(code, text);
        Assert.False(File.Exists(Archive));
        Assert.DoesNotContain(":pw@", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_named()
    {
        var uri = new Uri(_source.ConnectionString);
        var run = await ExportAsync($"mysql://{uri.UserInfo}@{uri.Host}:{uri.Port}/no_such_db_here");

        run.AssertFails(ExitCodes.Failure, "database 'no_such_db_here' does not exist on MariaDB");
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public async Task A_zero_date_fails_the_export_and_writes_no_archive()
    {
        await _source.ExecuteAsync("SET SESSION sql_mode = ''; UPDATE notes SET day = '0000-00-00' WHERE id = 1;");

        var run = await ExportAsync(_source.ConnectionString);

        run.AssertFails(ExitCodes.Failure, "table notes column day (date) holds '0000-00-00'");
        Assert.Contains("?zero-dates=null", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Archive));
    }
}
