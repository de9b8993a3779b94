using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// The whole profile workflow through the command line on the sample app of samples/agora: a group
/// of Agora 1 (undeclared, polymorphic, array and JSON references, photos in a file store) moves into
/// an instance running Agora 2 (a renamed column, a new NOT NULL column, a dropped column) with
/// samples/agora/agora.yaml, in all nine directions between SQLite, PostgreSQL and MariaDB (each in the
/// app's own form of the schema: text, arrays and jsonb, JSON); source and target content are compared.
/// </summary>
public sealed class AgoraTests : IDisposable
{
    private const string Password = "agora-pass";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-agora-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Sample(string name) => File.ReadAllText(Path.Combine(Root(), "samples", "agora", name));

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static Task<TestDb> Agora(string engine, string version, string data) => TestDb.CreatePerEngineAsync(engine,
        e => Sample($"schema{version}{Form(e)}.sql"),
        e => Sample($"{data}{Form(e)}.sql"));

    /// <summary>The suffix of the sample's files in the engine's form: <c>.postgres</c>, <c>.mariadb</c> or none (SQLite).</summary>
    internal static string Form(string engine) => engine switch
    {
        TestEngines.Postgres => ".postgres",
        TestEngines.MariaDb => ".mariadb",
        _ => "",
    };

    private string Store(string name, params (string Path, string Content)[] files)
    {
        var store = Path.Combine(_dir, name);
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(store, path))!);
            File.WriteAllText(Path.Combine(store, path), content);
        }
        Directory.CreateDirectory(store);
        return store;
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_group_of_Agora_1_moves_into_Agora_2_with_the_sample_profile(string from, string to)
    {
        await using var source = await Agora(from, "", "data");
        await using var target = await Agora(to, ".v2", "target-data");
        var uploads = Store("uploads", ("places/river.jpg", "river"), ("places/garden.jpg", "garden photo"), ("places/hall.jpg", "hall photo"), ("places/shed.jpg", "shed photo"));
        var uploads2 = Store("uploads2", ("places/hill.jpg", "the target's own photo"));
        var profile = Path.Combine(Root(), "samples", "agora", "agora.yaml");
        var archive = Path.Combine(_dir, "hillside.tar.gpg");
        var environment = new Dictionary<string, string> { ["FERRY_PASSWORD"] = Password };

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "2"]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("sessions", plan.StdoutText, StringComparison.Ordinal);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "2", "--files", $"uploads={uploads}", "-o", archive], environment: environment);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = await target.DumpAsync();
        var dry = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--files", $"uploads={uploads2}", "--dry-run"], environment: environment);
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(before, await target.DumpAsync());
        Assert.Equal(["places/hill.jpg"], Files(uploads2));

        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--files", $"uploads={uploads2}"], environment: environment);

        Assert.True(import.ExitCode == 0, import.Stderr);
        // The slug collides with the target's own hillside: renamed by the conflict rule; visibility filled; owner Cat.
        Assert.Equal("hillside-imported|Hillside|members|cat@example.org",
            await target.ScalarAsync("SELECT g.slug || '|' || g.name || '|' || g.visibility || '|' || u.email FROM groups g JOIN users u ON u.id = g.owner_id WHERE g.slug LIKE 'hillside-%'"));
        var group = await target.ScalarAsync("SELECT id FROM groups WHERE slug = 'hillside-imported'");
        // Bob is matched case-insensitively (BOB@Example.org); Ann comes along through an activity's user_ids;
        // display_name arrives as full_name; nobody arrives as a superuser.
        Assert.Equal(["ann@example.org Ann 0", "BOB@Example.org Robert 0", "cat@example.org Cat 0", "eve@example.org Eve 0", "zoe@example.org Zoe 1"],
            await Column(target, $"SELECT email || ' ' || full_name || ' ' || CAST(CASE WHEN is_superuser THEN 1 ELSE 0 END AS TEXT) FROM users ORDER BY lower(email)"));
        Assert.Equal(["BOB@Example.org member", "cat@example.org owner", "eve@example.org member"],
            await Column(target, $"SELECT u.email || ' ' || m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = {group} ORDER BY lower(u.email)"));
        // Tags matched by slug, in the order of each event's array; the walk's place (another group's) is cut.
        var tags = (await target.QueryAsync("SELECT id, slug FROM tags")).ToDictionary(r => r[0]!, r => r[1]!);
        Assert.Equal(3, tags.Count);
        var events = await target.QueryAsync($"SELECT e.title, p.name, CAST(e.tag_ids AS TEXT) FROM events e LEFT JOIN places p ON p.id = e.place_id WHERE e.group_id = {group} ORDER BY e.title");
        Assert.Equal(["Concert @ Hill hall: music", "Planting day @ Community garden: garden music", "Walk to the river @ -: "],
            events.Select(r => $"{r[0]} @ {r[1] ?? "-"}: {string.Join(' ', Ids(r[2]!).Select(i => tags[i]))}"));
        // Comments follow their polymorphic target (an event or a place) to its new row.
        Assert.Equal(["Bring chairs → Event Concert", "Count me in → Event Planting day", "Lovely hall → Place Hill hall"], await Column(target,
            $"SELECT c.body || ' → Event ' || e.title FROM comments c JOIN events e ON e.id = c.commentable_id WHERE c.commentable_type = 'Event' AND e.group_id = {group} " +
            $"UNION ALL SELECT c.body || ' → Place ' || p.name FROM comments c JOIN places p ON p.id = c.commentable_id WHERE c.commentable_type = 'Place' AND p.group_id = {group} ORDER BY 1"));
        // Ids inside the activity documents point at the new rows.
        var activity = await target.QueryAsync($"SELECT kind, CAST(payload AS TEXT) FROM activity WHERE group_id = {group} ORDER BY kind");
        Assert.Equal(2, activity.Count);
        Assert.Contains((await target.ScalarAsync($"SELECT id FROM events WHERE title = 'Concert' AND group_id = {group}"))!, activity[1][1]!, StringComparison.Ordinal);
        // Every photo is in the target's store under its new path, byte for byte; the target's own photo stays.
        var photos = await target.QueryAsync($"SELECT name, photo FROM places WHERE group_id = {group} ORDER BY name");
        Assert.Equal(["Community garden", "Garden shed", "Hill hall"], photos.Select(r => r[0]));
        Assert.Equal(["garden photo", "shed photo", "hall photo"], photos.Select(r => File.ReadAllText(Path.Combine(uploads2, r[1]!))));
        Assert.Equal(4, Files(uploads2).Count);
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM sessions"));
    }

    private static List<string> Files(string store) =>
        Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(store, f)).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Ids(string text) =>
        text.Trim('{', '}', '[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<string[]> Column(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL").ToArray();
}
