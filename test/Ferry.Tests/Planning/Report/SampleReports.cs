using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Tests.Planning.Report;

/// <summary>
/// Plan reports over small schemas with counts given by hand, the way the database would give them,
/// so that the renderers and paths are pinned without a database.
/// </summary>
internal static class SampleReports
{
    /// <summary>
    /// groups owns memberships, posts (→ comments) and conversations, which cycle with messages through a
    /// followed latest_message_id; memberships and comments reference users; posts reference tags, which
    /// reference kinds; audit is excluded with a reason, migrations ignored, sessions not reached.
    /// </summary>
    public static DatabaseSchema AppSchema() => new SchemaBuilder()
        .Tables("groups", "memberships", "users", "posts", "comments", "tags", "kinds", "conversations", "messages", "audit", "migrations", "sessions")
        .Fk("memberships", "group_id", "groups")
        .Fk("memberships", "user_id", "users")
        .Fk("users", "current_group_id", "groups", nullable: true)
        .Fk("posts", "group_id", "groups")
        .Fk("posts", "tag_id", "tags", nullable: true)
        .Fk("posts", "audit_id", "audit", nullable: true)
        .Fk("tags", "kind_id", "kinds")
        .Fk("comments", "post_id", "posts")
        .Fk("comments", "author_id", "users")
        .Fk("comments", "reply_to_id", "comments", nullable: true)
        .Fk("conversations", "group_id", "groups")
        .Fk("conversations", "latest_message_id", "messages", nullable: true)
        .Fk("messages", "conversation_id", "conversations")
        .Fk("audit", "group_id", "groups", nullable: true)
        .Fk("sessions", "user_id", "users")
        .Build();

    public static Profile AppProfile() => Profile.Empty("app.yaml") with
    {
        Exclude = [new TableRule("audit", "instance-specific audit trail", 3)],
        Ignore = [new TableRule("migrations", "framework bookkeeping", 5)],
    };

    public static ExportPlan AppPlan() => Planner.Build(new PlanRequest(
        AppSchema(), "groups", ["audit"], [("conversations", "latest_message_id")], ["migrations"]));

    /// <summary>The app's report: two posts point at audit rows (cut), one user's current group is another group (cut), two users outside point at the group (left behind).</summary>
    public static PlanReport App()
    {
        var plan = AppPlan();
        var rows = new Dictionary<string, long>
        {
            ["groups"] = 1, ["memberships"] = 3, ["users"] = 4, ["posts"] = 5, ["comments"] = 1200,
            ["tags"] = 2, ["kinds"] = 1, ["conversations"] = 2, ["messages"] = 7,
        };
        var cuts = plan.Tables.SelectMany(t => t.Table.ForeignKeys)
            .Select(e => (e, e.ToString() switch
            {
                "posts.audit_id → audit" => 2L,
                "users.current_group_id → groups" => 1L,
                _ => 0L,
            }))
            .ToList();
        var left = plan.UnfollowedEdges.Select(e => (e, (long?)(e.Table == "users" ? 2L : 0L))).ToList();
        var report = PlanReport.Build(plan, ["2"], rows, cuts, left, AppProfile());
        return report with
        {
            Edges = report.Edges.Select(e => e.Key.Table == "users" && e.LeftBehind > 0
                ? e with { Follow = new FollowHint("users", "current_group_id", true, 2, null) }
                : e).ToList(),
            Warnings = ["left behind: 2 row(s) of users point at exported groups rows through users.current_group_id " +
                        "(nullable, not followed; --follow users.current_group_id takes them, 2 more row(s) in all)"],
        };
    }

    /// <summary>A root with one owned child and one referenced table, for the graph and JSON formats.</summary>
    public static PlanReport Small()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users", "logs")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users")
            .Fk("users", "current_group_id", "groups", nullable: true)
            .Build();
        var plan = Planner.Build(new PlanRequest(schema, "groups", [], []));
        var rows = new Dictionary<string, long> { ["groups"] = 1, ["posts"] = 2, ["users"] = 1 };
        var cuts = plan.Tables.SelectMany(t => t.Table.ForeignKeys).Select(e => (e, e.Table == "users" ? 1L : 0L)).ToList();
        var left = plan.UnfollowedEdges.Select(e => (e, (long?)3L)).ToList();
        var report = PlanReport.Build(plan, ["2", "5"], rows, cuts, left, null);
        var undeclared = new UndeclaredReference("posts", "editor_id", "users", "id", 2, 1);
        return report with
        {
            Edges = report.Edges.Select(e => e.Key.Table == "users"
                ? e with { Follow = new FollowHint("users", "current_group_id", false, 0, "2 row(s) of posts would point outside the export through posts.author_id (NOT NULL)") }
                : e).ToList(),
            Undeclared = [undeclared],
            Warnings = [undeclared.ToString()],
        };
    }
}
