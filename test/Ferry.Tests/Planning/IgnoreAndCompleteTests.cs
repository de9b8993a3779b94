using Ferry.Planning;
using Ferry.Schema;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>A profile's <c>ignore</c> and <c>complete</c>, and relations that own only when followed.</summary>
public class IgnoreAndCompleteTests
{
    private static DatabaseSchema App() => new SchemaBuilder()
        .Tables("groups", "posts", "sessions", "migrations", "audit")
        .Fk("posts", "group_id", "groups")
        .Fk("audit", "group_id", "groups", nullable: true)
        .Build();

    private static ExportPlan Plan(DatabaseSchema schema, string[] exclude, string[] ignore, bool complete) =>
        Planner.Build(new PlanRequest(schema, "groups", exclude, [], ignore, complete));

    [Fact]
    public void Ignored_tables_are_listed_apart_from_the_tables_not_reached()
    {
        var plan = Plan(App(), [], ["migrations"], complete: false);

        Assert.Equal("audit, sessions", Names(plan.NotReached));
        Assert.Equal("migrations", Names(plan.Ignored));
    }

    [Fact]
    public void Complete_plan_refuses_undecided_tables_and_names_them_all()
    {
        var error = Assert.Throws<FerryException>(() => Plan(App(), ["audit"], ["migrations"], complete: true));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("1 table(s) are neither reached, excluded nor ignored: sessions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_plan_passes_when_every_table_is_decided()
    {
        var plan = Plan(App(), ["audit"], ["migrations", "sessions"], complete: true);

        Assert.Equal("groups:Root, posts:Owned", Tables(plan));
        Assert.Empty(plan.NotReached);
        Assert.Equal("migrations, sessions", Names(plan.Ignored));
    }

    [Fact]
    public void Unknown_ignored_table_is_a_usage_error()
    {
        var error = Assert.Throws<FerryException>(() => Plan(App(), [], ["nope", "gone"], complete: false));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal("unknown ignored tables gone, nope", error.Message);
    }

    [Fact]
    public void Not_null_profile_relation_owns_only_when_followed()
    {
        var shape = new ReferenceShape(ReferenceKind.Column, null, null, null, "profile app.yaml:3");
        var builder = new SchemaBuilder()
            .Tables("groups", "comments")
            .Fk("comments", "group_id", "groups", nullable: false, shape: shape);

        var notFollowed = PlanText.Plan(builder.Build(), "groups");
        var followed = PlanText.Plan(builder.Build(), "groups", follow: "comments.group_id");

        Assert.Equal("groups:Root", Tables(notFollowed));
        Assert.Equal("comments.group_id → groups", Edges(notFollowed.UnfollowedEdges));
        Assert.Equal("groups:Root, comments:Owned", Tables(followed));
    }

    [Fact]
    public void Array_and_json_relations_pull_rows_but_never_order_the_load()
    {
        var array = new ReferenceShape(ReferenceKind.Array, null, null, null, "profile app.yaml:4");
        var json = new ReferenceShape(ReferenceKind.Json, "$.post_id", null, null, "profile app.yaml:5");
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "tags")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "tag_ids", "tags", nullable: true, shape: array)
            .Fk("tags", "payload", "posts", nullable: true, shape: json)
            .Build();

        var plan = PlanText.Plan(schema, "groups");

        Assert.Equal("groups:Root, posts:Owned, tags:Referenced", Tables(plan));
        Assert.Empty(plan.CycleBreaks);
    }
}
