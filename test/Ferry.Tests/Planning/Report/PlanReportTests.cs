using Ferry.Planning;

namespace Ferry.Tests.Planning.Report;

/// <summary>What the plan report holds: every table with its role, rows and reason; the edges and their counts.</summary>
public class PlanReportTests
{
    [Fact]
    public void Every_table_has_a_role_in_role_order_with_rows_only_in_scope()
    {
        var report = SampleReports.App();

        Assert.Equal(
            "groups:Root:1, posts:Owned:5, comments:Owned:1200, memberships:Owned:3, conversations:Owned:2, messages:Owned:7, " +
            "kinds:Referenced:1, tags:Referenced:2, users:Referenced:4, audit:Excluded:-, migrations:Ignored:-, sessions:NotReached:-",
            string.Join(", ", report.Tables.Select(t => $"{t.Name}:{t.Role}:{t.Rows?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}")));
        Assert.Equal(1225, report.TotalRows);
        Assert.All(report.Tables.Where(t => !t.InScope), t => Assert.Empty(t.Path));
    }

    [Fact]
    public void Reasons_come_from_the_profile_rules()
    {
        var report = SampleReports.App();

        Assert.Equal("instance-specific audit trail", report.Tables.Single(t => t.Name == "audit").Reason);
        Assert.Equal("framework bookkeeping", report.Tables.Single(t => t.Name == "migrations").Reason);
        Assert.All(report.Tables.Where(t => t.Name is not ("audit" or "migrations")), t => Assert.Null(t.Reason));
    }

    [Fact]
    public void Without_a_profile_there_are_no_reasons()
    {
        var plan = SampleReports.AppPlan();

        var report = PlanReport.Build(plan, ["2"], new Dictionary<string, long>(), [], [], profile: null);

        Assert.All(report.Tables, t => Assert.Null(t.Reason));
        Assert.All(report.Tables.Where(t => t.InScope), t => Assert.Equal(0, t.Rows));
    }

    [Fact]
    public void Edges_say_how_the_plan_uses_them_with_cut_and_left_behind_counts()
    {
        var report = SampleReports.App();

        Assert.Equal(
            [
                "comments.author_id → users References cut 0",
                "comments.post_id → posts Owns cut 0",
                "comments.reply_to_id → comments NotFollowed cut 0 left 0",
                "conversations.group_id → groups Owns cut 0",
                "conversations.latest_message_id → messages Owns cut 0 break",
                "memberships.group_id → groups Owns cut 0",
                "memberships.user_id → users References cut 0",
                "messages.conversation_id → conversations Owns cut 0",
                "posts.audit_id → audit IntoExcluded cut 2",
                "posts.group_id → groups Owns cut 0",
                "posts.tag_id → tags References cut 0",
                "tags.kind_id → kinds References cut 0",
                "users.current_group_id → groups NotFollowed cut 1 left 2",
            ],
            report.Edges.Select(e => $"{e.Key} {e.Kind} cut {e.Cut}{(e.LeftBehind is { } l ? $" left {l}" : "")}{(e.CycleBreak ? " break" : "")}"));
        Assert.Equal("conversations.latest_message_id → messages", Assert.Single(report.CycleBreaks).ToString());
    }
}
