using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary><c>ferry plan</c> end to end: each format on stdout, each mistake one error line; the source never changes.</summary>
public sealed class PlanCliTests : IAsyncLifetime
{
    private TestDb _source = null!;
    private string _before = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _before = await _source.DumpAsync();
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(_before, await _source.DumpAsync());
        await _source.DisposeAsync();
    }

    private Task<CliRun> PlanAsync(params string[] extra) =>
        CliRun.RunAsync(["plan", "--from", _source.ConnectionString, .. extra]);

    [Fact]
    public async Task Text_shows_roles_paths_rows_cuts_left_behind_and_cycle_breaks()
    {
        var run = await PlanAsync("--root", "groups", "--ids", "2", "--exclude", "notes");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stderr);
        var lines = run.StdoutText.Split('\n');
        Assert.Equal("plan: groups 2: 8 table(s) in scope (1 root, 6 owned, 1 referenced), 18 rows", lines[0]);
        Assert.Contains("messages               owned          3  groups ← conversations.group_id ← messages.conversation_id", lines);
        Assert.Contains("users                  referenced     3  groups ← memberships.group_id → users via memberships.user_id", lines);
        Assert.Contains("notes                  excluded       -", lines);
        Assert.Contains("  activities.place_id → places: 1 row (outside the scope)", lines);
        // Following users.current_group_id would make users part of the tenant, and the other group's
        // participants of this group's activities would then point outside it: not suggested.
        Assert.Contains("  users.current_group_id → groups: 1 row left behind (--follow users.current_group_id would not work: 2 row(s) of " +
                        "activity_participants would point outside the export through activity_participants.user_id (NOT NULL), and 5 more key(s) like it)", lines);
        Assert.Contains("  conversations.latest_message_id → messages: written NULL, then updated once every row exists", lines);
    }

    [Fact]
    public async Task Json_is_one_document_with_every_table()
    {
        var run = await PlanAsync("--root", "groups", "--ids", "2", "--format", "json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var tables = json.RootElement.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(9, tables.Count);
        Assert.Equal(20, json.RootElement.GetProperty("totalRows").GetInt64());
        var users = tables.Single(t => t.GetProperty("name").GetString() == "users");
        Assert.Equal("referenced", users.GetProperty("role").GetString());
        Assert.Equal(3, users.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Mermaid_and_dot_draw_every_table_with_its_role()
    {
        var mermaid = await PlanAsync("--root", "groups", "--ids", "2", "--exclude", "notes", "--format", "mermaid");
        var dot = await PlanAsync("--root", "groups", "--ids", "2", "--exclude", "notes", "--format", "dot");

        Assert.True(mermaid.ExitCode == 0, mermaid.Stderr);
        Assert.StartsWith("flowchart LR\n", mermaid.StdoutText, StringComparison.Ordinal);
        Assert.Contains("[\"notes<br/>excluded\"]:::excluded", mermaid.StdoutText, StringComparison.Ordinal);
        Assert.Contains("-.->|\"place_id · not followed, 0 left behind · 1 cut\"|", mermaid.StdoutText, StringComparison.Ordinal);
        Assert.True(dot.ExitCode == 0, dot.Stderr);
        Assert.StartsWith("digraph plan {\n", dot.StdoutText, StringComparison.Ordinal);
        Assert.Contains("\"users\" [label=\"users\\nreferenced · 3 rows\", fillcolor=\"#9ec5fe\"", dot.StdoutText, StringComparison.Ordinal);
        Assert.EndsWith("}\n", dot.StdoutText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--root", "groups", "--ids", "2", "--format", "yaml" }, 2, "--format 'yaml': expected text, json, mermaid or dot")]
    [InlineData(new[] { "--ids", "2" }, 2, "--root is required unless the profile names a root")]
    [InlineData(new[] { "--root", "groups" }, 2, "--ids")]
    [InlineData(new[] { "--root", "nosuch", "--ids", "2" }, 2, "unknown root table nosuch")]
    [InlineData(new[] { "--root", "groups", "--ids", "2,99" }, 1, "groups has no row with id 99")]
    [InlineData(new[] { "--root", "groups", "--ids", "two" }, 2, "'two' is not an integer")]
    [InlineData(new[] { "--root", "groups", "--ids", "2", "--exclude", "nosuch" }, 2, "unknown excluded table nosuch")]
    [InlineData(new[] { "--root", "groups", "--ids", "2", "--exclude", "users" }, 1, "memberships.user_id is NOT NULL")]
    [InlineData(new[] { "--root", "groups", "--ids", "2", "--follow", "users" }, 2, "TABLE.COLUMN")]
    [InlineData(new[] { "--root", "groups", "--ids", "2", "--follow", "users.name" }, 2, "users.name is not a foreign key column")]
    public async Task Plan_mistakes_are_one_error_line_and_print_nothing(string[] options, int code, string text)
    {
        var run = await PlanAsync(options);

        run.AssertFails(code, text);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public async Task A_missing_source_is_named()
    {
        var run = await CliRun.RunAsync(["plan", "--from", "sqlite:/nonexistent/source.db", "--root", "groups", "--ids", "2"]);

        run.AssertFails(1, "does not exist");
    }

    [Fact]
    public async Task Export_prints_the_compact_plan_before_the_data()
    {
        var dir = Directory.CreateTempSubdirectory("ferry-plan-").FullName;
        try
        {
            var run = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", Path.Combine(dir, "a.tar.gz")]);

            Assert.True(run.ExitCode == 0, run.Stderr);
            var lines = run.Stderr.Split('\n').ToList();
            var summary = lines.IndexOf("plan: groups 2: 9 table(s) in scope (1 root, 7 owned, 1 referenced), 20 rows");
            Assert.True(summary >= 0, run.Stderr);
            Assert.True(summary < lines.FindIndex(l => l.StartsWith("export groups:", StringComparison.Ordinal)), run.Stderr);
            Assert.Contains("  activities.place_id → places: 1 row (outside the scope)", lines);
            Assert.Contains("cycle breaks: conversations.latest_message_id → messages (NULL, then updated)", lines);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
