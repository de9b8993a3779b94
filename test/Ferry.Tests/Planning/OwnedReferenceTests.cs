using Ferry.Planning;
using Ferry.Schema;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>
/// Ownership that runs the other way (<c>owner: from</c>, <see cref="PlanRequest.OwnedReferences"/>): a row owns the
/// row it points at (Kopano's store and the root of its folder tree), and the walk continues downwards from there.
/// </summary>
public class OwnedReferenceTests
{
    // Kopano: stores.hierarchy_id → hierarchy, folders through hierarchy.parent, properties of each row; users shared.
    private static SchemaBuilder Kopano() => new SchemaBuilder()
        .Tables("stores", "hierarchy", "users")
        .Table("properties", "hierarchyid+tag")
        .Fk("stores", "hierarchy_id", "hierarchy")
        .Fk("stores", "user_id", "users")
        .Fk("hierarchy", "parent", "hierarchy", nullable: true)
        .Fk("hierarchy", "owner", "users")
        .Fk("properties", "hierarchyid", "hierarchy");

    private static ExportPlan Plan(DatabaseSchema schema, string[]? follow = null, params string[] ownedReferences) =>
        Planner.Build(new PlanRequest(schema, "stores", [], [.. (follow ?? []).Select(Split)], OwnedReferences: [.. ownedReferences.Select(Split)]));

    private static (string, string) Split(string name) => (name.Split('.')[0], name.Split('.')[1]);

    [Fact]
    public void Without_it_the_row_a_store_points_at_is_a_referenced_row_whose_children_stay_behind()
    {
        var plan = Plan(Kopano().Build());

        Assert.Equal("users:Referenced, hierarchy:Referenced, stores:Root", Tables(plan));
        Assert.Equal("properties", Names(plan.NotReached));
    }

    [Fact]
    public void The_row_pointed_at_is_owned_with_its_own_children_and_loads_before_its_owner()
    {
        var plan = Plan(Kopano().Build(), follow: ["hierarchy.parent"], "stores.hierarchy_id");

        Assert.Equal("users:Referenced, hierarchy:Owned, properties:Owned, stores:Root", Tables(plan));
        Assert.Equal("stores.hierarchy_id → hierarchy", Edges(plan.OwnedReferenceEdges));
        Assert.Equal("hierarchy.parent → hierarchy, properties.hierarchyid → hierarchy", Edges(plan.OwnershipEdges));
        Assert.Equal("hierarchy.owner → users, stores.user_id → users", Edges(plan.ReferenceEdges));
        // Rows of stores outside the export that point at the tree are other owners, refused by the scope: not left behind.
        Assert.Empty(plan.UnfollowedEdges);
        Assert.Empty(plan.NotReached);
    }

    [Fact]
    public void Plan_shows_the_owned_reference_in_the_paths_and_as_an_edge_kind()
    {
        var plan = Plan(Kopano().Build(), follow: ["hierarchy.parent"], "stores.hierarchy_id");
        var rows = new Dictionary<string, long> { ["stores"] = 1, ["hierarchy"] = 17, ["properties"] = 23, ["users"] = 1 };

        var report = PlanReport.Build(plan, ["1"], rows, [], [], null);
        var text = Ferry.Planning.Rendering.PlanTextRenderer.Render(report);
        var json = Ferry.Planning.Rendering.PlanJsonRenderer.Render(report);

        Assert.Contains("hierarchy   owned         17  stores ⇒ hierarchy via stores.hierarchy_id", text);
        Assert.Contains("properties  owned         23  stores ⇒ hierarchy via stores.hierarchy_id ← properties.hierarchyid", text);
        Assert.Contains("users       referenced     1  stores → users via stores.user_id", text);
        Assert.Contains("\"kind\": \"owns-referenced\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_not_null_key_that_owns_the_other_way_no_longer_makes_its_rows_owned_by_the_row_pointed_at()
    {
        // hierarchy is the root: stores.hierarchy_id (NOT NULL) would make the stores pointing at it owned.
        var schema = Kopano().Build();
        var usual = Planner.Build(new PlanRequest(schema, "hierarchy", [], []));
        var reversed = Planner.Build(new PlanRequest(schema, "hierarchy", [], [], OwnedReferences: [("stores", "hierarchy_id")]));

        Assert.Contains("stores:Owned", Tables(usual), StringComparison.Ordinal);
        Assert.DoesNotContain(reversed.Tables, t => t.Name == "stores");
        Assert.Empty(reversed.OwnedReferenceEdges);
        Assert.Equal("stores", Names(reversed.NotReached));
    }

    [Fact]
    public void Ownership_continues_upwards_through_a_chain_of_owned_references()
    {
        var schema = new SchemaBuilder()
            .Tables("mailboxes", "stores", "hierarchy", "settings")
            .Fk("mailboxes", "store_id", "stores", nullable: true)
            .Fk("stores", "hierarchy_id", "hierarchy")
            .Fk("stores", "settings_id", "settings", nullable: true)
            .Build();

        var plan = Planner.Build(new PlanRequest(schema, "mailboxes", [], [], OwnedReferences: [("mailboxes", "store_id"), ("stores", "hierarchy_id")]));

        Assert.Equal("hierarchy:Owned, settings:Referenced, stores:Owned, mailboxes:Root", Tables(plan));
        Assert.Equal("mailboxes.store_id → stores, stores.hierarchy_id → hierarchy", Edges(plan.OwnedReferenceEdges));
        Assert.Equal("stores.settings_id → settings", Edges(plan.ReferenceEdges));
    }

    [Fact]
    public void An_owned_reference_from_a_table_that_holds_no_owned_rows_does_nothing()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "posts", "users", "avatars")
            .Fk("posts", "group_id", "groups")
            .Fk("posts", "author_id", "users")
            .Fk("users", "avatar_id", "avatars", nullable: true)
            .Build();

        var plan = Planner.Build(new PlanRequest(schema, "groups", [], [], OwnedReferences: [("users", "avatar_id")]));

        Assert.Equal("avatars:Referenced, groups:Root, users:Referenced, posts:Owned", Tables(plan));
        Assert.Empty(plan.OwnedReferenceEdges);
    }

    [Fact]
    public void An_excluded_table_is_never_owned()
    {
        var plan = Planner.Build(new PlanRequest(Kopano().Build(), "stores", ["hierarchy"], [], OwnedReferences: [("stores", "hierarchy_id")]));

        Assert.DoesNotContain(plan.Tables, t => t.Name == "hierarchy");
        Assert.Empty(plan.OwnedReferenceEdges);
        Assert.Equal("stores.hierarchy_id → hierarchy", Edges(plan.ExcludedEdges));
    }

    [Theory]
    [InlineData("nope", "hierarchy_id", "nope.hierarchy_id cannot own the row it points at: unknown table nope")]
    [InlineData("stores", "name", "stores.name cannot own the row it points at: it is neither the first column of a foreign key nor a relation of the profile")]
    [InlineData("stores", "hierarchy_id", "cannot follow stores.hierarchy_id: each stores row owns the row it points at (owner: from); following it would make that row own the rows pointing at it instead")]
    public void A_bad_owned_reference_is_a_usage_error(string table, string column, string message)
    {
        var schema = Kopano().Column("stores", "name").Build();
        var follow = column == "hierarchy_id" ? new[] { "stores.hierarchy_id" } : [];

        var error = Assert.Throws<FerryException>(() => Plan(schema, follow, $"{table}.{column}"));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_json_relation_cannot_own_the_other_way()
    {
        var schema = new SchemaBuilder()
            .Tables("stores", "hierarchy")
            .Fk("stores", "folders", "hierarchy", nullable: true, shape: new ReferenceShape(ReferenceKind.Json, "$.ids[*]", null, null, "profile app.yaml:3"))
            .Build();

        var error = Assert.Throws<FerryException>(() => Plan(schema, null, "stores.folders"));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith("stores.folders cannot own the rows it points at: stores.folders → hierarchy is a polymorphic, array or JSON relation", error.Message, StringComparison.Ordinal);
    }
}
