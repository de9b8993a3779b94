using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Every import writes the target's ledger. A PostgreSQL role that may write the app's tables but not create or write
/// the ledger's (PostgreSQL 15 no longer lets every role create in <c>public</c>) gets one error line before anything
/// is staged, and an unchanged target; <c>--no-ledger</c> imports without recording.
/// </summary>
public sealed class LedgerPrivilegeCliTests() : CliScratch("ferry-ledger-rights-")
{
    private async Task<(TestDb Target, string Archive)> ExportAsync()
    {
        var source = Keep(await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData));
        var target = Keep(await TestDb.CreateAsync("postgres", CommunityFixture.TargetData));
        var archive = Path.Combine(Dir, "group2.tar.gz");
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", archive, "--force"])).AssertSucceeds();
        return (target, archive);
    }

    private static Task<CliRun> ImportAsync(string archive, string to, params string[] extra) =>
        CliRun.RunAsync(["import", archive, "--to", to, "--allow-plaintext", "--match", "users:email", .. extra]);

    private static async Task<string> WriterAsync(TestDb target)
    {
        var role = $"ferry_writer_{Guid.NewGuid():N}"[..24];
        await target.ExecuteAsync($"""
            CREATE ROLE {role} LOGIN;
            GRANT USAGE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role};
            """);
        return role;
    }

    private static string As(TestDb target, string role) => new UriBuilder(target.ConnectionString) { UserName = role, Password = "" }.Uri.ToString();

    [Fact]
    public async Task A_role_that_may_not_create_the_ledger_is_told_before_anything_is_written_and_no_ledger_imports()
    {
        var (target, archive) = await ExportAsync();
        var role = await WriterAsync(target);
        try
        {
            var before = await target.DumpAsync();

            var refused = await ImportAsync(archive, As(target, role));

            refused.AssertFails(ExitCodes.Failure, "error: every import is recorded in the target's ledger (ferry_ledger_imports, ferry_ledger_rows; docs/reimport.md), and this role may not create tables in schema public; nothing was written.");
            Assert.DoesNotContain("stage ", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(before, await target.DumpAsync());

            (await ImportAsync(archive, As(target, role), "--update", "--no-ledger")).AssertFails(ExitCodes.Usage, "error: --update finds the rows of earlier imports through the target's ledger, which --no-ledger leaves alone");
            Assert.Equal(before, await target.DumpAsync());

            var unrecorded = await ImportAsync(archive, As(target, role), "--no-ledger");
            Assert.True(unrecorded.ExitCode == 0, unrecorded.Stderr);
            Assert.DoesNotContain("Ledger:", unrecorded.Stderr, StringComparison.Ordinal);
            Assert.Equal("0", (await target.QueryAsync("SELECT COUNT(*) FROM pg_tables WHERE tablename LIKE 'ferry_ledger%'"))[0][0]);
            Assert.NotEqual(before, await target.DumpAsync());
        }
        finally
        {
            await target.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_role_that_may_not_write_an_existing_ledger_is_told_before_anything_is_written()
    {
        var (target, archive) = await ExportAsync();
        (await ImportAsync(archive, target.ConnectionString)).AssertSucceeds();
        var role = await WriterAsync(target);
        await target.ExecuteAsync($"REVOKE ALL ON ferry_ledger_rows FROM {role}");
        try
        {
            var before = await target.DumpAsync();

            var refused = await ImportAsync(archive, As(target, role));

            refused.AssertFails(ExitCodes.Failure, "and this role may not read and write ferry_ledger_imports and ferry_ledger_rows; nothing was written.");
            Assert.Equal(before, await target.DumpAsync());
        }
        finally
        {
            await target.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_role_that_may_not_create_tables_is_told_before_anything_is_written_when_the_ledger_is_of_an_earlier_ferry()
    {
        var (target, archive) = await ExportAsync();
        (await ImportAsync(archive, target.ConnectionString)).AssertSucceeds();
        // The ledger's rows as an earlier Ferry wrote them (the tenant's id leads the key): the next import rewrites them
        // into a new table (docs/reimport.md), which this role may not create.
        await target.ExecuteAsync("""
            CREATE TABLE ferry_ledger_rows_old (tenant text NOT NULL, table_name text NOT NULL, source_key text NOT NULL, target_key text NOT NULL,
              digest text NOT NULL, source_digest text NOT NULL, import_no bigint NOT NULL, PRIMARY KEY (tenant, table_name, source_key));
            INSERT INTO ferry_ledger_rows_old SELECT i.tenant, r.table_name, r.source_key, r.target_key, r.digest, r.source_digest, r.import_no
              FROM ferry_ledger_rows r JOIN ferry_ledger_imports i ON i.import_no = r.tenant_no;
            DROP TABLE ferry_ledger_rows;
            ALTER TABLE ferry_ledger_rows_old RENAME TO ferry_ledger_rows;
            """);
        var role = await WriterAsync(target);
        try
        {
            var before = await target.DumpAsync();

            var refused = await ImportAsync(archive, As(target, role), "--update");

            refused.AssertFails(ExitCodes.Failure, "and this role may not create tables in schema public; nothing was written.");
            Assert.DoesNotContain("stage ", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(before, await target.DumpAsync());
            // The owner's next import upgrades it.
            (await ImportAsync(archive, target.ConnectionString, "--update")).AssertSucceeds();
            Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'ferry_ledger_rows' AND column_name = 'tenant_no'"));
        }
        finally
        {
            await target.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }
}
