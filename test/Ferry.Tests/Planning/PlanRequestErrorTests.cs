using Ferry.Planning;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Every bad request fails with one clear message and the right exit code.</summary>
public class PlanRequestErrorTests
{
    private static readonly Ferry.Schema.DatabaseSchema Schema = new SchemaBuilder()
        .Tables("groups", "posts", "users")
        .Table("events", pk: null)
        .Table("notes")
        .Fk("posts", "group_id", "groups")
        .Fk("posts", "author_id", "users", nullable: true)
        .Column("users", "nickname")
        .Fk("notes", "org_id+group_id", "groups", nullable: true)
        .Build();

    private static FerryException Fails(int exitCode, Func<ExportPlan> plan)
    {
        var error = Assert.ThrowsAny<FerryException>(plan);
        Assert.Equal(exitCode, error.ExitCode);
        return error;
    }

    [Fact]
    public void Unknown_root_lists_the_tables()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "group"));

        Assert.Equal("unknown root table group (tables: events, groups, notes, posts, users)", error.Message);
    }

    [Fact]
    public void Unknown_root_lists_ten_tables_and_counts_the_rest()
    {
        var schema = new SchemaBuilder().Tables([.. Enumerable.Range(0, 13).Select(i => $"t{i:00}")]).Build();

        var error = Fails(ExitCodes.Usage, () => Plan(schema, "x"));

        Assert.Equal("unknown root table x (tables: t00, t01, t02, t03, t04, t05, t06, t07, t08, t09 and 3 more)", error.Message);
    }

    [Fact]
    public void Unknown_root_in_an_empty_schema_says_so()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(new SchemaBuilder().Build(), "groups"));

        Assert.Equal("unknown root table groups: the schema has no tables", error.Message);
    }

    [Fact]
    public void Root_names_are_case_sensitive()
    {
        Fails(ExitCodes.Usage, () => Plan(Schema, "Groups"));
    }

    [Fact]
    public void Excluded_root_is_refused()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", ["users", "groups"]));

        Assert.Equal("root table groups is excluded", error.Message);
    }

    [Fact]
    public void Unknown_excluded_table_is_refused()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", ["users", "user"]));

        Assert.Equal("unknown excluded table user", error.Message);
    }

    [Fact]
    public void Unknown_excluded_tables_are_all_named_in_order()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", ["zz", "users", "aa"]));

        Assert.Equal("unknown excluded tables aa, zz", error.Message);
    }

    [Fact]
    public void Root_without_primary_key_is_refused()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "events"));

        Assert.Equal("root table events has no primary key", error.Message);
    }

    [Fact]
    public void Root_with_a_composite_primary_key_is_planned()
    {
        var schema = new SchemaBuilder()
            .Table("tenants", pk: "region+id")
            .Table("items")
            .Fk("items", "region+tenant_id", "tenants")
            .Build();

        var plan = Plan(schema, "tenants");

        Assert.Equal("tenants:Root, items:Owned", Tables(plan));
    }

    [Fact]
    public void Follow_of_an_unknown_table_is_refused()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", follow: "post.author_id"));

        Assert.Equal("cannot follow post.author_id: unknown table post", error.Message);
    }

    [Fact]
    public void Follow_of_an_unknown_column_is_refused()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", follow: "posts.author"));

        Assert.Equal("cannot follow posts.author: table posts has no column author", error.Message);
    }

    [Fact]
    public void Follow_of_a_column_that_is_no_foreign_key_is_refused()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", follow: "users.nickname"));

        Assert.Equal("users.nickname is not a foreign key column", error.Message);
    }

    [Fact]
    public void Follow_of_a_later_column_of_a_composite_key_names_the_first_one()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", follow: "notes.group_id"));

        Assert.Equal(
            "notes.group_id is not the first column of a foreign key: to follow notes.org_id+group_id → groups, name notes.org_id",
            error.Message);
    }

    [Fact]
    public void First_bad_follow_in_sorted_order_is_reported()
    {
        var error = Fails(ExitCodes.Usage, () => Plan(Schema, "groups", follow: ["users.nickname", "posts.title"]));

        Assert.Equal("cannot follow posts.title: table posts has no column title", error.Message);
    }

    [Fact]
    public void Follow_on_an_excluded_table_is_accepted_and_the_exclusion_wins()
    {
        var plan = Plan(Schema, "groups", ["notes"], "notes.org_id");

        Assert.Equal("notes", Names(plan.Excluded));
        Assert.Null(plan.Find("notes"));
    }

    [Fact]
    public void Foreign_key_of_an_in_scope_table_to_a_missing_table_fails()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "ghost_id", "ghosts", nullable: true)
            .Build();

        var error = Fails(ExitCodes.Failure, () => Plan(schema, "groups"));

        Assert.Equal("foreign key fk_posts_ghost_id (posts.ghost_id → ghosts) points at table ghosts, which is not in the schema", error.Message);
    }

    [Fact]
    public void Foreign_key_to_a_missing_table_outside_the_scope_is_ignored()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "legacy")
            .Fk("legacy", "ghost_id", "ghosts")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("legacy", Names(plan.NotReached));
    }

    [Fact]
    public void Not_null_cycle_through_the_planner_is_broken_unchecked()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "a", "b")
            .Fk("a", "group_id", "groups")
            .Fk("a", "b_id", "b")
            .Fk("b", "a_id", "a")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("a.b_id → b", string.Join(", ", plan.CycleBreaks));
    }
}
