using Ferry.Testing;
using static Ferry.Testing.CkanPortal;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 13's CKAN-like move (samples/ckan) through the command line: one organisation, with memberships in shared
/// thematic groups and activity documents holding ids at any depth, exported and imported by <c>ferry export</c> and
/// <c>ferry import</c> into a live portal that already has some of its people, tags and thematic groups.
/// The schema, data and profile are <see cref="CkanPortal"/>'s, shared with the library-level CkanTests.
/// </summary>
public sealed class CkanCliTests() : CliScratch("ferry-ckan-")
{
    private string WriteProfile(string yaml)
    {
        var path = Path.Combine(Dir, "ckan.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private Task<CliRun> ExportAsync(TestDb source, string profile, string archive) =>
        CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "group", "--ids", Id(2, 1), "--no-encrypt", "-o", archive, "--profile", profile]);

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task The_cli_moves_one_organisation_into_a_portal_that_shares_people_tags_and_groups(string engine)
    {
        var source = Keep(await TestDb.CreatePerEngineAsync(engine, SchemaSql, SourceData));
        var target = Keep(await TestDb.CreatePerEngineAsync(engine, SchemaSql, TargetData));
        var profile = WriteProfile(ProfileYaml);
        var archive = Path.Combine(Dir, $"org-1-{engine}.tar.gz");

        var export = await ExportAsync(source, profile, archive);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Empty(import.ErrorLines);

        // Groups: org-1 arrives, theme-1 is the target's own (matched by name), theme-2 and org-2 (named by an activity) once.
        Assert.Equal(["org-1", "org-2", "org-9", "theme-1", "theme-2"], await Column(target, "SELECT name FROM \"group\" ORDER BY name"));
        Assert.Equal("Water (target)", await target.ScalarAsync("SELECT title FROM \"group\" WHERE name = 'theme-1'"));
        // People: alice matched (not duplicated), bob created and demoted by the transform, carol not carried.
        Assert.Equal(["alice:" + Id(1, 901) + ":False", "bob:" + Id(1, 2) + ":False", "dave:" + Id(1, 902) + ":True"],
            await Column(target, "SELECT name || ':' || id || ':' || CASE WHEN sysadmin THEN 'True' ELSE 'False' END FROM \"user\" ORDER BY name"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT email FROM \"user\" GROUP BY email HAVING COUNT(*) > 1) d"));
        // Tags: csv matched in the target's vocabulary, maps created in it; no duplicate.
        Assert.Equal(["csv:" + Id(6, 901), "maps:" + Id(6, 2)], await Column(target, "SELECT name || ':' || id FROM tag ORDER BY name"));
        Assert.Equal("2", await target.ScalarAsync($"SELECT COUNT(*) FROM tag WHERE vocabulary_id = '{Id(3, 901)}'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM vocabulary"));
        Assert.Equal(["lakes:bob:maps", "rivers:alice:csv", "rivers:alice:maps"], await Column(target,
            "SELECT p.name || ':' || u.name || ':' || t.name FROM package p JOIN \"user\" u ON u.id = p.creator_user_id " +
            $"JOIN package_tag pt ON pt.package_id = p.id JOIN tag t ON t.id = pt.tag_id WHERE p.owner_org = '{Id(2, 1)}' ORDER BY 1"));
        // Members: the organisation's users, and the datasets in the shared thematic groups, linked (no NULL, no dangling id).
        Assert.Equal(["org-1 user alice admin", "org-1 user bob editor", "theme-1 package rivers public", "theme-2 package lakes public"],
            await Column(target,
                "SELECT g.name || ' ' || CASE WHEN m.table_name = 'user' THEN 'user ' || u.name ELSE 'package ' || p.name END || ' ' || m.capacity " +
                "FROM member m JOIN \"group\" g ON g.id = m.group_id LEFT JOIN \"user\" u ON m.table_name = 'user' AND u.id = m.table_id " +
                "LEFT JOIN package p ON m.table_name = 'package' AND p.id = m.table_id ORDER BY 1"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM member WHERE group_id IS NULL OR table_id IS NULL"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM member m WHERE NOT EXISTS (SELECT 1 FROM \"user\" u WHERE u.id = m.table_id) AND NOT EXISTS (SELECT 1 FROM package p WHERE p.id = m.table_id)"));
        Assert.Equal(Id(2, 901), await target.ScalarAsync($"SELECT group_id FROM member WHERE id = '{Id(8, 4)}'"));

        // Activity documents: exact text but for the ids that changed (alice, csv, theme-1), at any depth.
        var moved = new Dictionary<string, string>(SourceIds) { ["ALICE"] = Id(1, 901), ["CSV"] = Id(6, 901), ["THEME1"] = Id(2, 901) };
        Assert.Equal(Fill(Document, moved), await target.ScalarAsync($"SELECT CAST(data AS TEXT) FROM activity WHERE id = '{Id(9, 1)}'"));
        Assert.Equal(Lakes, await target.ScalarAsync($"SELECT CAST(data AS TEXT) FROM activity WHERE id = '{Id(9, 2)}'"));
        Assert.Equal(["alice", "bob"], await Column(target, "SELECT u.name FROM activity a JOIN \"user\" u ON u.id = a.user_id ORDER BY 1"));

        // The portal is usable: a new dataset of the organisation, a membership in the shared group.
        await target.ExecuteAsync($"INSERT INTO package (id, name, owner_org, creator_user_id) VALUES ('{Id(4, 950)}', 'wells', '{Id(2, 1)}', '{Id(1, 2)}')");
        await target.ExecuteAsync($"INSERT INTO member (id, group_id, table_name, table_id, capacity) VALUES ('{Id(8, 950)}', '{Id(2, 901)}', 'package', '{Id(4, 950)}', 'public')");
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM package"));
    }

    // An e-mail is unique among active accounts: a partial unique index on SQLite and PostgreSQL, which Ferry checks
    // before writing among the rows its predicate selects; a unique key over a generated column on MariaDB
    // (samples/ckan/schema.mariadb.sql), which Ferry does not write and checks by the column's expression (plan and
    // export say so). Users matched by login here, bob arrives with an e-mail that the target's robert holds: while
    // robert is active, bob's row is a conflict (exit 3, listed with the others) and nothing is written; once robert is
    // deleted, bob arrives.
    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task An_e_mail_the_target_holds_on_an_active_account_is_refused_and_on_a_deleted_one_is_not(string engine)
    {
        var source = Keep(await TestDb.CreatePerEngineAsync(engine, SchemaSql, SourceData));
        var target = Keep(await TestDb.CreatePerEngineAsync(engine, SchemaSql, TargetData));
        await target.ExecuteAsync("INSERT INTO \"user\" (id, name, email, state, sysadmin, created) " +
                                  $"VALUES ('{Id(1, 903)}', 'robert', 'bob@example.org', 'active', {Bool(engine, false)}, '2023-01-01 10:00:00')");
        var profile = WriteProfile(ProfileYaml.Replace("{table: user, key: email}", "{table: user, key: name}", StringComparison.Ordinal));
        var archive = Path.Combine(Dir, $"org-1-{engine}.tar.gz");
        var export = await ExportAsync(source, profile, archive);
        Assert.True(export.ExitCode == 0, export.Stderr);
        if (engine == TestEngines.MariaDb)
        {
            Assert.Contains("warning: unique key user_email_active of user (email_active) includes a generated column", export.Stderr, StringComparison.Ordinal);
        }
        var before = await target.DumpAsync();
        string[] import = ["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile];

        var refused = await CliRun.RunAsync(import);

        refused.AssertFails(ExitCodes.Conflicts, "1 conflict(s) with rows in the target: nothing was written");
        Assert.Contains("user_email_active", refused.StdoutText + refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("bob@example.org", refused.StdoutText + refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());

        await target.ExecuteAsync("UPDATE \"user\" SET state = 'deleted' WHERE name = 'robert'");
        var imported = await CliRun.RunAsync(import);

        Assert.True(imported.ExitCode == 0, imported.Stderr);
        Assert.Equal(["bob active", "robert deleted"], await Column(target, "SELECT name || ' ' || state FROM \"user\" WHERE email = 'bob@example.org' ORDER BY name"));
    }

    [Fact]
    public async Task The_cli_export_without_shared_groups_fails_with_one_error_line_and_no_archive()
    {
        var source = Keep(await TestDb.CreatePerEngineAsync(TestEngines.Sqlite, SchemaSql, SourceData));
        var withoutShared = ProfileYaml.Replace("shared:\n  - {table: group, reason: thematic groups are used by every organisation}\n", "", StringComparison.Ordinal);
        Assert.NotEqual(ProfileYaml, withoutShared);
        var archive = Path.Combine(Dir, "no-shared.tar.gz");

        var export = await ExportAsync(source, WriteProfile(withoutShared), archive);

        export.AssertFails(ExitCodes.Failure, "member.group_id is NOT NULL and they point outside the exported rows");
        Assert.False(File.Exists(archive));
        Assert.Empty(Directory.EnumerateFiles(Dir, "*.tar.gz*"));
    }

    private static async Task<string[]> Column(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL").ToArray();
}
