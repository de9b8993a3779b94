using Ferry.Export;
using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Testing;
using static Ferry.Testing.KopanoStores;

namespace Ferry.IntegrationTests;

/// <summary>
/// Ownership that runs the other way (issue 13 point 5) through the library's entry points, in every direction
/// between engines: a Kopano store owns the folder tree its <c>hierarchy_id</c> points at (<c>owner: from</c>).
/// </summary>
public sealed class KopanoOwnerTests
{
    private static Task<TestDb> SourceAsync(string engine, bool declared = false, string extra = "") =>
        TestDb.CreateAsync(engine, p => KopanoStores.Schema(p, declared), p => SourceData(p) + extra);

    private static Task<PlanReport> PlanAsync(TestDb source, Profile profile, string ids) =>
        new ScopePlanner(Move.Engines.Create(source.ConnectionString))
            .PlanAsync(new PlanOptions(source.ConnectionString, null, ids.Split(','), [], [], profile), CancellationToken.None);

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Moves_a_store_with_the_tree_it_owns_under_fresh_ids(string from, string to)
    {
        await using var source = await SourceAsync(from);
        await using var target = await TestDb.CreateAsync(to, p => KopanoStores.Schema(p, false), TargetData);
        var profile = ProfileLoader.Parse(ProfileYaml, "kopano.yaml");
        var sourceBefore = await source.DumpAsync();
        var daveBefore = await target.QueryAsync(TreeQuery("dave"));

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "2", profile: profile, root: "stores"), ProfileYaml);

        Assert.Equal("imported", report.Outcome);
        Assert.Equal(sourceBefore, await source.DumpAsync());
        // Sorted here: the engines order text by their own collations (MariaDB's ignores case).
        Assert.Equal((await source.QueryAsync(TreeQuery("bob"))).Select(r => r[0]).Order(StringComparer.Ordinal), (await target.QueryAsync(TreeQuery("bob"))).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal(daveBefore.Select(r => r[0]).Order(StringComparer.Ordinal), (await target.QueryAsync(TreeQuery("dave"))).Select(r => r[0]).Order(StringComparer.Ordinal));
        Assert.Equal($"{TreeSize(2) + TreeSize(3)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy h WHERE h.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hierarchy p WHERE p.id = h.parent)"));
        // bob is new on the target: created once, and his store and tree point at him.
        Assert.Equal(["ann", "bob", "dave"], (await target.QueryAsync("SELECT externid FROM users ORDER BY externid")).Select(r => r[0]));
        Assert.Equal($"{TreeSize(3)}", await target.ScalarAsync(
            "SELECT COUNT(*) FROM hierarchy h JOIN users u ON u.id = h.owner JOIN stores s ON s.user_id = u.id WHERE u.externid = 'bob' AND s.user_name = 'bob'"));
        await target.ExecuteAsync("INSERT INTO hierarchy (parent, type, owner) SELECT hierarchy_id, 3, user_id FROM stores WHERE user_name = 'bob'");
    }

    // PostgreSQL only: Kopano's stores.id is auto-incremented outside the primary key, which PostgreSQL's serial is too
    // (Ferry gives it fresh values); a SQLite table has no generator for such a column, so the target's store 1 and
    // the incoming store 1 would be a unique conflict there, reported as such.
    [Fact]
    public async Task Moves_a_store_whose_primary_key_holds_its_reference_to_the_tree_as_Kopanos_does()
    {
        const string engine = "postgres";
        await using var source = await TestDb.CreateAsync(engine, p => KopanoStores.Schema(p, false, kopanoKey: true), SourceData);
        await using var target = await TestDb.CreateAsync(engine, p => KopanoStores.Schema(p, false, kopanoKey: true), TargetData);
        Assert.Contains("PRIMARY KEY (hierarchy_id, id)", KopanoStores.Schema(engine == "postgres", false, kopanoKey: true), StringComparison.Ordinal);
        var profile = ProfileLoader.Parse(ProfileYaml, "kopano.yaml");

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "1", profile: profile, root: "stores"), ProfileYaml);

        Assert.Equal("imported", report.Outcome);
        Assert.Equal((await source.QueryAsync(TreeQuery("ann"))).Select(r => r[0]), (await target.QueryAsync(TreeQuery("ann"))).Select(r => r[0]));
        Assert.Equal($"{TreeSize(2) + TreeSize(6)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy"));
        Assert.Equal("1", await target.ScalarAsync("SELECT h.type FROM stores s JOIN hierarchy h ON h.id = s.hierarchy_id WHERE s.user_name = 'ann'"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(DISTINCT id) FROM stores"));
        await target.ExecuteAsync($"INSERT INTO hierarchy (parent, type, owner) VALUES (NULL, 1, 2); " +
                                  $"INSERT INTO stores (hierarchy_id, user_id, user_name, guid) SELECT MAX(id), 2, 'ann-archive', {Guid(true, 9)} FROM hierarchy");
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(DISTINCT id) FROM stores"));
    }

    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("postgres", true)]
    public async Task Plan_counts_the_owned_tree_as_export_writes_it(string engine, bool declared)
    {
        await using var source = await SourceAsync(engine, declared);
        var profile = ProfileLoader.Parse(declared ? DeclaredProfileYaml : ProfileYaml, "kopano.yaml");

        var report = await PlanAsync(source, profile, "1,3");

        var rows = report.Tables.Where(t => t.InScope).ToDictionary(t => t.Name, t => (t.Role, t.Rows));
        Assert.Equal((PlanRole.Root, 2L), rows["stores"]);
        Assert.Equal((PlanRole.Owned, (long)(TreeSize(6) + TreeSize(2))), rows["hierarchy"]);
        Assert.Equal((PlanRole.Owned, (long)(TreeSize(6) + 6 + TreeSize(2) + 2)), rows["properties"]);
        Assert.Equal((PlanRole.Referenced, 2L), rows["users"]);
        var edge = Assert.Single(report.Edges, e => e.Kind == PlanEdgeKind.OwnsReferenced);
        Assert.Equal("stores.hierarchy_id → hierarchy", edge.Key.ToString());
        Assert.DoesNotContain(report.Edges, e => e.Kind == PlanEdgeKind.NotFollowed && e.Key.Table == "stores");
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Rows_that_another_store_owns_too_stop_plan_and_export_naming_every_other_owner(string engine)
    {
        // Two stores out of the export point into ann's tree: at the Projects folder, and at a message.
        await using var source = await SourceAsync(engine, extra:
            $"INSERT INTO stores (id, hierarchy_id, user_id, type, user_name, guid) VALUES (7, 5, 3, 1, 'carol-archive', {Guid(engine == "postgres", 7)}), " +
            $"(8, 6, 2, 1, 'bob-archive', {Guid(engine == "postgres", 8)});\n");
        var profile = ProfileLoader.Parse(ProfileYaml, "kopano.yaml");

        var planError = await Assert.ThrowsAsync<FerryException>(() => PlanAsync(source, profile, "1"));
        var exportError = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "1", profile: profile, root: "stores"));
        var partly = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "1,7", profile: profile, root: "stores"));
        var all = await Move.ExportAsync(source, ids: "1,7,8", profile: profile, root: "stores");

        Assert.Equal(ExitCodes.Failure, exportError.ExitCode);
        Assert.Equal(planError.Message, exportError.Message);
        Assert.StartsWith("2 row(s) of stores that are not exported point at exported hierarchy rows through stores.hierarchy_id, " +
                          "whose rows own the row they point at (owner: from) (e.g. stores 7 → hierarchy 5, stores 8 → hierarchy 6)", exportError.Message, StringComparison.Ordinal);
        Assert.Contains("(e.g. stores 8 → hierarchy 6)", partly.Message, StringComparison.Ordinal);
        Assert.NotEmpty(all);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_store_pointing_into_another_stores_tree_cannot_carry_that_subtree_away(string engine)
    {
        // carol's archive store points at ann's Projects folder (5), whose parent is ann's Inbox (3).
        await using var source = await SourceAsync(engine, extra:
            $"INSERT INTO stores (id, hierarchy_id, user_id, type, user_name, guid) VALUES (7, 5, 3, 1, 'carol-archive', {Guid(engine == "postgres", 7)});\n");
        var profile = ProfileLoader.Parse(ProfileYaml, "kopano.yaml");

        var planError = await Assert.ThrowsAsync<FerryException>(() => PlanAsync(source, profile, "7"));
        var exportError = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "7", profile: profile, root: "stores"));

        Assert.Equal(ExitCodes.Failure, exportError.ExitCode);
        Assert.Equal(planError.Message, exportError.Message);
        Assert.Equal("1 exported row(s) of hierarchy, which stores.hierarchy_id makes owned (owner: from), are owned through hierarchy.parent " +
                     "by hierarchy rows that are not exported (e.g. hierarchy 5 → hierarchy 3): they belong to another owner too; " +
                     "export that owner with this tenant, or point them at rows of their own first", exportError.Message);
        // With ann's store, the folder is hers and carol's archive store shares it.
        Assert.NotEmpty(await Move.ExportAsync(source, ids: "1,7", profile: profile, root: "stores"));
    }

    [Fact]
    public async Task A_store_of_bob_is_not_another_owner_of_anns_tree()
    {
        // Stores whose trees are their own never stop an export, whichever ids are asked for.
        await using var source = await SourceAsync("sqlite");
        var profile = ProfileLoader.Parse(ProfileYaml, "kopano.yaml");

        foreach (var ids in new[] { "1", "2", "3", "1,2,3" })
        {
            Assert.NotEmpty(await Move.ExportAsync(source, ids: ids, profile: profile, root: "stores"));
        }
    }
}
