using Ferry.Import;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>A profile's conflict rules on import: rename a colliding value, or reuse the existing row, in every direction (<see cref="TestEngines.Directions"/>).</summary>
public sealed class ConflictRuleTests
{
    private const string Identities = "identities:\n  - {table: users, key: email}\n";

    internal const string Reuse = Identities + """
        conflicts:
          - {table: groups, key: slug, action: reuse}
          - {table: places, key: [group_id, name], action: reuse}
          - {table: memberships, key: [group_id, user_id], action: reuse}
          - {table: conversations, key: id, action: reuse}
        """;

    private static async Task<(TestDb Source, TestDb Target)> CreateAsync(string from, string to) =>
        (await TestDb.CreateAsync(from, CommunityFixture.SourceData), await TestDb.CreateAsync(to, CommunityFixture.TargetData));

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Rename_gives_a_colliding_slug_the_pattern_and_reports_it(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        await target.ExecuteAsync("INSERT INTO groups (id, slug, name, created_at) VALUES (7, 'beta', 'Beta already here', '2023-09-01 00:00:00')");
        var profile = Identities + "conflicts:\n  - {table: groups, key: slug, action: rename, pattern: \"{value}-imported\"}\n";

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), profile);

        Assert.Equal(1, report.Tables.Single(x => x.Name == "groups").Renamed);
        Assert.Equal(["beta Beta already here", "beta-imported Beta ☕"],
            (await target.QueryAsync("SELECT slug || ' ' || name FROM groups WHERE slug LIKE 'beta%' ORDER BY slug")).Select(r => r[0]));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM places p JOIN groups g ON g.id = p.group_id WHERE g.slug = 'beta-imported'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_renamed_value_that_still_collides_is_a_conflict_and_nothing_is_written(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        await target.ExecuteAsync("INSERT INTO groups (id, slug, name, created_at) VALUES (7, 'beta', 'B', '2023-09-01 00:00:00'), (8, 'beta-imported', 'C', '2023-09-01 00:00:00')");
        var before = await target.DumpAsync();
        var profile = Identities + "conflicts:\n  - {table: groups, key: slug, action: rename, pattern: \"{value}-imported\"}\n";
        var archive = await Move.ExportAsync(source);

        var error = await Assert.ThrowsAsync<ConflictException>(() => Move.ImportAsync(target, archive, profile));

        var conflict = Assert.Single(error.Report.Conflicts);
        Assert.Equal(["beta-imported"], conflict.Values);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Reuse_merges_a_second_import_into_the_group_the_first_one_created(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        var archive = await Move.ExportAsync(source);
        await Move.ImportAsync(target, archive);
        await target.ExecuteAsync("UPDATE groups SET name = 'Beta, renamed on the target' WHERE slug = 'beta'");
        var counts = "SELECT (SELECT COUNT(*) FROM groups) || ' ' || (SELECT COUNT(*) FROM places) || ' ' || (SELECT COUNT(*) FROM memberships) || ' ' || (SELECT COUNT(*) FROM conversations)";
        var before = await target.ScalarAsync(counts);

        var report = await Move.ImportAsync(target, archive, Reuse);

        Assert.Equal(before, await target.ScalarAsync(counts));
        Assert.Equal([1, 2, 3, 1], new[] { "groups", "places", "memberships", "conversations" }.Select(n => report.Tables.Single(x => x.Name == n).Matched));
        Assert.Equal([0, 0, 0, 0], new[] { "groups", "places", "memberships", "conversations" }.Select(n => report.Tables.Single(x => x.Name == n).Inserted));
        // The existing group is left as it is; the activities, which have no unique key, arrive again in it.
        Assert.Equal("Beta, renamed on the target", await target.ScalarAsync("SELECT name FROM groups WHERE slug = 'beta'"));
        Assert.Equal("4", await target.ScalarAsync("SELECT COUNT(*) FROM activities a JOIN groups g ON g.id = a.group_id WHERE g.slug = 'beta'"));
        Assert.Equal("6", await target.ScalarAsync("SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN groups g ON g.id = c.group_id WHERE g.slug = 'beta'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Rename_on_a_key_without_one_renamable_text_column_is_a_profile_mistake(string engine)
    {
        var (source, target) = await CreateAsync(engine, engine);
        await using var s = source;
        await using var t = target;
        var before = await target.DumpAsync();
        var archive = await Move.ExportAsync(source);

        var error = await Assert.ThrowsAsync<FerryException>(() =>
            Move.ImportAsync(target, archive, Identities + "conflicts:\n  - {table: memberships, key: [group_id, user_id], action: rename, pattern: \"{value}-x\"}\n"));

        Assert.Equal("profile app.yaml:4: rename needs exactly one text column in the key (group_id, user_id) that is neither the primary key nor a reference", error.Message);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal(before, await target.DumpAsync());
    }
}
