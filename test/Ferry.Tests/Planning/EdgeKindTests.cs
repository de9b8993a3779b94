using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Excluded tables, followed keys and self-references.</summary>
public class EdgeKindTests
{
    private static SchemaBuilder Files() => new SchemaBuilder()
        .Tables("groups", "posts", "files", "audit", "logs", "log_lines")
        .Fk("posts", "group_id", "groups")
        .Fk("posts", "file_id", "files")
        .Fk("posts", "thumb_id", "files", nullable: true)
        .Fk("files", "group_id", "groups")
        .Fk("audit", "group_id", "groups")
        .Fk("audit", "post_id", "posts", nullable: true)
        .Fk("logs", "group_id", "groups")
        .Fk("logs", "file_id", "files")
        .Fk("log_lines", "log_id", "logs");

    [Fact]
    public void Excluded_tables_are_cut_and_their_children_not_reached()
    {
        var plan = Plan(Files().Build(), "groups", ["logs", "files", "audit"]);

        Assert.Equal("groups:Root, posts:Owned", Tables(plan));
        Assert.Equal("audit, files, logs", Names(plan.Excluded));
        Assert.Equal("log_lines", Names(plan.NotReached));
        // NOT NULL and nullable alike; only from in-scope tables (not logs.file_id).
        Assert.Equal("posts.file_id → files, posts.thumb_id → files", Edges(plan.ExcludedEdges));
        // audit.post_id is nullable into the tenant but audit is excluded: not listed as left behind.
        Assert.Empty(plan.UnfollowedEdges);
        Assert.Equal("posts.group_id → groups", Edges(plan.OwnershipEdges));
        Assert.Empty(plan.ReferenceEdges);
    }

    [Fact]
    public void Without_exclusion_the_same_tables_are_owned()
    {
        var plan = Plan(Files().Build(), "groups");

        Assert.Equal("groups:Root, files:Owned, logs:Owned, log_lines:Owned, posts:Owned, audit:Owned", Tables(plan));
        Assert.Equal("audit.post_id → posts, posts.thumb_id → files", Edges(plan.UnfollowedEdges));
        Assert.Empty(plan.ExcludedEdges);
        Assert.Empty(plan.NotReached);
    }

    [Fact]
    public void Excluded_table_referenced_by_a_referenced_table_is_cut_there_too()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users", "avatars")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users")
            .Fk("users", "avatar_id", "avatars", nullable: true)
            .Build();

        var plan = Plan(schema, "groups", ["avatars"]);

        Assert.Equal("groups:Root, users:Referenced, posts:Owned", Tables(plan));
        Assert.Equal("users.avatar_id → avatars", Edges(plan.ExcludedEdges));
        Assert.Equal("avatars", Names(plan.Excluded));
    }

    [Fact]
    public void Excluding_a_would_be_referenced_table_stops_the_transitive_pull()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users", "countries")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users")
            .Fk("users", "country_id", "countries")
            .Build();

        var plan = Plan(schema, "groups", ["users"]);

        Assert.Equal("groups:Root, posts:Owned", Tables(plan));
        Assert.Equal("posts.author_id → users", Edges(plan.ExcludedEdges));
        Assert.Equal("countries", Names(plan.NotReached));
    }

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
