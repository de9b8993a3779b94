using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 13's CKAN-like move (samples/ckan) through the command line: one organisation, with memberships in shared
/// thematic groups and activity documents holding ids at any depth, exported and imported by <c>ferry export</c> and
/// <c>ferry import</c> into a live portal that already has some of its people, tags and thematic groups.
/// The schema, data and profile are those of Ferry.IntegrationTests' CkanTests (private there, so copied here).
/// </summary>
public sealed class CkanCliTests() : CliScratch("ferry-ckan-")
{
    private const string Profile = """
        app: ckan
        root: group
        shared:
          - {table: group, reason: thematic groups are used by every organisation}
        relations:
          - {from: package.owner_org, to: group, owns: true}
          - {from: member.table_id, type_column: table_name, types: {user: user, package: package}, owns: true}
          - {from: activity.object_id, type_column: activity_type, types: {"new package": package, "changed package": package}, owns: true}
          - {from: activity.user_id, to: user}
          - {from: activity.data, path: "$.package.id", to: package}
          - {from: activity.data, path: "$.package.owner_org", to: group}
          - {from: activity.data, path: "$.package.creator_user_id", to: user}
          - {from: activity.data, path: "$.package.tags[*].id", to: tag}
          - {from: activity.data, path: "$.package.groups[*].id", to: group}
        identities:
          - {table: user, key: email}
          - {table: vocabulary, key: name}
          - {table: tag, key: [name, vocabulary_id]}
          - {table: group, key: name}
        transforms:
          - {set: user.sysadmin, value: false}
        """;

    // Ids: the first digit says the kind, the last digits the row (source) or 9xx (target's own rows).
    private static string Id(int kind, int n) => $"{kind:D8}-0000-4000-8000-{n:D12}";

    // The first activity's document, with its ids as placeholders: {P1} and so on.
    private const string Document =
        "{\"package\": {\"id\": \"{P1}\", \"name\": \"rivers\", \"owner_org\": \"{ORG1}\", \"creator_user_id\": \"{ALICE}\", " +
        "\"tags\": [{\"id\": \"{CSV}\", \"name\": \"csv\"}, {\"name\": \"no id\"}, {\"id\": \"{MAPS}\", \"name\": \"maps\"}], " +
        "\"groups\": [{\"id\": \"{THEME1}\", \"name\": \"theme-1\"}], \"extras\": {\"z\": 1.50, \"a\": \"caf\\u00e9\"}},  \"actor\": \"alice\"}";

    private static readonly string Lakes =
        "{\"package\": {\"id\": \"" + Id(4, 2) + "\", \"tags\": [{\"id\": \"" + Id(6, 2) + "\"}], \"groups\": [{\"id\": \"" + Id(2, 12) + "\"}, {\"id\": \"" + Id(2, 2) + "\"}]}}";

    private static readonly string Roads = "{\"package\": {\"id\": \"" + Id(4, 3) + "\"}}";

    private static string Fill(string text, IReadOnlyDictionary<string, string> ids) =>
        ids.Aggregate(text, (t, p) => t.Replace("{" + p.Key + "}", p.Value, StringComparison.Ordinal));

    private static readonly Dictionary<string, string> SourceIds = new()
    {
        ["P1"] = Id(4, 1), ["ORG1"] = Id(2, 1), ["ALICE"] = Id(1, 1), ["CSV"] = Id(6, 1), ["MAPS"] = Id(6, 2), ["THEME1"] = Id(2, 11),
    };

    private static string Schema(bool postgres)
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "samples", "ckan")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("samples/ckan not found above the test's directory");
        }
        return File.ReadAllText(Path.Combine(root, "samples", "ckan", postgres ? "schema.postgres.sql" : "schema.sql"));
    }

    private static string Bool(bool postgres, bool value) => postgres ? (value ? "true" : "false") : (value ? "1" : "0");

    private static string SourceData(bool postgres) => $"""
        INSERT INTO vocabulary (id, name) VALUES ('{Id(3, 1)}', 'formats');
        INSERT INTO "user" (id, name, email, state, sysadmin, created) VALUES
          ('{Id(1, 1)}', 'alice', 'alice@example.org', 'active', {Bool(postgres, true)}, '2024-01-01 10:00:00'),
          ('{Id(1, 2)}', 'bob', 'bob@example.org', 'active', {Bool(postgres, true)}, '2024-01-01 10:00:00'),
          ('{Id(1, 3)}', 'carol', 'carol@example.org', 'active', {Bool(postgres, false)}, '2024-01-01 10:00:00');
        INSERT INTO "group" (id, name, title, type, is_organization, created) VALUES
          ('{Id(2, 1)}', 'org-1', 'Rivers agency', 'organization', {Bool(postgres, true)}, '2024-01-01 10:00:00'),
          ('{Id(2, 2)}', 'org-2', 'Other agency', 'organization', {Bool(postgres, true)}, '2024-01-01 10:00:00'),
          ('{Id(2, 11)}', 'theme-1', 'Water', 'group', {Bool(postgres, false)}, '2024-01-01 10:00:00'),
          ('{Id(2, 12)}', 'theme-2', 'Maps', 'group', {Bool(postgres, false)}, '2024-01-01 10:00:00'),
          ('{Id(2, 13)}', 'theme-3', 'Unused', 'group', {Bool(postgres, false)}, '2024-01-01 10:00:00');
        INSERT INTO tag (id, name, vocabulary_id) VALUES
          ('{Id(6, 1)}', 'csv', '{Id(3, 1)}'), ('{Id(6, 2)}', 'maps', '{Id(3, 1)}'), ('{Id(6, 3)}', 'other', '{Id(3, 1)}');
        INSERT INTO package (id, name, title, owner_org, creator_user_id, metadata_modified) VALUES
          ('{Id(4, 1)}', 'rivers', 'Rivers', '{Id(2, 1)}', '{Id(1, 1)}', '2024-02-01 10:00:00'),
          ('{Id(4, 2)}', 'lakes', 'Lakes', '{Id(2, 1)}', '{Id(1, 2)}', '2024-02-01 10:00:00'),
          ('{Id(4, 3)}', 'roads', 'Roads', '{Id(2, 2)}', '{Id(1, 3)}', '2024-02-01 10:00:00');
        INSERT INTO package_tag (id, package_id, tag_id) VALUES
          ('{Id(5, 1)}', '{Id(4, 1)}', '{Id(6, 1)}'), ('{Id(5, 2)}', '{Id(4, 1)}', '{Id(6, 2)}'),
          ('{Id(5, 3)}', '{Id(4, 2)}', '{Id(6, 2)}'), ('{Id(5, 4)}', '{Id(4, 3)}', '{Id(6, 3)}');
        INSERT INTO resource (id, package_id, url, format) VALUES ('{Id(7, 1)}', '{Id(4, 1)}', 'https://example.org/rivers.csv', 'CSV');
        INSERT INTO member (id, group_id, table_name, table_id, capacity) VALUES
          ('{Id(8, 1)}', '{Id(2, 1)}', 'user', '{Id(1, 1)}', 'admin'),
          ('{Id(8, 2)}', '{Id(2, 1)}', 'user', '{Id(1, 2)}', 'editor'),
          ('{Id(8, 3)}', '{Id(2, 2)}', 'user', '{Id(1, 3)}', 'admin'),
          ('{Id(8, 4)}', '{Id(2, 11)}', 'package', '{Id(4, 1)}', 'public'),
          ('{Id(8, 5)}', '{Id(2, 12)}', 'package', '{Id(4, 2)}', 'public'),
          ('{Id(8, 6)}', '{Id(2, 11)}', 'package', '{Id(4, 3)}', 'public');
        INSERT INTO activity (id, timestamp, user_id, object_id, activity_type, data) VALUES
          ('{Id(9, 1)}', '2024-03-01 10:00:00', '{Id(1, 1)}', '{Id(4, 1)}', 'new package', '{Fill(Document, SourceIds)}'),
          ('{Id(9, 2)}', '2024-03-02 10:00:00', '{Id(1, 2)}', '{Id(4, 2)}', 'changed package',
           '{Lakes}'),
          ('{Id(9, 3)}', '2024-03-03 10:00:00', '{Id(1, 3)}', '{Id(4, 3)}', 'new package', '{Roads}');
        """;

    // The target portal: alice, the formats vocabulary with csv, and theme-1, under ids of its own.
    private static string TargetData(bool postgres) => $"""
        INSERT INTO vocabulary (id, name) VALUES ('{Id(3, 901)}', 'formats');
        INSERT INTO "user" (id, name, email, state, sysadmin, created) VALUES
          ('{Id(1, 901)}', 'alice', 'alice@example.org', 'active', {Bool(postgres, false)}, '2023-01-01 10:00:00'),
          ('{Id(1, 902)}', 'dave', 'dave@example.org', 'active', {Bool(postgres, true)}, '2023-01-01 10:00:00');
        INSERT INTO "group" (id, name, title, type, is_organization, created) VALUES
          ('{Id(2, 901)}', 'theme-1', 'Water (target)', 'group', {Bool(postgres, false)}, '2023-01-01 10:00:00'),
          ('{Id(2, 902)}', 'org-9', 'Target agency', 'organization', {Bool(postgres, true)}, '2023-01-01 10:00:00');
        INSERT INTO tag (id, name, vocabulary_id) VALUES ('{Id(6, 901)}', 'csv', '{Id(3, 901)}');
        """;

    private string WriteProfile(string yaml)
    {
        var path = Path.Combine(Dir, "ckan.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private Task<CliRun> ExportAsync(TestDb source, string profile, string archive) =>
        CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "group", "--ids", Id(2, 1), "--no-encrypt", "-o", archive, "--profile", profile]);

    [Theory]
    [MemberData(nameof(Engines), MemberType = typeof(CliScratch))]
    public async Task The_cli_moves_one_organisation_into_a_portal_that_shares_people_tags_and_groups(string engine)
    {
        var source = Keep(await TestDb.CreateAsync(engine, Schema, SourceData));
        var target = Keep(await TestDb.CreateAsync(engine, Schema, TargetData));
        var profile = WriteProfile(Profile);
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

    [Fact]
    public async Task The_cli_export_without_shared_groups_fails_with_one_error_line_and_no_archive()
    {
        var source = Keep(await TestDb.CreateAsync("sqlite", Schema, SourceData));
        var withoutShared = Profile.Replace("shared:\n  - {table: group, reason: thematic groups are used by every organisation}\n", "", StringComparison.Ordinal);
        Assert.NotEqual(Profile, withoutShared);
        var archive = Path.Combine(Dir, "no-shared.tar.gz");

        var export = await ExportAsync(source, WriteProfile(withoutShared), archive);

        export.AssertFails(ExitCodes.Failure, "member.group_id is NOT NULL and they point outside the exported rows");
        Assert.False(File.Exists(archive));
        Assert.Empty(Directory.EnumerateFiles(Dir, "*.tar.gz*"));
    }

    private static async Task<string[]> Column(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL").ToArray();
}
