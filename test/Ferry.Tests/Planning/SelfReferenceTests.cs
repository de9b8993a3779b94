using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Self-references: ownership when NOT NULL or followed, unfollowed otherwise, never a cycle break.</summary>
public class SelfReferenceTests
{
    [Fact]
    public void Not_null_self_reference_is_an_ownership_edge_and_never_breaks_the_order()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "folders")
            .Fk("folders", "group_id", "groups")
            .Fk("folders", "parent_id", "folders")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, folders:Owned", Tables(plan));
        Assert.Equal("folders.group_id → groups, folders.parent_id → folders", Edges(plan.OwnershipEdges));
        Assert.Equal(Edges(plan.OwnershipEdges), Edges(plan.CheckedEdges));
        Assert.Empty(plan.UnfollowedEdges);
        Assert.Empty(plan.CycleBreaks);
    }

    [Fact]
    public void Nullable_self_reference_is_unfollowed_and_checked_unless_followed()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "comments")
            .Fk("groups", "parent_id", "groups", nullable: true)
            .Fk("comments", "group_id", "groups")
            .Fk("comments", "reply_to_id", "comments", nullable: true)
            .Build();

        var plan = Plan(schema, "groups");
        Assert.Equal("comments.reply_to_id → comments, groups.parent_id → groups", Edges(plan.UnfollowedEdges));
        Assert.Equal(
            "comments.group_id → groups, comments.reply_to_id → comments, groups.parent_id → groups",
            Edges(plan.CheckedEdges));
        Assert.Equal("comments.group_id → groups", Edges(plan.OwnershipEdges));
        Assert.Empty(plan.CycleBreaks);

        var followed = Plan(schema, "groups", follow: ["comments.reply_to_id", "groups.parent_id"]);
        Assert.Empty(followed.UnfollowedEdges);
        Assert.Equal(
            "comments.group_id → groups, comments.reply_to_id → comments, groups.parent_id → groups",
            Edges(followed.OwnershipEdges));
        Assert.Empty(followed.CycleBreaks);
    }

    [Fact]
    public void Self_reference_on_a_referenced_table_is_a_reference_edge_and_does_not_make_it_tenant()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "staff")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "staff_id", "staff")
            .Fk("staff", "manager_id", "staff")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, staff:Referenced, posts:Owned", Tables(plan));
        Assert.Equal("posts.staff_id → staff, staff.manager_id → staff", Edges(plan.ReferenceEdges));
        Assert.Empty(plan.CycleBreaks);
    }
}
