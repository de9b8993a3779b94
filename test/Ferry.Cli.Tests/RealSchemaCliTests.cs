using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// The command line of issue 12 as a user typed it: a Karrot-like app planned and exported without
/// following a nullable key into a table the plan does not reach (it crashed with "unexpected
/// KeyNotFoundException"); plan names the hint, tried, and the undeclared reference.
/// </summary>
public sealed class RealSchemaCliTests
{
    private const string Karrot = """
        CREATE TABLE groups_group (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE conversations_conversation (id INTEGER PRIMARY KEY, group_id INTEGER REFERENCES groups_group (id), target_id INTEGER);
        CREATE TABLE history_history (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups_group (id));
        CREATE TABLE places_place (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups_group (id), name TEXT NOT NULL, manager_id INTEGER);
        INSERT INTO groups_group VALUES (1, 'one'), (2, 'two');
        INSERT INTO conversations_conversation VALUES (1, 2, NULL), (2, 1, NULL);
        INSERT INTO history_history VALUES (1, 2);
        INSERT INTO places_place VALUES (1, 2, 'Park', 7);
        """;

    [Fact]
    public async Task A_karrot_like_app_plans_and_exports_without_the_follow()
    {
        await using var db = await TestDb.CreateAsync("sqlite", _ => Karrot, _ => "SELECT 1");
        var archive = Path.Combine(Path.GetTempPath(), $"ferry-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var plan = await CliRun.RunAsync(["plan", "--from", db.ConnectionString, "--root", "groups_group", "--ids", "2", "--exclude", "history_history"]);
            var json = await CliRun.RunAsync(["plan", "--from", db.ConnectionString, "--root", "groups_group", "--ids", "2", "--exclude", "history_history", "--format", "json"]);
            var export = await CliRun.RunAsync(["export", "--from", db.ConnectionString, "--root", "groups_group", "--ids", "2", "--exclude", "history_history",
                "--no-encrypt", "-o", archive]);

            Assert.True(plan.ExitCode == 0, plan.Stderr);
            Assert.Contains("  conversations_conversation.group_id → groups_group: 1 row left behind (--follow conversations_conversation.group_id takes them, " +
                            "1 more row(s) in all)", plan.StdoutText.Split('\n'));
            Assert.Contains("  places_place.manager_id looks like a reference but has no foreign key and no table is named like it (1 row(s) hold a value): " +
                            "its values are copied unchanged", plan.StdoutText.Split('\n'));
            using var document = JsonDocument.Parse(json.Stdout);
            Assert.Equal("places_place", document.RootElement.GetProperty("undeclared")[0].GetProperty("table").GetString());
            Assert.True(export.ExitCode == 0, export.Stderr);
            Assert.DoesNotContain("unexpected", export.Stderr, StringComparison.Ordinal);
            Assert.Contains("warning: left behind: 1 row(s) of conversations_conversation", export.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
