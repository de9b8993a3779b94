using Ferry.Planning;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Which tables are tenant, referenced, excluded or not reached.</summary>
public class ScopeTests
{
    [Fact]
    public void Chain_of_not_null_keys_is_owned_and_loaded_parent_first()
    {
        var schema = new SchemaBuilder()
            .Tables("comments", "tasks", "projects", "groups")
            .Fk("comments", "task_id", "tasks")
            .Fk("tasks", "project_id", "projects")
            .Fk("projects", "group_id", "groups")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups", plan.Root);
        Assert.Equal("groups:Root, projects:Owned, tasks:Owned, comments:Owned", Tables(plan));
        Assert.Equal("comments.task_id → tasks, projects.group_id → groups, tasks.project_id → projects", Edges(plan.OwnershipEdges));
        Assert.Equal(Edges(plan.OwnershipEdges), Edges(plan.CheckedEdges));
        Assert.Empty(plan.ReferenceEdges);
        Assert.Empty(plan.UnfollowedEdges);
        Assert.Empty(plan.CycleBreaks);
        Assert.Empty(plan.NotReached);
        Assert.True(plan.IsTenant("comments"));
    }

    [Fact]
    public void Root_in_the_middle_of_a_chain_does_not_pull_its_parents_as_tenant()
    {
        var schema = new SchemaBuilder()
            .Tables("orgs", "groups", "projects")
            .Fk("groups", "org_id", "orgs")
            .Fk("projects", "group_id", "groups")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("orgs:Referenced, groups:Root, projects:Owned", Tables(plan));
        Assert.Equal("groups.org_id → orgs", Edges(plan.ReferenceEdges));
        Assert.Equal("projects.group_id → groups", Edges(plan.OwnershipEdges));
    }

    [Fact]
    public void Diamond_is_owned_once_and_the_join_comes_after_both_sides()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "boards", "labels", "card_labels")
            .Fk("boards", "group_id", "groups")
            .Fk("labels", "group_id", "groups")
            .Fk("card_labels", "board_id", "boards")
            .Fk("card_labels", "label_id", "labels")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, boards:Owned, labels:Owned, card_labels:Owned", Tables(plan));
        Assert.Equal(
            "boards.group_id → groups, card_labels.board_id → boards, card_labels.label_id → labels, labels.group_id → groups",
            Edges(plan.OwnershipEdges));
    }

    [Fact]
    public void Several_paths_to_one_table_owned_by_one_and_checked_on_all()
    {
        // tasks is owned through projects; its nullable shortcut to groups is checked and listed unfollowed.
        var schema = new SchemaBuilder()
            .Tables("groups", "projects", "tasks")
            .Fk("projects", "group_id", "groups")
            .Fk("tasks", "project_id", "projects")
            .Fk("tasks", "shared_with_group_id", "groups", nullable: true)
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, projects:Owned, tasks:Owned", Tables(plan));
        Assert.Equal("projects.group_id → groups, tasks.project_id → projects", Edges(plan.OwnershipEdges));
        Assert.Equal(
            "projects.group_id → groups, tasks.project_id → projects, tasks.shared_with_group_id → groups",
            Edges(plan.CheckedEdges));
        Assert.Equal("tasks.shared_with_group_id → groups", Edges(plan.UnfollowedEdges));
    }

    [Fact]
    public void Disjoint_tables_and_nullable_children_are_not_reached()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "settings", "migrations", "invites", "invite_uses")
            .Fk("posts", "group_id", "groups")
            .Fk("invites", "group_id", "groups", nullable: true)
            .Fk("invite_uses", "invite_id", "invites")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, posts:Owned", Tables(plan));
        Assert.Equal("invite_uses, invites, migrations, settings", Names(plan.NotReached));
        Assert.Equal("invites.group_id → groups", Edges(plan.UnfollowedEdges));
        // Only edges from in-scope tables are checked.
        Assert.Equal("posts.group_id → groups", Edges(plan.CheckedEdges));
        Assert.Null(plan.Find("invites"));
    }

    [Fact]
    public void Referenced_tables_are_pulled_transitively_and_loaded_first()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users", "countries", "continents")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users")
            .Fk("users", "country_id", "countries", nullable: true)
            .Fk("countries", "continent_id", "continents")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal(
            "continents:Referenced, countries:Referenced, groups:Root, users:Referenced, posts:Owned",
            Tables(plan));
        Assert.Equal(
            "countries.continent_id → continents, posts.author_id → users, users.country_id → countries",
            Edges(plan.ReferenceEdges));
        Assert.Equal("posts.group_id → groups", Edges(plan.OwnershipEdges));
        Assert.False(plan.IsTenant("users"));
    }

    [Fact]
    public void Children_of_referenced_tables_are_never_pulled()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users", "sessions", "countries", "cities")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users")
            .Fk("sessions", "user_id", "users")
            .Fk("users", "country_id", "countries")
            .Fk("cities", "country_id", "countries")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("countries:Referenced, groups:Root, users:Referenced, posts:Owned", Tables(plan));
        Assert.Equal("cities, sessions", Names(plan.NotReached));
        Assert.Equal("posts.author_id → users, users.country_id → countries", Edges(plan.ReferenceEdges));
    }

    [Fact]
    public void Referenced_table_pointing_back_into_the_tenant_is_a_checked_cut_candidate()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "memberships", "users")
            .Fk("memberships", "group_id", "groups")
            .Fk("memberships", "user_id", "users")
            .Fk("users", "current_group_id", "groups", nullable: true)
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, users:Referenced, memberships:Owned", Tables(plan));
        Assert.Equal("memberships.group_id → groups, users.current_group_id → groups", Edges(plan.CheckedEdges));
        Assert.Equal("users.current_group_id → groups", Edges(plan.UnfollowedEdges));
        Assert.Equal("memberships.user_id → users", Edges(plan.ReferenceEdges));
        Assert.Equal("memberships.group_id → groups", Edges(plan.OwnershipEdges));
    }

    [Fact]
    public void Referenced_table_referencing_a_tenant_table_not_null_makes_it_owned_not_referenced()
    {
        // A NOT NULL key into the tenant wins over being referenced: users become owned.
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users", nullable: true)
            .Fk("users", "home_group_id", "groups")
            .Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root, users:Owned, posts:Owned", Tables(plan));
        Assert.Empty(plan.ReferenceEdges);
        Assert.Equal(
            "posts.author_id → users, posts.group_id → groups, users.home_group_id → groups",
            Edges(plan.CheckedEdges));
        Assert.Equal("posts.author_id → users", Edges(plan.UnfollowedEdges));
    }

    [Fact]
    public void Root_alone_gives_a_plan_of_one_table()
    {
        var schema = new SchemaBuilder().Tables("groups", "other").Build();

        var plan = Plan(schema, "groups");

        Assert.Equal("groups:Root", Tables(plan));
        Assert.Equal("other", Names(plan.NotReached));
        Assert.Empty(plan.Excluded);
    }
}
