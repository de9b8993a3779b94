using System.Text.RegularExpressions;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>ferry profile init</c> as a new user runs it: a draft of the sample app (samples/agora, no declared key
/// from places or events to groups) that plan accepts as it is, and, with every suggestion uncommented, a
/// profile that brings the group's places and events; guesses of identities and files; every bad input.
/// </summary>
public sealed partial class ProfileInitTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-profile-init-").FullName;

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

    private static Task<TestDb> Agora(string engine) => TestDb.CreatePerEngineAsync(engine,
        e => Sample($"schema{AgoraTests.Form(e)}.sql"),
        e => Sample($"data{AgoraTests.Form(e)}.sql"));

    // Every suggested entry made a rule, except those that need a table named by hand.
    private static string Uncommented(string draft) =>
        string.Join('\n', draft.Split('\n').Where(l => !l.Contains("to: TABLE", StringComparison.Ordinal)).Select(l => Entry().Replace(l, "  - ")));

    [GeneratedRegex(@"^  # - ")]
    private static partial Regex Entry();

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task The_draft_of_agora_loads_as_it_is_and_its_suggestions_bring_the_places_and_events(string engine)
    {
        await using var db = await Agora(engine);
        var draft = Path.Combine(_dir, "agora.yaml");

        var init = await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "--ids", "2", "-o", draft]);
        Assert.True(init.ExitCode == 0, init.Stderr);
        var text = await File.ReadAllTextAsync(draft);
        Assert.Contains("\nroot: groups\n", text, StringComparison.Ordinal);
        Assert.Contains("  # groups.owner_id: no table is named like it; 1 exported row(s) hold a value.", text, StringComparison.Ordinal);
        Assert.Contains("  # places.group_id: 5 of 5 row(s) of the whole table hold a value found in groups.id", text, StringComparison.Ordinal);
        Assert.Contains("  # - {from: places.group_id, to: groups, owns: true}", text, StringComparison.Ordinal);
        Assert.Contains("  # - {from: events.group_id, to: groups, owns: true}", text, StringComparison.Ordinal);
        Assert.Contains("  # - {table: users, key: email, case_insensitive: true}", text, StringComparison.Ordinal);
        Assert.Contains("  # - {store: files, table: places, column: photo}", text, StringComparison.Ordinal);
        Assert.Contains("  # - {table: sessions, reason: \"...\"}", text, StringComparison.Ordinal);
        Assert.Contains($"wrote {draft}: root groups", init.Stderr, StringComparison.Ordinal);

        var asItIs = await CliRun.RunAsync(["plan", "--from", db.ConnectionString, "--profile", draft, "--ids", "2"]);
        Assert.True(asItIs.ExitCode == 0, asItIs.Stderr);
        Assert.DoesNotContain("places ", asItIs.StdoutText.Split("warnings")[0].Split('\n').Where(l => l.Contains("owned", StringComparison.Ordinal)), StringComparer.Ordinal);

        var reviewed = Path.Combine(_dir, "reviewed.yaml");
        await File.WriteAllTextAsync(reviewed, Uncommented(text));
        var plan = await CliRun.RunAsync(["plan", "--from", db.ConnectionString, "--profile", reviewed, "--ids", "2"]);
        Assert.True(plan.ExitCode == 0, plan.Stderr + "\n" + Uncommented(text));
        Assert.Contains(plan.StdoutText.Split('\n'), l => l.StartsWith("places ", StringComparison.Ordinal) && l.Contains(" owned ", StringComparison.Ordinal));
        Assert.Contains(plan.StdoutText.Split('\n'), l => l.StartsWith("events ", StringComparison.Ordinal) && l.Contains(" owned ", StringComparison.Ordinal));
        Assert.Contains(plan.StdoutText.Split('\n'), l => l.StartsWith("sessions ", StringComparison.Ordinal) && l.Contains(" ignored ", StringComparison.Ordinal));
    }

    private const string Accounts = """
        CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL, state TEXT NOT NULL);
        CREATE UNIQUE INDEX accounts_active_email ON accounts (email) WHERE state = 'active';
        CREATE TABLE labels (id INTEGER PRIMARY KEY, name TEXT NOT NULL, colour TEXT);
        CREATE TABLE boards (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
        CREATE TABLE cards (id INTEGER PRIMARY KEY, board_id INTEGER NOT NULL REFERENCES boards (id), author_id INTEGER NOT NULL REFERENCES accounts (id),
                            label_id INTEGER REFERENCES labels (id), attachment TEXT, note TEXT, website TEXT);
        INSERT INTO accounts VALUES (1, 'ann@example.org', 'active'), (2, 'ann@example.org', 'deleted'), (3, 'bob@example.org', 'active');
        INSERT INTO labels VALUES (1, 'urgent', 'red'), (2, 'later', 'blue');
        INSERT INTO boards VALUES (1, 'one'), (2, 'two');
        INSERT INTO cards VALUES (1, 1, 1, 1, 'cards/2024/plan.pdf', 'see 3.14', 'https://example.org/a.html'),
                                 (2, 1, 3, 2, 'cards/2024/photo.JPG', 'a.b', 'https://example.org/b.html'),
                                 (3, 2, 1, NULL, NULL, 'x', NULL);
        """;

    [Theory]
    // MariaDB has no partial (WHERE) unique index, the subject of this test.
    [MemberData(nameof(TestEngines.WithoutMariaDb), MemberType = typeof(TestEngines))]
    public async Task Partial_unique_indexes_distinct_names_and_stored_paths_are_suggested_on_stdout(string engine)
    {
        await using var db = await TestDb.CreateAsync(engine, _ => Accounts, _ => "SELECT 1");

        var init = await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "boards", "--ids", "1"]);

        Assert.True(init.ExitCode == 0, init.Stderr);
        var text = init.StdoutText;
        Assert.Contains("  # accounts by email: unique only WHERE ", text, StringComparison.Ordinal);
        Assert.Contains("state = 'active'", text, StringComparison.Ordinal);
        Assert.Contains("(partial index accounts_active_email)", text, StringComparison.Ordinal);
        Assert.Contains("  # - {table: accounts, key: email, case_insensitive: true}", text, StringComparison.Ordinal);
        Assert.Contains("  # labels by name: not declared unique, but its 2 value(s) on the source are all different", text, StringComparison.Ordinal);
        Assert.Contains("  # - {table: labels, key: name}", text, StringComparison.Ordinal);
        Assert.Contains("  # cards.attachment: 2 of 2 sampled value(s) read like relative paths, e.g. 'cards/2024/plan.pdf'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("column: note", text, StringComparison.Ordinal);
        Assert.DoesNotContain("column: website", text, StringComparison.Ordinal);
        Assert.Contains("  # (none found)", text, StringComparison.Ordinal);

        var draft = Path.Combine(_dir, "cards.yaml");
        await File.WriteAllTextAsync(draft, Uncommented(text));
        var plan = await CliRun.RunAsync(["plan", "--from", db.ConnectionString, "--profile", draft, "--ids", "1"]);
        Assert.True(plan.ExitCode == 0, plan.Stderr);
    }

    [Fact]
    public async Task Ids_whose_export_would_fail_still_get_a_draft_that_says_why()
    {
        await using var db = await TestDb.CreateAsync("sqlite", _ => """
            CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE users (id INTEGER PRIMARY KEY, home_group_id INTEGER NOT NULL REFERENCES groups (id));
            CREATE TABLE posts (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups (id), user_id INTEGER NOT NULL REFERENCES users (id));
            INSERT INTO groups VALUES (1, 'a'), (2, 'b');
            INSERT INTO users VALUES (1, 1), (2, 2);
            INSERT INTO posts VALUES (1, 2, 1);
            """, _ => "SELECT 1");

        var init = await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "--ids", "2"]);

        Assert.True(init.ExitCode == 0, init.Stderr);
        Assert.Contains("# Without a profile, a plan of groups 2 fails: ", init.StdoutText, StringComparison.Ordinal);
        Assert.Contains("\nroot: groups\n", init.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_one_error_line_and_leaves_an_existing_profile_alone()
    {
        await using var db = await Agora("sqlite");
        var existing = Path.Combine(_dir, "existing.yaml");
        await File.WriteAllTextAsync(existing, "root: groups\n");

        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "nope"]))
            .AssertFails(ExitCodes.Usage, "unknown root table nope (tables: ");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "--ids", "x"]))
            .AssertFails(ExitCodes.Usage, "--ids: 'x' is not an integer, but groups.id is");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "--ids", "99"]))
            .AssertFails(ExitCodes.Failure, "groups has no row with id 99");
        (await CliRun.RunAsync(["profile", "init", "--from", $"sqlite:{Path.Combine(_dir, "missing.db")}", "--root", "groups"]))
            .AssertFails(ExitCodes.Failure, "does not exist");
        (await CliRun.RunAsync(["profile", "init", "--from", "postgres://nobody@127.0.0.1:1/none", "--root", "groups"]))
            .AssertFails(ExitCodes.Failure, "127.0.0.1");
        (await CliRun.RunAsync(["profile", "init", "--root", "groups"])).AssertFails(ExitCodes.Usage, "--from is required");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString])).AssertFails(ExitCodes.Usage, "--root");
        (await CliRun.RunAsync(["profile"])).AssertFails(ExitCodes.Usage, "(see ferry profile --help)");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "-o", existing]))
            .AssertFails(ExitCodes.Failure, "already exists; use --force to overwrite it");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "-o", _dir]))
            .AssertFails(ExitCodes.Failure, "is a directory");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "-o", Path.Combine(_dir, "no", "such.yaml")]))
            .AssertFails(ExitCodes.Failure, "does not exist");
        (await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "nope", "-o", existing, "--force"]))
            .AssertFails(ExitCodes.Usage, "unknown root table nope");
        Assert.Equal("root: groups\n", await File.ReadAllTextAsync(existing));
        Assert.Equal(["existing.yaml"], Directory.EnumerateFiles(_dir).Select(Path.GetFileName));

        var forced = await CliRun.RunAsync(["profile", "init", "--from", db.ConnectionString, "--root", "groups", "-o", existing, "--force"]);
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.StartsWith("# A first profile for sqlite:", await File.ReadAllTextAsync(existing), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_man_page_and_completion_know_profile_init()
    {
        var help = await CliRun.RunAsync(["help", "profile", "init"]);
        var man = await CliRun.RunAsync(["help", "--man"]);
        var complete = await CliRun.RunAsync(["complete", "ferry profile init --fr"]);

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--root", help.StdoutText, StringComparison.Ordinal);
        Assert.Contains(".SS \"ferry profile init [OPTIONS]\"", man.StdoutText, StringComparison.Ordinal);
        Assert.Contains("--from", complete.StdoutText.Split('\n'));
    }
}
