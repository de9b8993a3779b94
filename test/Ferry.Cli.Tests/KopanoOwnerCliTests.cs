using Ferry.Testing;
using static Ferry.Testing.KopanoStores;

namespace Ferry.Cli.Tests;

/// <summary>
/// Ownership that runs the other way (issue 13 point 5), through the CLI: a Kopano store points at the root of its
/// folder tree (<c>stores.hierarchy_id</c>) and owns it, with every folder, message, attachment and property under it.
/// With <c>owner: from</c> the tree leaves with the store under fresh ids, inserted before the store.
/// </summary>
public sealed class KopanoOwnerCliTests() : CliScratch("ferry-owner-")
{
    public static TheoryData<string, bool> Variants => new()
    {
        { "sqlite", false }, { "postgres", false }, { "sqlite", true }, { "postgres", true },
    };

    private async Task<(TestDb Source, TestDb Target)> CreateAsync(string engine, bool declared, string extra = "")
    {
        var source = Keep(await TestDb.CreateAsync(engine, p => KopanoStores.Schema(p, declared), p => SourceData(p) + extra));
        var target = Keep(await TestDb.CreateAsync(engine, p => KopanoStores.Schema(p, declared), TargetData));
        return (source, target);
    }

    private string Profile(string yaml, string name = "kopano.yaml")
    {
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task A_store_moves_with_the_folder_tree_it_owns(string engine, bool declared)
    {
        var (source, target) = await CreateAsync(engine, declared);
        var profile = Profile(declared ? DeclaredProfileYaml : ProfileYaml);
        var archive = Path.Combine(Dir, $"ann-{declared}.tar.gz");
        var daveBefore = await target.QueryAsync(TreeQuery("dave"));

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "1"]);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "1", "--no-encrypt", "-o", archive]);
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        var lines = plan.StdoutText.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("hierarchy ", StringComparison.Ordinal) && l.Contains(" owned ", StringComparison.Ordinal)
                                    && l.Contains($" {TreeSize(6)} ", StringComparison.Ordinal) && l.Contains("stores ⇒ hierarchy via stores.hierarchy_id", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("properties ", StringComparison.Ordinal) && l.Contains(" owned ", StringComparison.Ordinal)
                                    && l.EndsWith("stores ⇒ hierarchy via stores.hierarchy_id ← properties.hierarchyid", StringComparison.Ordinal));
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(import.ExitCode == 0, import.Stderr);

        // The whole tree arrived, names, types, sizes and parent links intact; dave's tree is as it was.
        Assert.Equal((await source.QueryAsync(TreeQuery("ann"))).Select(r => r[0]), (await target.QueryAsync(TreeQuery("ann"))).Select(r => r[0]));
        Assert.Equal(TreeSize(6), (await target.QueryAsync(TreeQuery("ann"))).Count);
        Assert.Equal(daveBefore.Select(r => r[0]), (await target.QueryAsync(TreeQuery("dave"))).Select(r => r[0]));
        // No duplicate, nothing of bob or carol, no NULL where a link was, no link to a row that does not exist.
        Assert.Equal($"{TreeSize(2) + TreeSize(6)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM stores"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy WHERE parent IS NULL"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy h WHERE h.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hierarchy p WHERE p.id = h.parent)"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM properties p WHERE NOT EXISTS (SELECT 1 FROM hierarchy h WHERE h.id = p.hierarchyid)"));
        Assert.Equal($"{TreeSize(2) + TreeSize(6) + 2 + 6}", await target.ScalarAsync("SELECT COUNT(*) FROM properties"));
        // ann was matched by externid: her store and every row of her tree are the target's ann (id 2), not a copy.
        Assert.Equal(["ann 2", "dave 1"], (await target.QueryAsync("SELECT externid, id FROM users ORDER BY externid")).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal("2", await target.ScalarAsync("SELECT user_id FROM stores WHERE user_name = 'ann'"));
        Assert.Equal($"{TreeSize(6)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy WHERE owner = 2"));
        // The store points at the root of its own tree, under a fresh id (the target's 1 is dave's).
        Assert.Equal("1", await target.ScalarAsync("SELECT h.type FROM stores s JOIN hierarchy h ON h.id = s.hierarchy_id WHERE s.user_name = 'ann'"));
        Assert.NotEqual("1", await target.ScalarAsync("SELECT hierarchy_id FROM stores WHERE user_name = 'ann'"));

        // The server's next writes work: a new folder in ann's Inbox, a new store, under ids the sequences give.
        await target.ExecuteAsync("INSERT INTO hierarchy (parent, type, owner) SELECT h.id, 3, 2 FROM hierarchy h JOIN properties n ON n.hierarchyid = h.id " +
                                  "AND n.tag = 12289 AND n.val_string = 'Inbox' WHERE h.owner = 2");
        await target.ExecuteAsync($"INSERT INTO stores (hierarchy_id, user_id, user_name, guid) SELECT MAX(id), 2, 'ann-archive', {Guid(target.Engine == TestEngines.Postgres, 9)} FROM hierarchy");
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM stores"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_folder_another_store_also_points_at_stops_the_export(string engine)
    {
        // carol's archive store (4) points at ann's Projects folder (5): it belongs to two stores.
        var (source, target) = await CreateAsync(engine, declared: false,
            extra: $"INSERT INTO stores (id, hierarchy_id, user_id, type, user_name, guid) VALUES (4, 5, 3, 1, 'carol-archive', {Guid(engine == "postgres", 4)});\n");
        var profile = Profile(ProfileYaml);
        var archive = Path.Combine(Dir, "never.tar.gz");
        var before = await target.DumpAsync();

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "1"]);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "1", "--no-encrypt", "-o", archive]);

        const string text = "1 row(s) of stores that are not exported point at exported hierarchy rows through stores.hierarchy_id, whose rows own the row " +
                            "they point at (owner: from) (e.g. stores 4 → hierarchy 5): those hierarchy rows belong to another owner too";
        plan.AssertFails(ExitCodes.Failure, text);
        export.AssertFails(ExitCodes.Failure, text);
        Assert.False(File.Exists(archive));

        // Exported together, the two stores share the folder, which travels once.
        var both = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "1,4", "--no-encrypt", "-o", archive]);
        Assert.True(both.ExitCode == 0, both.Stderr);
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.NotEqual(before, await target.DumpAsync());
        Assert.Equal("1", await target.ScalarAsync(
            "SELECT COUNT(*) FROM stores a JOIN stores b ON b.user_name = 'carol-archive' JOIN hierarchy h ON h.id = b.hierarchy_id AND h.parent IS NOT NULL " +
            "JOIN hierarchy i ON i.id = h.parent JOIN hierarchy s ON s.id = i.parent JOIN hierarchy r ON r.id = s.parent WHERE a.user_name = 'ann' AND a.hierarchy_id = r.id"));
        Assert.Equal($"{TreeSize(2) + TreeSize(6)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy"));
    }

    [Theory]
    [InlineData("relations:\n  - {from: stores.hierarchy_id, to: hierarchy, owner: up}\n", ExitCodes.Usage,
        "profile kopano.yaml:2: owner must be one of from, to; found 'up'")]
    [InlineData("relations:\n  - {from: stores.hierarchy_id, to: hierarchy, owner: from, owns: true}\n", ExitCodes.Usage,
        "profile kopano.yaml:2: a relation says which side owns with owner or with owns (owns: true is owner: to), not both")]
    [InlineData("relations:\n  - {from: stores.hierarchy_id, to: hierarchy, owner: from, array: true}\n", ExitCodes.Usage,
        "profile kopano.yaml:2: owner: from is for a column holding one key (a plain relation or a declared foreign key), not an array relation")]
    [InlineData("relations:\n  - {from: stores.hierarchy_id, owner: from, none: 0}\n", ExitCodes.Usage,
        "profile kopano.yaml:2: a relation without to only says which side of the foreign key declared on stores.hierarchy_id owns; 'none' needs to: the referenced table")]
    public async Task A_bad_ownership_rule_is_one_error_line_and_changes_nothing(string yaml, int exitCode, string text)
    {
        var (source, target) = await CreateAsync("sqlite", declared: false);
        var profile = Profile("root: {table: stores, key: id}\n" + yaml);
        var good = Profile(ProfileYaml, "good.yaml");
        var archive = Path.Combine(Dir, "good.tar.gz");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", good, "--ids", "1", "--no-encrypt", "-o", archive]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = await target.DumpAsync();

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "1"]);
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);

        plan.AssertFails(exitCode, text.Replace("kopano.yaml:2", "kopano.yaml:3", StringComparison.Ordinal));
        import.AssertFails(exitCode, text.Replace("kopano.yaml:2", "kopano.yaml:3", StringComparison.Ordinal));
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [InlineData(false, "relations:\n  - {from: stores.hierarchy_id, owner: from}\n",
        "profile kopano.yaml:3: relation stores.hierarchy_id has no to, so it only says which side of a foreign key owns, and stores declares no foreign key on hierarchy_id: give to: TABLE to declare the relation")]
    [InlineData(false, "relations:\n  - {from: stores.folder_id, to: hierarchy, owner: from}\n",
        "profile kopano.yaml:3: unknown column stores.folder_id: stores has no column folder_id in the source")]
    [InlineData(true, "relations:\n  - {from: stores.folder_id, owner: from}\n",
        "profile kopano.yaml:3: unknown column stores.folder_id: stores has no column folder_id in the source")]
    [InlineData(false, "shared: [hierarchy]\nidentities: [{table: hierarchy, key: id}]\nrelations:\n  - {from: stores.hierarchy_id, to: hierarchy, owner: from}\n",
        "profile kopano.yaml:5: relation stores.hierarchy_id → hierarchy has owner: from, which makes the hierarchy rows it points at part of the tenant, but shared (line 2) says rows of hierarchy are shared by every tenant: keep one of the two")]
    [InlineData(true, "shared: [hierarchy]\nidentities: [{table: hierarchy, key: id}]\nrelations:\n  - {from: stores.hierarchy_id, owner: from}\n",
        "but shared (line 2) says rows of hierarchy are shared by every tenant: keep one of the two")]
    [InlineData(true, "follow: [stores.hierarchy_id]\nrelations:\n  - {from: stores.hierarchy_id, owner: from}\n",
        "profile kopano.yaml:2: cannot follow stores.hierarchy_id: the relation of line 4 says each stores row owns the row it points at (owner: from)")]
    public async Task An_ownership_rule_the_schema_contradicts_is_one_error_line_and_writes_no_archive(bool declared, string yaml, string text)
    {
        var (source, _) = await CreateAsync("sqlite", declared);
        var profile = Profile("root: {table: stores, key: id}\n" + yaml);
        var archive = Path.Combine(Dir, "never.tar.gz");

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "1"]);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "1", "--no-encrypt", "-o", archive]);

        plan.AssertFails(ExitCodes.Usage, text);
        export.AssertFails(ExitCodes.Usage, text);
        Assert.False(File.Exists(archive));
    }

    [Fact]
    public async Task Following_a_key_the_profile_says_owns_the_other_way_is_a_usage_error()
    {
        var (source, _) = await CreateAsync("sqlite", declared: true);
        var profile = Profile(DeclaredProfileYaml);

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "1", "--follow", "stores.hierarchy_id"]);

        plan.AssertFails(ExitCodes.Usage, "cannot follow stores.hierarchy_id: each stores row owns the row it points at (owner: from)");
    }
}
