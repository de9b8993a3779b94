using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Excluded tables: cut, never pulled, their children not reached.</summary>
public class ExcludedTableTests
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
}
