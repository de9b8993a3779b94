using Ferry.Planning;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning.Report;

/// <summary>The path that reaches each table from the root, as the plan report shows it.</summary>
public class PlanPathsTests
{
    private static Dictionary<string, string> Paths(ExportPlan plan) =>
        PlanPaths.Compute(plan).ToDictionary(p => p.Key, p => PlanPaths.Describe(plan.Root, p.Value));

    [Fact]
    public void Owned_chain_reads_from_the_root_down_to_the_rows_that_point_at_it()
    {
        var schema = new SchemaBuilder()
            .Tables("comments", "tasks", "projects", "groups")
            .Fk("comments", "task_id", "tasks")
            .Fk("tasks", "project_id", "projects")
            .Fk("projects", "group_id", "groups")
            .Build();

        var paths = Paths(Plan(schema, "groups"));

        Assert.Equal("groups", paths["groups"]);
        Assert.Equal("groups ← projects.group_id ← tasks.project_id ← comments.task_id", paths["comments"]);
    }

    [Fact]
    public void Referenced_tables_continue_the_path_of_the_rows_that_point_at_them_transitively()
    {
        var paths = Paths(SampleReports.AppPlan());

        Assert.Equal("groups ← posts.group_id → tags via posts.tag_id", paths["tags"]);
        Assert.Equal("groups ← posts.group_id → tags via posts.tag_id → kinds via tags.kind_id", paths["kinds"]);
        Assert.Equal("groups ← memberships.group_id → users via memberships.user_id", paths["users"]);
    }

    [Fact]
    public void Shortest_path_wins_and_ties_go_to_the_first_parent_in_order()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "a", "b", "c", "d")
            .Fk("a", "group_id", "groups")
            .Fk("b", "group_id", "groups")
            .Fk("c", "b_id", "b")
            .Fk("c", "a_id", "a")
            .Fk("d", "c_id", "c")
            .Fk("d", "group_id", "groups")
            .Build();

        var paths = Paths(Plan(schema, "groups"));

        Assert.Equal("groups ← a.group_id ← c.a_id", paths["c"]);
        Assert.Equal("groups ← d.group_id", paths["d"]);
    }

    [Fact]
    public void Cycles_and_self_references_do_not_loop_and_every_table_in_scope_has_a_path()
    {
        var plan = SampleReports.AppPlan();

        var paths = Paths(plan);

        Assert.Equal("groups ← conversations.group_id ← messages.conversation_id", paths["messages"]);
        Assert.Equal("groups ← posts.group_id ← comments.post_id", paths["comments"]);
        Assert.Equal(Names(plan.Tables.Select(t => t.Name).Order(StringComparer.Ordinal)), Names(paths.Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void A_followed_nullable_key_shows_in_the_path_of_what_it_owns()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "users", "posts")
            .Fk("users", "current_group_id", "groups", nullable: true)
            .Fk("posts", "author_id", "users")
            .Build();

        var paths = Paths(Plan(schema, "groups", null, "users.current_group_id"));

        Assert.Equal("groups ← users.current_group_id ← posts.author_id", paths["posts"]);
    }
}
