using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>ferry import --exclusive</c> (issue 17): PostgreSQL locks the tables written for the whole import and checks
/// their foreign keys once per table instead of once per row. On SQLite, and for a role that does not own the
/// tables, it is one error line and an unchanged target.
/// </summary>
public sealed class ExclusiveCliTests() : CliScratch("ferry-exclusive-")
{
    private const string Keys =
        "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated FROM pg_constraint WHERE contype = 'f' ORDER BY 1";

    private async Task<(TestDb Target, string Archive)> ExportAsync(string engine)
    {
        var source = Keep(await TestDb.CreateAsync(engine, CommunityFixture.SourceData));
        var target = Keep(await TestDb.CreateAsync(engine, CommunityFixture.TargetData));
        var archive = Path.Combine(Dir, "group2.tar.gz");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", archive, "--force"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        return (target, archive);
    }

    private static Task<CliRun> ImportAsync(string archive, string to, params string[] extra) =>
        CliRun.RunAsync(["import", archive, "--to", to, "--allow-plaintext", "--match", "users:email", .. extra]);

    [Fact]
    public async Task PostgreSQL_checks_each_tables_foreign_keys_once_and_puts_them_back_as_they_were()
    {
        var (target, archive) = await ExportAsync("postgres");
        var keys = (await target.QueryAsync(Keys)).Select(r => r[0]).ToList();

        var import = await ImportAsync(archive, target.ConnectionString, "--exclusive");

        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Matches(@"(?m)^check foreign keys: [\d,]+ rows in [\d.]+ s$", import.Stderr);
        Assert.Equal(keys, (await target.QueryAsync(Keys)).Select(r => r[0]));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM memberships m WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id)"));
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO memberships (group_id, user_id, role) SELECT MAX(id), -1, 'member' FROM groups"));
    }

    [Fact]
    public async Task SQLite_refuses_the_option_with_one_error_line_and_writes_nothing()
    {
        var (target, archive) = await ExportAsync("sqlite");
        var before = await target.DumpAsync();

        var import = await ImportAsync(archive, target.ConnectionString, "--exclusive");

        import.AssertFails(ExitCodes.Usage, "--exclusive is for PostgreSQL targets");
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_role_that_does_not_own_the_tables_gets_one_error_line_and_an_unchanged_target()
    {
        var (target, archive) = await ExportAsync("postgres");
        var role = $"ferry_writer_{Guid.NewGuid():N}"[..24];
        // CREATE on the schema: a plain import creates the ledger's tables on first use (issue 16); the role still owns no table of the app.
        await target.ExecuteAsync(TestPostgres.WriterRole(role));
        try
        {
            var (before, keys) = (await target.DumpAsync(), (await target.QueryAsync(Keys)).Select(r => r[0]).ToList());
            var url = new UriBuilder(target.ConnectionString) { UserName = role, Password = "" }.Uri.ToString();

            var import = await ImportAsync(archive, url, "--exclusive");

            import.AssertFails(ExitCodes.Failure, "--exclusive takes the target's foreign keys off during the inserts, and could not:");
            Assert.Contains("must be owner of table", import.ErrorLines[0], StringComparison.Ordinal);
            Assert.Equal(before, await target.DumpAsync());
            Assert.Equal(keys, (await target.QueryAsync(Keys)).Select(r => r[0]));
            // The same role imports without the option (it may create the ledger's tables in the schema).
            var plain = await ImportAsync(archive, url);
            Assert.True(plain.ExitCode == 0, plain.Stderr);
        }
        finally
        {
            await target.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }
}
