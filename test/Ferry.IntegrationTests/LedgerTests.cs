using Ferry.Import;
using Ferry.Testing;
using static Ferry.Testing.CkanPortal;

namespace Ferry.IntegrationTests;

/// <summary>
/// Issue 16, step 1: every import records in the target's ledger which tenant it brought and, per row, the source key,
/// the target key and a digest of the row as written; a dry run records nothing; the same tenant imported again is
/// refused until the target forgets it.
/// </summary>
public sealed class LedgerTests
{

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Every_import_records_its_tenant_and_each_inserted_row_in_the_ledger(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source));

        Assert.Matches("^[0-9a-f]{64}$", report.Tenant);
        Assert.Equal(1, report.LedgerImport);
        Assert.Equal([report.Tenant + "|1|groups|[\"2\"]"], Column(await target.QueryAsync(
            "SELECT tenant || '|' || CAST(import_no AS TEXT) || '|' || root_table || '|' || root_keys FROM ferry_ledger_imports")));
        Assert.StartsWith(from switch { TestEngines.Sqlite => "sqlite:/", TestEngines.MariaDb => "mysql://", _ => "postgres://" }, await target.ScalarAsync("SELECT source FROM ferry_ledger_imports"), StringComparison.Ordinal);
        // Users are matched by e-mail: every user of the archive is recorded, matched (Bob, the target's own) or
        // inserted, so that a later --update finds them again even after a change of e-mail.
        var counts = Column(await target.QueryAsync("SELECT table_name || ' ' || CAST(COUNT(*) AS TEXT) FROM ferry_ledger_rows GROUP BY table_name ORDER BY table_name"));
        var users = report.Tables.Single(t => t.Name == "users");
        Assert.Contains($"users {users.Inserted + users.Matched}", counts);
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows l JOIN users u ON CAST(u.id AS TEXT) = l.target_key WHERE l.table_name = 'users' AND u.email = 'bob@example.org' AND u.name = 'Robert (target)'"));
        var inserted = report.Tables.Where(t => t.Name != "users").Sum(t => t.Inserted);
        Assert.Equal(report.Tables.Where(t => t.Name != "users" && t.Inserted > 0).Select(t => $"{t.Name} {t.Inserted}").Order(StringComparer.Ordinal), counts.Where(c => !c.StartsWith("users ", StringComparison.Ordinal)));
        Assert.Equal(inserted + users.Inserted + users.Matched, report.LedgerRows);
        Assert.Equal(report.LedgerRows.ToString(System.Globalization.CultureInfo.InvariantCulture), await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows"));

        // The group's source key 2 became target key 3; the conversation's UUID key is kept.
        Assert.Equal("2 3", await target.ScalarAsync("SELECT source_key || ' ' || target_key FROM ferry_ledger_rows WHERE table_name = 'groups'"));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'memberships' AND source_key LIKE '1:2,1:_' AND target_key LIKE '1:3,1:_'"));
        Assert.Equal(CommunityFixture.Uuid1, await target.ScalarAsync(
            $"SELECT target_key FROM ferry_ledger_rows WHERE table_name = 'conversations' AND source_key = '{CommunityFixture.Uuid1}'"));
        // Every recorded target key is a row of its table, and every digest is a SHA-256, distinct rows giving distinct digests.
        foreach (var table in new[] { "groups", "places", "activities", "messages", "conversations" })
        {
            Assert.Equal("0", await target.ScalarAsync(
                $"SELECT COUNT(*) FROM ferry_ledger_rows l WHERE l.table_name = '{table}' AND NOT EXISTS (SELECT 1 FROM {table} t WHERE CAST(t.id AS TEXT) = l.target_key)"));
        }
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE length(digest) <> 64"));
        Assert.Equal(await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows"), await target.ScalarAsync("SELECT COUNT(DISTINCT digest) FROM ferry_ledger_rows"));
        // The target stays usable: the app's next group gets the next id.
        await target.ExecuteAsync("INSERT INTO groups (slug, name, created_at) VALUES ('zeta', 'Zeta', '2024-05-01 00:00:00')");
        Assert.Equal("4", await target.ScalarAsync("SELECT id FROM groups WHERE slug = 'zeta'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task The_digest_is_that_of_the_row_as_written_and_changes_with_it(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var first = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await using var second = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var archive = await Move.ExportAsync(source);
        await Move.ImportAsync(first, archive);
        await Move.ImportAsync(second, archive);
        const string Digests = "SELECT table_name || ' ' || source_key || ' ' || digest FROM ferry_ledger_rows ORDER BY 1";
        // Same rows written the same way into two targets: the same digests (nothing of the moment goes into one).
        Assert.Equal(Column(await first.QueryAsync(Digests)), Column(await second.QueryAsync(Digests)));

        // The digest is SHA-256 of the written columns as the target holds them: each as its length, ':' and its text, joined by ','.
        foreach (var row in await first.QueryAsync("SELECT l.digest, CAST(p.id AS TEXT), CAST(p.group_id AS TEXT), p.name FROM ferry_ledger_rows l " +
                                                   "JOIN places p ON CAST(p.id AS TEXT) = l.target_key WHERE l.table_name = 'places'"))
        {
            var text = string.Join(",", row.Skip(1).Select(v => $"{v!.Length}:{v}"));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))), row[0]);
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_dry_run_records_nothing_and_creates_no_ledger(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var before = await target.DumpAsync();

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), dryRun: true);

        Assert.Equal("dry run", report.Outcome);
        Assert.Equal(0, report.LedgerImport);
        Assert.Equal(before, await target.DumpAsync());
        Assert.Empty(await new TenantLedger(Move.Engines.Create(target.ConnectionString)).ListAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Imported_again_without_update_the_ledger_maps_each_source_row_to_its_newest_copy_until_forgotten(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var archive = await Move.ExportAsync(source);
        var first = await Move.ImportAsync(target, archive);
        var after = await target.DumpAsync();

        // A new export of the same tenant is the same tenant; its unique slug is a conflict: nothing written, ledger included.
        await Assert.ThrowsAsync<ConflictException>(async () => await Move.ImportAsync(target, await Move.ExportAsync(source)));
        Assert.Equal(after, await target.DumpAsync());

        // Merged into the first copy by reuse rules: matched rows keep their ledger entries from the first import, the
        // activities and messages written again are mapped to their new copies.
        var firstActivities = Column(await target.QueryAsync("SELECT target_key FROM ferry_ledger_rows WHERE table_name = 'activities' ORDER BY source_key"));
        var second = await Move.ImportAsync(target, archive, ConflictRuleTests.Reuse);
        Assert.Equal((first.Tenant, 2L, 1L), (second.Tenant, second.LedgerImport, second.LedgerEarlier));
        Assert.Equal("2 3", await target.ScalarAsync("SELECT source_key || ' ' || target_key FROM ferry_ledger_rows WHERE table_name = 'groups'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT MAX(import_no) FROM ferry_ledger_rows WHERE table_name IN ('groups', 'places', 'memberships', 'conversations')"));
        var newest = Column(await target.QueryAsync("SELECT target_key FROM ferry_ledger_rows WHERE table_name = 'activities' ORDER BY source_key"));
        Assert.Equal(2, newest.Length);
        Assert.Empty(newest.Intersect(firstActivities));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'activities' AND import_no = 2"));

        // Another tenant of the same source is another tenant.
        var other = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "3"));
        Assert.NotEqual(first.Tenant, other.Tenant);
        Assert.Equal((3L, 0L), (other.LedgerImport, other.LedgerEarlier));

        // The ledger's rows name each tenant by the number of its first import.
        Assert.Equal(["1", "3"], Column(await target.QueryAsync("SELECT DISTINCT CAST(tenant_no AS TEXT) FROM ferry_ledger_rows ORDER BY 1")));
        var ledger = new TenantLedger(Move.Engines.Create(target.ConnectionString));
        Assert.Equal([first.Tenant, first.Tenant, other.Tenant], (await ledger.ListAsync(CancellationToken.None)).Select(e => e.Tenant));
        var rows = long.Parse((await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE tenant_no = 1"))!, System.Globalization.CultureInfo.InvariantCulture);
        var dry = await ledger.ForgetAsync(first.Tenant[..8].ToUpperInvariant(), dryRun: true, CancellationToken.None);
        Assert.Equal((2L, rows, false), (dry.Imports, dry.Rows, dry.TablesDropped));
        Assert.Equal(3, (await ledger.ListAsync(CancellationToken.None)).Count);
        var forgot = await ledger.ForgetAsync(first.Tenant[..8], dryRun: false, CancellationToken.None);
        Assert.Equal((2L, rows, false), (forgot.Imports, forgot.Rows, forgot.TablesDropped));
        Assert.Equal([other.Tenant], (await ledger.ListAsync(CancellationToken.None)).Select(e => e.Tenant));
        // The rows stay: forgetting touches the ledger only.
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
        Assert.Equal("4", await target.ScalarAsync("SELECT COUNT(*) FROM activities a JOIN groups g ON g.id = a.group_id WHERE g.slug = 'beta'"));

        // Forgetting the last tenant drops the ledger's tables: the target's schema is its app's again.
        var last = await ledger.ForgetAsync(other.Tenant[..6], dryRun: false, CancellationToken.None);
        Assert.True(last.TablesDropped);
        Assert.Empty(await ledger.ListAsync(CancellationToken.None));
        Assert.DoesNotContain("ferry_ledger", await target.DumpAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_ledger_whose_rows_name_tenants_by_id_is_read_and_upgraded_once_by_the_next_import(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.UpdateAsync(target, await Move.ExportAsync(source));
        await Move.UpdateAsync(target, await Move.ExportAsync(source, ids: "3"));
        var upgradedLayout = await target.DumpAsync();
        var ledger = new TenantLedger(Move.Engines.Create(target.ConnectionString));
        var listed = await ledger.ListAsync(CancellationToken.None);

        // The layout of the ledger's rows before tenant numbers: the tenant's 64-hex-digit id leads the primary key.
        var d = Move.Engines.Create(target.ConnectionString).Dialect;
        await target.ExecuteAsync(
            $"CREATE TABLE ferry_ledger_rows_old (tenant {d.TextType(64)} NOT NULL, table_name {d.TextType(64)} NOT NULL, source_key {d.TextType(600)} NOT NULL, " +
            $"target_key {d.TextType(null)} NOT NULL, digest {d.TextType(null)} NOT NULL, source_digest {d.TextType(null)} NOT NULL, import_no BIGINT NOT NULL, " +
            "PRIMARY KEY (tenant, table_name, source_key))");
        await target.ExecuteAsync("INSERT INTO ferry_ledger_rows_old SELECT i.tenant, r.table_name, r.source_key, r.target_key, r.digest, r.source_digest, r.import_no " +
                                  "FROM ferry_ledger_rows r JOIN ferry_ledger_imports i ON i.import_no = r.tenant_no");
        await target.ExecuteAsync("DROP TABLE ferry_ledger_rows");
        await target.ExecuteAsync("ALTER TABLE ferry_ledger_rows_old RENAME TO ferry_ledger_rows");
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE tenant NOT IN (SELECT tenant FROM ferry_ledger_imports)"));

        // Listed and forgotten (dry run) as it is.
        Assert.Equal(listed, await ledger.ListAsync(CancellationToken.None));
        var dry = await ledger.ForgetAsync(listed[0].Tenant[..8], dryRun: true, CancellationToken.None);
        Assert.Equal((1L, listed[0].Rows), (dry.Imports, dry.Rows));

        // The next import rewrites it with numbers, and keeps that even when it writes nothing else: every row of the
        // tenant found again, the ledger as this Ferry would have written it.
        var again = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.Equal(("unchanged", 0L, 0L), (again.Outcome, again.Inserted, again.Updated));
        Assert.Equal(upgradedLayout, await target.DumpAsync());

        // And works as one: an edit at the source is an update of the row the first import wrote.
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (moved)' WHERE id = 1");
        var edited = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.Equal(("imported", 0L, 1L), (edited.Outcome, edited.Inserted, edited.Updated));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title = 'Potluck (moved)'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Forgetting_an_unknown_or_malformed_tenant_is_refused(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var ledger = new TenantLedger(Move.Engines.Create(target.ConnectionString));
        Assert.Contains("holds no tenant abcdef", (await Assert.ThrowsAsync<FerryException>(() => ledger.ForgetAsync("abcdef", false, CancellationToken.None))).Message, StringComparison.Ordinal);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        var before = await target.DumpAsync();
        var bad = await Assert.ThrowsAsync<FerryException>(() => ledger.ForgetAsync("abc", false, CancellationToken.None));
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("is not a tenant id", bad.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FerryException>(() => ledger.ForgetAsync("'; DROP TABLE groups; --", false, CancellationToken.None));
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_portal_with_uuid_keys_records_them_kept(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(TestEngines.Sqlite, SchemaSql, SourceData);
        await using var target = await TestDb.CreatePerEngineAsync(engine, SchemaSql, TargetData);
        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: Id(2, 1), profile: Profiles.ProfileLoader.Parse(ProfileYaml, "ckan.yaml"), root: "group"), ProfileYaml);

        Assert.True(report.LedgerRows > 0);
        // Every key is kept: source key = target key, for every recorded row but those an identity matched to the
        // target's own rows, and each is a row of its table.
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE source_key <> target_key AND table_name NOT IN ('user', 'vocabulary', 'tag', 'group')"));
        Assert.NotEqual("0", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE source_key <> target_key AND table_name IN ('user', 'vocabulary', 'tag', 'group')"));
        Assert.Equal("1", await target.ScalarAsync($"SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'package' AND source_key = '{Id(4, 1)}'"));
        Assert.Equal("0", await target.ScalarAsync(
            "SELECT COUNT(*) FROM ferry_ledger_rows l WHERE l.table_name = 'package' AND NOT EXISTS (SELECT 1 FROM package p WHERE p.id = l.target_key)"));
    }

    private static string[] Column(List<string?[]> rows) => rows.Select(r => r[0] ?? "NULL").ToArray();
}
