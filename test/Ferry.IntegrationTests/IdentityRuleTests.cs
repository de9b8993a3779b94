using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// A profile's identities on import: case-insensitive keys, required identities, placeholder rows
/// and <c>--map</c> files for keys that changed, in every direction (<see cref="TestEngines.Directions"/>).
/// </summary>
public sealed class IdentityRuleTests
{
    private static async Task<(TestDb Source, TestDb Target)> CreateAsync(string from, string to) =>
        (await TestDb.CreateAsync(from, CommunityFixture.SourceData), await TestDb.CreateAsync(to, CommunityFixture.TargetData));

    private static async Task<string> NewBetaAsync(TestDb target) => (await target.ScalarAsync("SELECT id FROM groups WHERE slug = 'beta'"))!;

    private static async Task<string[]> MembersAsync(TestDb target, string group) =>
        (await target.QueryAsync($"SELECT u.email || ' ' || u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = {group} ORDER BY LOWER(u.email)"))
        .Select(r => r[0]!).ToArray();

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_case_insensitive_identity_matches_an_email_written_differently(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        await target.ExecuteAsync("UPDATE users SET email = 'Bob@Example.ORG' WHERE id = 1");

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), "identities:\n  - {table: users, key: email, case_insensitive: true}\n");

        Assert.Equal(1, report.Tables.Single(x => x.Name == "users").Matched);
        Assert.Equal(
            ["ann@example.org Ann", "Bob@Example.ORG Robert (target)", "cat@example.org Cat"],
            await MembersAsync(target, await NewBetaAsync(target)));
        Assert.Equal("5", await target.ScalarAsync("SELECT COUNT(*) FROM users"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_required_identity_without_a_match_stops_the_import_naming_every_missing_key(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<FerryException>(() =>
            Move.ImportAsync(target, archive, "identities:\n  - {table: users, key: email, missing: require}\n"));

        Assert.Equal(
            "2 users row(s) have no match on the target by email, which identity users (profile app.yaml:2) requires: ann@example.org, cat@example.org",
            error.Message);
        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Placeholder_identities_arrive_with_only_their_key_and_the_profile_values(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        const string profile = """
            identities:
              - table: users
                key: email
                missing: placeholder
                placeholder: {name: "Former member"}
            """;

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), profile);

        Assert.Equal(2, report.Tables.Single(x => x.Name == "users").Inserted);
        Assert.Equal(
            ["ann@example.org Former member", "bob@example.org Robert (target)", "cat@example.org Former member"],
            await MembersAsync(target, await NewBetaAsync(target)));
        // Ann's current group (beta) did not travel with the placeholder.
        Assert.Null(await target.ScalarAsync("SELECT current_group_id FROM users WHERE email = 'ann@example.org'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_map_file_matches_identities_whose_key_changed(string from, string to)
    {
        var (source, target) = await CreateAsync(from, to);
        await using var s = source;
        await using var t = target;
        var map = Path.Combine(Directory.CreateTempSubdirectory("ferry-map-").FullName, "users.csv");
        await File.WriteAllTextAsync(map, "source,target\nann@example.org,zed@example.org\n\"nobody@example.org\",\"x@example.org\"\n");

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), "identities:\n  - {table: users, key: email}\n",
            new Dictionary<string, string> { ["users"] = map });

        Assert.Equal(2, report.Tables.Single(x => x.Name == "users").Matched);
        Assert.Equal(
            ["bob@example.org Robert (target)", "cat@example.org Cat", "zed@example.org Zed"],
            await MembersAsync(target, await NewBetaAsync(target)));
        Assert.Equal("4", await target.ScalarAsync("SELECT COUNT(*) FROM users"));
        Directory.Delete(Path.GetDirectoryName(map)!, recursive: true);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_map_file_that_lists_a_key_twice_is_refused(string engine)
    {
        var (source, target) = await CreateAsync(engine, engine);
        await using var s = source;
        await using var t = target;
        var map = Path.Combine(Directory.CreateTempSubdirectory("ferry-map-").FullName, "users.csv");
        await File.WriteAllTextAsync(map, "ann@example.org,zed@example.org\nann@example.org,yan@example.org\n");
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<FerryException>(async () =>
            await Move.ImportAsync(target, await Move.ExportAsync(source), "", new Dictionary<string, string> { ["users"] = map }, false, "users:email"));

        Assert.Equal($"--map users={map}: a source key is listed more than once: ann@example.org", error.Message);
        Assert.Equal(before, await target.DumpAsync());
        Directory.Delete(Path.GetDirectoryName(map)!, recursive: true);
    }
}
