using Ferry.Profiles;
using Ferry.Testing;
using static Ferry.Testing.CkanPortal;

namespace Ferry.IntegrationTests;

/// <summary>
/// One organisation of the CKAN-like portal of samples/ckan (text UUID keys, "user" and "group" tables, organisations and
/// thematic groups in one table, a polymorphic member table, an undeclared package.owner_org, activity documents with ids
/// inside arrays of objects) moves into a live portal that already has some of its people, tags and thematic groups.
/// Every tag has a vocabulary: identities on a nullable key column are another part of issue 13.
/// </summary>
public sealed class CkanTests
{
    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Moves_one_organisation_into_a_portal_that_shares_people_tags_and_groups(string from, string to)
    {
        await using var source = await TestDb.CreatePerEngineAsync(from, SchemaSql, SourceData);
        await using var target = await TestDb.CreatePerEngineAsync(to, SchemaSql, TargetData);
        var profile = ProfileLoader.Parse(ProfileYaml, "ckan.yaml");

        var archive = await Move.ExportAsync(source, ids: Id(2, 1), profile: profile, root: "group");
        var report = await Move.ImportAsync(target, archive, ProfileYaml);
        Assert.Equal("imported", report.Outcome);

        // Groups: the organisation arrives; theme-1 is the target's own (matched by name), theme-2 is created once, and
        // so is org-2, which an activity names among a dataset's groups (a shared row too); the unused theme stayed behind.
        Assert.Equal(["org-1", "org-2", "org-9", "theme-1", "theme-2"], await Column(target, "SELECT name FROM \"group\" ORDER BY name"));
        Assert.Equal("Water (target)", await target.ScalarAsync("SELECT title FROM \"group\" WHERE name = 'theme-1'"));
        // People: alice matched (not duplicated, left as she was), bob created and demoted, carol not carried.
        Assert.Equal(["alice:" + Id(1, 901) + ":False", "bob:" + Id(1, 2) + ":False", "dave:" + Id(1, 902) + ":True"],
            await Column(target, "SELECT name || ':' || id || ':' || CASE WHEN sysadmin THEN 'True' ELSE 'False' END FROM \"user\" ORDER BY name"));
        // Tags: csv matched in the target's vocabulary, maps created in it.
        Assert.Equal(["csv:" + Id(6, 901), "maps:" + Id(6, 2)], await Column(target, "SELECT name || ':' || id FROM tag ORDER BY name"));
        Assert.Equal("2", await target.ScalarAsync($"SELECT COUNT(*) FROM tag WHERE vocabulary_id = '{Id(3, 901)}'"));
        // Datasets of the organisation, owned through the undeclared owner_org, with their tags and creators.
        Assert.Equal(["lakes:bob:maps", "rivers:alice:csv", "rivers:alice:maps"], await Column(target,
            "SELECT p.name || ':' || u.name || ':' || t.name FROM package p JOIN \"user\" u ON u.id = p.creator_user_id " +
            $"JOIN package_tag pt ON pt.package_id = p.id JOIN tag t ON t.id = pt.tag_id WHERE p.owner_org = '{Id(2, 1)}' ORDER BY 1"));
        // Members: both users of the organisation, and the datasets in the shared thematic groups (never cut).
        Assert.Equal(["org-1 user alice admin", "org-1 user bob editor", "theme-1 package rivers public", "theme-2 package lakes public"],
            await Column(target,
                "SELECT g.name || ' ' || CASE WHEN m.table_name = 'user' THEN 'user ' || u.name ELSE 'package ' || p.name END || ' ' || m.capacity " +
                "FROM member m JOIN \"group\" g ON g.id = m.group_id LEFT JOIN \"user\" u ON m.table_name = 'user' AND u.id = m.table_id " +
                "LEFT JOIN package p ON m.table_name = 'package' AND p.id = m.table_id ORDER BY 1"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM member m WHERE NOT EXISTS (SELECT 1 FROM \"user\" u WHERE u.id = m.table_id) AND NOT EXISTS (SELECT 1 FROM package p WHERE p.id = m.table_id)"));

        // The activity's document keeps its exact text but for the ids that changed: alice, csv and theme-1.
        var moved = new Dictionary<string, string>(SourceIds) { ["ALICE"] = Id(1, 901), ["CSV"] = Id(6, 901), ["THEME1"] = Id(2, 901) };
        Assert.Equal(Fill(Document, moved), await target.ScalarAsync($"SELECT CAST(data AS TEXT) FROM activity WHERE id = '{Id(9, 1)}'"));
        // Ids of rows created on the target are kept (text keys), so this document is unchanged.
        Assert.Equal(Lakes,
            await target.ScalarAsync($"SELECT CAST(data AS TEXT) FROM activity WHERE id = '{Id(9, 2)}'"));
        Assert.Equal(["alice", "bob"], await Column(target, "SELECT u.name FROM activity a JOIN \"user\" u ON u.id = a.user_id ORDER BY 1"));

        // The portal is usable: a new dataset of the organisation, a membership in the shared group.
        await target.ExecuteAsync($"INSERT INTO package (id, name, owner_org, creator_user_id) VALUES ('{Id(4, 950)}', 'wells', '{Id(2, 1)}', '{Id(1, 2)}')");
        await target.ExecuteAsync($"INSERT INTO member (id, group_id, table_name, table_id, capacity) VALUES ('{Id(8, 950)}', '{Id(2, 901)}', 'package', '{Id(4, 950)}', 'public')");
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM package"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Documents_read_one_per_batch_get_the_same_new_ids_as_in_one_batch(string from, string to)
    {
        await using var source = await TestDb.CreatePerEngineAsync(from, SchemaSql, SourceData);
        await using var target = await TestDb.CreatePerEngineAsync(to, SchemaSql, TargetData);
        var profile = ProfileLoader.Parse(ProfileYaml, "ckan.yaml");
        var archive = await Move.ExportAsync(source, ids: Id(2, 1), profile: profile, root: "group");

        var options = new Import.ImportOptions(target.ConnectionString, [], false, () => Move.Password.ToCharArray(), profile);
        using var input = new MemoryStream(archive);
        var importer = new Import.Importer(Move.Engines.Create(target.ConnectionString), Reporting.SilentProgress.Instance) { DocumentBatchRows = 1 };
        Assert.Equal("imported", (await importer.ImportAsync(options, input, CancellationToken.None)).Outcome);

        var moved = new Dictionary<string, string>(SourceIds) { ["ALICE"] = Id(1, 901), ["CSV"] = Id(6, 901), ["THEME1"] = Id(2, 901) };
        Assert.Equal(Fill(Document, moved), await target.ScalarAsync($"SELECT CAST(data AS TEXT) FROM activity WHERE id = '{Id(9, 1)}'"));
        Assert.Equal(Lakes, await target.ScalarAsync($"SELECT CAST(data AS TEXT) FROM activity WHERE id = '{Id(9, 2)}'"));
    }

    [Fact]
    public async Task Without_shared_rows_the_memberships_in_thematic_groups_stop_the_export()
    {
        await using var source = await TestDb.CreatePerEngineAsync(TestEngines.Sqlite, SchemaSql, SourceData);
        var profile = ProfileLoader.Parse(ProfileYaml.Replace("shared:\n  - {table: group, reason: thematic groups are used by every organisation}\n", "", StringComparison.Ordinal), "ckan.yaml");
        Assert.Empty(profile.Shared);
        var error = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: Id(2, 1), profile: profile, root: "group"));
        Assert.Contains("member.group_id is NOT NULL and they point outside the exported rows", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string[]> Column(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL").ToArray();
}
