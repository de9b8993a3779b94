using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Followed nullable keys become ownership edges; the others are listed as left behind.</summary>
public class FollowTests
{
    private static SchemaBuilder Conversations() => new SchemaBuilder()
        .Tables("conversations", "messages", "attachments", "thumbnails")
        .Fk("messages", "conversation_id", "conversations")
        .Fk("conversations", "latest_message_id", "messages", nullable: true)
        .Fk("attachments", "message_id", "messages", nullable: true)
        .Fk("thumbnails", "attachment_id", "attachments");

    [Fact]
    public void Unfollowed_nullable_key_leaves_the_child_table_behind()
    {
        var plan = Plan(Conversations().Build(), "conversations");

        Assert.Equal("conversations:Root, messages:Owned", Tables(plan));
        Assert.Equal(
            "attachments.message_id → messages, conversations.latest_message_id → messages",
            Edges(plan.UnfollowedEdges));
        Assert.Equal("attachments, thumbnails", Names(plan.NotReached));
        Assert.Equal("conversations.latest_message_id → messages", Edges(plan.CycleBreaks));
    }

    [Fact]
    public void Followed_nullable_key_makes_the_child_a_tenant_table_with_its_own_children()
    {
        var plan = Plan(Conversations().Build(), "conversations", follow: "attachments.message_id");

        Assert.Equal(
            "conversations:Root, messages:Owned, attachments:Owned, thumbnails:Owned",
            Tables(plan));
        Assert.Equal(
            "attachments.message_id → messages, messages.conversation_id → conversations, thumbnails.attachment_id → attachments",
            Edges(plan.OwnershipEdges));
        Assert.Equal("conversations.latest_message_id → messages", Edges(plan.UnfollowedEdges));
        Assert.Empty(plan.NotReached);
    }

    [Fact]
    public void Followed_nullable_key_between_tenant_tables_becomes_an_ownership_edge()
    {
        var plan = Plan(Conversations().Build(), "conversations", follow: "conversations.latest_message_id");

        Assert.Equal(
            "conversations.latest_message_id → messages, messages.conversation_id → conversations",
            Edges(plan.OwnershipEdges));
        Assert.DoesNotContain(plan.UnfollowedEdges, e => e.Table == "conversations");
        // Still the nullable edge of the cycle, so still the one broken.
        Assert.Equal("conversations.latest_message_id → messages", Edges(plan.CycleBreaks));
    }

    [Fact]
    public void Following_a_not_null_key_changes_nothing()
    {
        var without = Plan(Conversations().Build(), "conversations");
        var with = Plan(Conversations().Build(), "conversations", follow: "messages.conversation_id");

        Assert.Equal(Dump(without), Dump(with));
    }

    [Fact]
    public void Followed_key_into_a_non_tenant_table_stays_a_reference()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "editor_id", "users", nullable: true)
            .Build();

        var plan = Plan(schema, "groups", follow: "posts.editor_id");

        Assert.Equal("groups:Root, users:Referenced, posts:Owned", Tables(plan));
        Assert.Equal("posts.editor_id → users", Edges(plan.ReferenceEdges));
    }

    [Fact]
    public void Follow_matches_a_composite_key_by_its_first_column()
    {
        var schema = new SchemaBuilder()
            .Table("groups", pk: "tenant_id+id")
            .Table("notes")
            .Fk("notes", "tenant_id+group_id", "groups", nullable: true)
            .Build();

        Assert.Equal("groups:Root", Tables(Plan(schema, "groups")));
        var plan = Plan(schema, "groups", follow: "notes.tenant_id");

        Assert.Equal("groups:Root, notes:Owned", Tables(plan));
        Assert.Equal("notes.tenant_id+group_id → groups", Edges(plan.OwnershipEdges));
    }
}
