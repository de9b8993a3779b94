using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// An identity whose key lives in another table (issue 13 point 9), as in Kopano: a user's e-mail is a
/// row of a properties table keyed by the user's id. Both engines, through the command line.
/// </summary>
public sealed class IdentityThroughCliTests() : CliScratch("ferry-through-")
{
    private static string Schema(bool postgres)
    {
        var id = postgres ? "serial PRIMARY KEY" : "INTEGER PRIMARY KEY";
        var i = postgres ? "int" : "INTEGER";
        return $"""
            CREATE TABLE orgs (id {id}, name TEXT NOT NULL);
            CREATE TABLE users (id {id}, org_id {i} NOT NULL REFERENCES orgs (id), login TEXT NOT NULL);
            CREATE TABLE user_properties (id {id}, user_id {i} NOT NULL REFERENCES users (id), name TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (user_id, name));
            CREATE TABLE documents (id {id}, owner_id {i} NOT NULL REFERENCES users (id), title TEXT NOT NULL);
            """;
    }

    private static string Sync(bool postgres) => postgres
        ? string.Concat(new[] { "orgs", "users", "user_properties", "documents" }.Select(t =>
            $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), GREATEST(1, (SELECT MAX(id) FROM {t})));\n"))
        : "";

    private static string Source(bool postgres) => """
        INSERT INTO orgs VALUES (1, 'Hillside');
        INSERT INTO users VALUES (1, 1, 'ann'), (2, 1, 'bob');
        INSERT INTO user_properties VALUES (1, 1, 'email', 'ann@example.org'), (2, 1, 'phone', '555'), (3, 2, 'email', 'bob@example.org');
        INSERT INTO documents VALUES (1, 1, 'Ann''s'), (2, 2, 'Bob''s');
        """ + Sync(postgres);

    // Ann is user 7 here, under another login; user 8's phone holds Ann's e-mail address by mistake.
    private static string Target(bool postgres) => """
        INSERT INTO orgs VALUES (1, 'Existing');
        INSERT INTO users VALUES (7, 1, 'annie'), (8, 1, 'someone');
        INSERT INTO user_properties VALUES (1, 7, 'email', 'ann@example.org'), (2, 8, 'email', 'other@example.org'), (3, 8, 'phone', 'ann@example.org');
        """ + Sync(postgres);

    private const string Reuse = "conflicts:\n  - {table: user_properties, key: [user_id, name], action: reuse}\n";

    private async Task<(TestDb Target, string Archive)> ExportAsync(string engine)
    {
        var source = await TestDb.CreateAsync(engine, Schema, Source);
        var target = await TestDb.CreateAsync(engine, Schema, Target);
        Keep(source);
        Keep(target);
        var archive = Path.Combine(Dir, "org.tar.gz");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "orgs", "--ids", "1", "--no-encrypt", "-o", archive]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        return (target, archive);
    }

    private async Task<CliRun> ImportAsync(TestDb target, string archive, string yaml)
    {
        var profile = Path.Combine(Dir, "kopano.yaml");
        await File.WriteAllTextAsync(profile, yaml);
        return await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);
    }

    private static async Task<string[]> Rows(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => string.Join(" ", r)).ToArray();

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_user_is_matched_by_the_email_in_its_properties(string engine)
    {
        var (target, archive) = await ExportAsync(engine);

        var run = await ImportAsync(target, archive,
            "identities:\n  - {table: users, key: value, through: {table: user_properties, column: user_id, where: \"name = 'email'\"}}\n" + Reuse);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM users"));
        Assert.Equal(["Ann's annie", "Bob's bob"], await Rows(target, "SELECT d.title, u.login FROM documents d JOIN users u ON u.id = d.owner_id ORDER BY d.title"));
        // Ann's e-mail row is the existing one; her phone is added to her account; Bob arrives with his.
        Assert.Equal(["annie email ann@example.org", "annie phone 555", "bob email bob@example.org", "someone email other@example.org", "someone phone ann@example.org"],
            await Rows(target, "SELECT u.login, p.name, p.value FROM user_properties p JOIN users u ON u.id = p.user_id ORDER BY u.login, p.name"));
        await target.ExecuteAsync("INSERT INTO documents (owner_id, title) VALUES (7, 'next')");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Without_where_a_value_of_another_property_makes_the_match_ambiguous(string engine)
    {
        var (target, archive) = await ExportAsync(engine);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target, archive, "identities:\n  - {table: users, key: value, through: {table: user_properties, column: user_id}}\n" + Reuse);

        run.AssertFails(ExitCodes.Conflicts, "1 conflict(s) with rows in the target: nothing was written");
        Assert.Contains("conflict: users (value) = (555) matches 2 rows in the target", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [InlineData("sqlite", "{table: users, key: value, through: {table: props, column: user_id}}", "profile kopano.yaml:2: unknown table props: the target has no table of that name")]
    [InlineData("sqlite", "{table: users, key: email, through: {table: user_properties, column: user_id}}",
        "profile kopano.yaml:2: unknown column user_properties.email: user_properties has no column email in the target")]
    [InlineData("postgres", "{table: users, key: value, through: {table: user_properties, column: user_id, where: \"nme = 'email'\"}}",
        "profile kopano.yaml:2: identity users: where \"nme = 'email'\" fails on the target's user_properties: ")]
    [InlineData("sqlite", "{table: users, key: value, through: {table: user_properties}}", "profile kopano.yaml:2: through needs 'column': its column that holds the identity row's primary key")]
    [InlineData("sqlite", "{table: users, key: value, missing: placeholder, through: {table: user_properties, column: user_id}}",
        "profile kopano.yaml:2: an identity whose key is taken through another table cannot have missing: placeholder")]
    public async Task Bad_through_rules_are_one_error_line_and_leave_the_target_unchanged(string engine, string identity, string text)
    {
        var (target, archive) = await ExportAsync(engine);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target, archive, $"identities:\n  - {identity}\n");

        run.AssertFails(ExitCodes.Usage, text);
        Assert.Equal(before, await target.DumpAsync());
    }
}
