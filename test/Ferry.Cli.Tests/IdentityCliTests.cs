using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Identities of issue 13 through the command line, on both engines, with a CKAN-like schema: users
/// whose e-mail is unique only among active accounts (a deleted and a pending account share it), and
/// tags keyed by [name, vocabulary_id] where free tags have no vocabulary. The target must come out
/// usable: no duplicate, no wrong link, no NULL where the source had a link.
/// </summary>
public sealed class IdentityCliTests() : CliScratch("ferry-identity-")
{
    // Not on MariaDB: the target keeps one active account per e-mail with a partial unique index, which MariaDB has not.
    public static TheoryData<string> PartialIndexEngines => TestEngines.WithoutMariaDb;

    private static string Schema(bool postgres) => postgres
        ? """
          CREATE TABLE orgs (id serial PRIMARY KEY, name text NOT NULL);
          CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL, state text NOT NULL, last_login timestamp);
          CREATE UNIQUE INDEX users_active_email ON users (email) WHERE state = 'active';
          CREATE TABLE vocabularies (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
          CREATE TABLE tags (id serial PRIMARY KEY, name text NOT NULL, vocabulary_id int REFERENCES vocabularies (id));
          CREATE TABLE members (id serial PRIMARY KEY, org_id int NOT NULL REFERENCES orgs (id), user_id int NOT NULL REFERENCES users (id));
          CREATE TABLE org_tags (id serial PRIMARY KEY, org_id int NOT NULL REFERENCES orgs (id), tag_id int NOT NULL REFERENCES tags (id));
          """
        : """
          CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
          CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, state TEXT NOT NULL, last_login TIMESTAMP);
          CREATE UNIQUE INDEX users_active_email ON users (email) WHERE state = 'active';
          CREATE TABLE vocabularies (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
          CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL, vocabulary_id INTEGER REFERENCES vocabularies (id));
          CREATE TABLE members (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id), user_id INTEGER NOT NULL REFERENCES users (id));
          CREATE TABLE org_tags (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES orgs (id), tag_id INTEGER NOT NULL REFERENCES tags (id));
          """;

    private static string Sync(bool postgres) => postgres
        ? string.Concat(new[] { "orgs", "users", "vocabularies", "tags", "members", "org_tags" }.Select(t =>
            $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST(1, (SELECT MAX(id) FROM {t})));\n"))
        : "";

    private static string SourceData(bool postgres) => """
        INSERT INTO orgs VALUES (1, 'Open Data'), (2, 'Other');
        INSERT INTO users VALUES (1, 'ann@example.org', 'active', '2024-05-01 10:00:00'), (2, 'bob@example.org', 'active', NULL);
        INSERT INTO vocabularies VALUES (1, 'genre');
        INSERT INTO tags VALUES (1, 'economy', NULL), (2, 'music', 1);
        INSERT INTO members VALUES (1, 1, 1), (2, 1, 2), (3, 2, 2);
        INSERT INTO org_tags VALUES (1, 1, 1), (2, 1, 2);
        """ + Sync(postgres);

    // Ann has a deleted account (lowest id), the active one, and a pending one that never logged in.
    // The target's tags: a free "economy" and a "music" of each kind (free, and in the genre vocabulary).
    private static string TargetData(bool postgres) => """
        INSERT INTO orgs VALUES (1, 'Existing');
        INSERT INTO users VALUES (1, 'ann@example.org', 'deleted', '2020-01-01 00:00:00'), (2, 'ann@example.org', 'active', '2024-06-01 00:00:00'),
                                 (3, 'bob@example.org', 'active', NULL), (4, 'ann@example.org', 'pending', NULL);
        INSERT INTO vocabularies VALUES (5, 'genre');
        INSERT INTO tags VALUES (7, 'economy', NULL), (8, 'music', 5), (9, 'music', NULL);
        INSERT INTO members VALUES (1, 1, 1);
        """ + Sync(postgres);

    private async Task<(TestDb Target, string Archive)> ExportAsync(string engine)
    {
        var source = await TestDb.CreateAsync(engine, Schema, SourceData);
        var target = await TestDb.CreateAsync(engine, Schema, TargetData);
        Keep(source);
        Keep(target);
        var archive = Path.Combine(Dir, $"org-{engine}.tar.gz");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "orgs", "--ids", "1", "--no-encrypt", "-o", archive]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        return (target, archive);
    }

    private string Profile(string yaml)
    {
        var path = Path.Combine(Dir, "ckan.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static Task<CliRun> ImportAsync(TestDb target, string archive, string profile) =>
        CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);

    private static async Task<string[]> Rows(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => string.Join(" ", r.Select(v => v ?? "NULL"))).ToArray();

    private const string Tags = """
          - {table: vocabularies, key: name}
          - {table: tags, key: [name, vocabulary_id]}
        """;

    [Theory]
    [MemberData(nameof(PartialIndexEngines))]
    public async Task Where_limits_matching_to_active_accounts_and_a_null_vocabulary_matches_a_free_tag(string engine)
    {
        var (target, archive) = await ExportAsync(engine);

        var run = await ImportAsync(target, archive, Profile("identities:\n  - {table: users, key: email, where: \"state = 'active'\"}\n" + Tags));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("4", await target.ScalarAsync("SELECT COUNT(*) FROM users"));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM tags"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM vocabularies"));
        const string org = "(SELECT id FROM orgs WHERE name = 'Open Data')";
        Assert.Equal(["2 ann@example.org active", "3 bob@example.org active"],
            await Rows(target, $"SELECT u.id, u.email, u.state FROM members m JOIN users u ON u.id = m.user_id WHERE m.org_id = {org} ORDER BY u.id"));
        Assert.Equal(["7", "8"], await Rows(target, $"SELECT tag_id FROM org_tags WHERE org_id = {org} ORDER BY tag_id"));
        // The app's next insert works: the sequences moved past the imported rows.
        await target.ExecuteAsync("INSERT INTO members (org_id, user_id) VALUES (1, 2)");
    }

    [Theory]
    [MemberData(nameof(PartialIndexEngines))]
    public async Task Prefer_picks_the_latest_login_and_a_row_without_one_comes_last(string engine)
    {
        var (target, archive) = await ExportAsync(engine);

        var run = await ImportAsync(target, archive, Profile("identities:\n  - {table: users, key: email, prefer: [last_login desc, id]}\n" + Tags));

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(["2", "3"], await Rows(target, "SELECT user_id FROM members WHERE org_id = (SELECT id FROM orgs WHERE name = 'Open Data') ORDER BY user_id"));
        Assert.Equal("4", await target.ScalarAsync("SELECT COUNT(*) FROM users"));
    }

    [Theory]
    [MemberData(nameof(PartialIndexEngines))]
    public async Task Several_matching_rows_that_no_rule_tells_apart_are_conflicts_and_nothing_is_written(string engine)
    {
        var (target, archive) = await ExportAsync(engine);
        await target.ExecuteAsync("UPDATE users SET last_login = '2024-06-01 00:00:00' WHERE id = 4");
        var before = await target.DumpAsync();

        var none = await ImportAsync(target, archive, Profile("identities:\n  - {table: users, key: email}\n" + Tags));
        var tie = await ImportAsync(target, archive, Profile("identities:\n  - {table: users, key: email, prefer: last_login desc}\n" + Tags));

        none.AssertFails(ExitCodes.Conflicts, "1 conflict(s) with rows in the target: nothing was written");
        Assert.Contains("conflict: users (email) = (ann@example.org) matches 3 rows in the target, which identity users (profile ckan.yaml:2) does not tell apart " +
                        "(a profile identity's where or prefer can)", none.Stderr, StringComparison.Ordinal);
        tie.AssertFails(ExitCodes.Conflicts, "1 conflict(s) with rows in the target: nothing was written");
        Assert.Contains("conflict: users (email) = (ann@example.org) matches 2 rows in the target", tie.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [InlineData("sqlite", "  - {table: users, key: email, where: \"stat = 'active'\"}\n", ExitCodes.Usage,
        "profile ckan.yaml:2: identity users: where \"stat = 'active'\" fails on the target's users: ")]
    [InlineData("postgres", "  - {table: users, key: email, where: \"stat = 'active'\"}\n", ExitCodes.Usage,
        "profile ckan.yaml:2: identity users: where \"stat = 'active'\" fails on the target's users: ")]
    [InlineData("sqlite", "  - {table: users, key: email, prefer: [logged_in desc]}\n", ExitCodes.Usage,
        "profile ckan.yaml:2: unknown column users.logged_in: users has no column logged_in in the target")]
    [InlineData("sqlite", "  - {table: users, key: email, prefer: \"last_login downwards\"}\n", ExitCodes.Usage,
        "profile ckan.yaml:2: prefer 'last_login downwards' is not a column optionally followed by asc or desc")]
    [InlineData("sqlite", "  - {table: users, key: email, prefer: [id, id desc]}\n", ExitCodes.Usage, "profile ckan.yaml:2: prefer names id twice")]
    [InlineData("sqlite", "  - {table: users, key: email, prefer: []}\n", ExitCodes.Usage, "profile ckan.yaml:2: prefer must name at least one column")]
    [InlineData("sqlite", "  - {table: users, key: email, where: [a]}\n", ExitCodes.Usage, "profile ckan.yaml:2: where must be a non-empty text; found a list")]
    public async Task Bad_identity_rules_are_one_error_line_and_leave_the_target_unchanged(string engine, string identity, int exit, string text)
    {
        var (target, archive) = await ExportAsync(engine);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target, archive, Profile($"identities:\n{identity}"));

        run.AssertFails(exit, text);
        Assert.Equal(before, await target.DumpAsync());
    }
}
