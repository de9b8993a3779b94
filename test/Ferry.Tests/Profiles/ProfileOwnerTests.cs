using Ferry.Profiles;
using Ferry.Schema;
using Ferry.Tests.Planning;

namespace Ferry.Tests.Profiles;

/// <summary>
/// Which side of a relation owns (<c>owner: from</c> / <c>owner: to</c>, and <c>owns: true</c> as before), on a
/// relation or on a foreign key the schema declares: parsing, the planner's inputs, and the checks against the source.
/// </summary>
public sealed class ProfileOwnerTests
{
    private static RelationRule Relation(string yaml) => Assert.Single(ProfileLoader.Parse("relations:\n" + yaml, "app.yaml").Relations);

    private static string LoadError(string yaml)
    {
        var error = Assert.Throws<FerryException>(() => ProfileLoader.Parse("relations:\n" + yaml, "app.yaml"));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    private static DatabaseSchema Kopano(bool declared) => (declared
            ? new SchemaBuilder().Tables("stores", "hierarchy", "users").Fk("stores", "hierarchy_id", "hierarchy").Fk("hierarchy", "parent", "hierarchy", nullable: true)
            : new SchemaBuilder().Tables("stores", "hierarchy", "users").Column("stores", "hierarchy_id").Column("hierarchy", "parent"))
        .Column("stores", "name")
        .Build();

    private static string CheckError(string yaml, bool declared)
    {
        var profile = ProfileLoader.Parse(yaml, "app.yaml");
        var error = Assert.Throws<FerryException>(() => ProfileCheck.AgainstSource(profile, Kopano(declared), null));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        return error.Message;
    }

    [Theory]
    [InlineData("  - {from: stores.hierarchy_id, to: hierarchy, owner: from}\n", RelationKind.Column, RelationOwner.From)]
    [InlineData("  - {from: stores.hierarchy_id, to: hierarchy, owner: to}\n", RelationKind.Column, RelationOwner.To)]
    [InlineData("  - {from: stores.hierarchy_id, to: hierarchy, owns: true}\n", RelationKind.Column, RelationOwner.To)]
    [InlineData("  - {from: stores.hierarchy_id, to: hierarchy}\n", RelationKind.Column, RelationOwner.None)]
    [InlineData("  - {from: stores.hierarchy_id, to: hierarchy, owner: from, none: 0}\n", RelationKind.Column, RelationOwner.From)]
    [InlineData("  - {from: stores.hierarchy_id, owner: from}\n", RelationKind.Declared, RelationOwner.From)]
    [InlineData("  - {from: hierarchy.parent, owner: to}\n", RelationKind.Declared, RelationOwner.To)]
    [InlineData("  - {from: hierarchy.parent, owns: true}\n", RelationKind.Declared, RelationOwner.To)]
    [InlineData("  - {from: events.place_id, type_column: kind, types: {a: places}, owner: to}\n", RelationKind.Polymorphic, RelationOwner.To)]
    public void Owner_says_which_side_owns(string yaml, RelationKind kind, RelationOwner owner)
    {
        var relation = Relation(yaml);

        Assert.Equal((kind, owner), (relation.Kind, relation.Owner));
        Assert.Equal(owner == RelationOwner.To, relation.Owns);
        Assert.Equal(owner == RelationOwner.From, relation.OwnsReferenced);
    }

    [Fact]
    public void Owned_references_and_follows_come_from_each_side()
    {
        var profile = ProfileLoader.Parse("""
            relations:
              - {from: stores.hierarchy_id, owner: from}
              - {from: hierarchy.parent, owner: to}
              - {from: properties.hierarchyid, to: hierarchy, owns: true}
              - {from: stores.user_id, to: users}
            """, "app.yaml");

        Assert.Equal([("stores", "hierarchy_id")], ProfileRelations.OwnedReferences(profile));
        Assert.Equal([("hierarchy", "parent"), ("properties", "hierarchyid")], ProfileRelations.Follows(profile));
    }

    [Fact]
    public void A_rule_on_a_declared_foreign_key_adds_no_key_of_its_own()
    {
        var schema = Kopano(declared: true);
        var profile = ProfileLoader.Parse("relations:\n  - {from: stores.hierarchy_id, owner: from}\n", "app.yaml");

        ProfileCheck.AgainstSource(profile, schema, null);
        var applied = ProfileRelations.Apply(schema, profile);

        Assert.Equal(["stores.hierarchy_id → hierarchy"], applied.Get("stores").ForeignKeys.Select(k => k.ToString()));
        Assert.All(applied.Tables.SelectMany(t => t.ForeignKeys), k => Assert.False(k.IsVirtual));
    }

    [Theory]
    [InlineData("  - {from: a.b, to: c, owner: up}\n", "profile app.yaml:2: owner must be one of from, to; found 'up'")]
    [InlineData("  - {from: a.b, to: c, owner: From}\n", "profile app.yaml:2: owner must be one of from, to; found 'From'")]
    [InlineData("  - {from: a.b, to: c, owner: [from]}\n", "profile app.yaml:2: owner must be one of from, to; found a list")]
    [InlineData("  - {from: a.b, to: c, owner: to, owns: true}\n", "profile app.yaml:2: a relation says which side owns with owner or with owns (owns: true is owner: to), not both")]
    [InlineData("  - {from: a.b, to: c, owner: from, owns: false}\n", "profile app.yaml:2: a relation says which side owns with owner or with owns (owns: true is owner: to), not both")]
    [InlineData("  - {from: a.b, to: c, owner: from, array: true}\n", "profile app.yaml:2: owner: from is for a column holding one key (a plain relation or a declared foreign key), not an array relation")]
    [InlineData("  - {from: a.b, to: c, owner: from, path: $.id}\n", "profile app.yaml:2: owner: from is for a column holding one key (a plain relation or a declared foreign key), not a JSON path relation")]
    [InlineData("  - {from: a.b, type_column: t, types: {x: c}, owner: from}\n", "profile app.yaml:2: owner: from is for a column holding one key (a plain relation or a declared foreign key), not a polymorphic relation")]
    [InlineData("  - {from: a.b, owner: from, array: true}\n", "profile app.yaml:2: a relation without to only says which side of the foreign key declared on a.b owns; 'array' needs to: the referenced table")]
    [InlineData("  - {from: a.b, owns: false}\n", "profile app.yaml:2: a relation needs 'to': the referenced table")]
    [InlineData("  - {from: a.b, ownr: from}\n", "profile app.yaml:2: unknown key 'ownr' in a relation; allowed keys: from, to, type_column, types, array, path, owns, owner, none")]
    public void A_bad_ownership_rule_is_one_mistake_naming_its_line(string yaml, string message)
    {
        Assert.StartsWith(message, LoadError(yaml), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "relations:\n  - {from: stores.hierarchy_id, owner: from}\n",
        "profile app.yaml:2: relation stores.hierarchy_id has no to, so it only says which side of a foreign key owns, and stores declares no foreign key on hierarchy_id: give to: TABLE to declare the relation")]
    [InlineData(true, "relations:\n  - {from: stores.name, owner: to}\n",
        "profile app.yaml:2: relation stores.name has no to, so it only says which side of a foreign key owns, and stores declares no foreign key on name: give to: TABLE to declare the relation")]
    [InlineData(true, "relations:\n  - {from: stores.nope, owner: from}\n",
        "profile app.yaml:2: unknown column stores.nope: stores has no column nope in the source")]
    [InlineData(true, "relations:\n  - {from: shops.hierarchy_id, owner: from}\n",
        "profile app.yaml:2: unknown table shops: the source has no table of that name")]
    [InlineData(false, "relations:\n  - {from: stores.hierarchy_id, to: hierarchy.nope, owner: from}\n",
        "profile app.yaml:2: unknown column hierarchy.nope: hierarchy has no column nope in the source")]
    [InlineData(true, "follow: [stores.hierarchy_id]\nrelations:\n  - {from: stores.hierarchy_id, owner: from}\n",
        "profile app.yaml:1: cannot follow stores.hierarchy_id: the relation of line 3 says each stores row owns the row it points at (owner: from); following it would make that row own the rows pointing at it instead")]
    [InlineData(false, "shared: [hierarchy]\nidentities: [{table: hierarchy, key: id}]\nrelations:\n  - {from: stores.hierarchy_id, to: hierarchy, owner: from}\n",
        "profile app.yaml:4: relation stores.hierarchy_id → hierarchy has owner: from, which makes the hierarchy rows it points at part of the tenant, but shared (line 1) says rows of hierarchy are shared by every tenant: keep one of the two")]
    [InlineData(true, "shared: [hierarchy]\nidentities: [{table: hierarchy, key: id}]\nrelations:\n  - {from: stores.hierarchy_id, owner: from}\n",
        "profile app.yaml:4: relation stores.hierarchy_id → hierarchy has owner: from")]
    public void An_ownership_rule_the_source_contradicts_is_a_mistake(bool declared, string yaml, string message)
    {
        Assert.StartsWith(message, CheckError(yaml, declared), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_mistake_is_reported_at_once()
    {
        var message = CheckError("relations:\n  - {from: stores.hierarchy_id, owner: from}\n  - {from: stores.name, owner: to}\n", declared: false);

        Assert.StartsWith("2 mistakes in the profile: profile app.yaml:2: relation stores.hierarchy_id has no to", message, StringComparison.Ordinal);
        Assert.Contains("; profile app.yaml:3: relation stores.name has no to", message, StringComparison.Ordinal);
    }
}
