using Ferry.Export;
using Ferry.Profiles;
using Ferry.Tests.Planning;

namespace Ferry.Tests.Export;

/// <summary>The one place export and plan turn their options and profile into the planner's request.</summary>
public class ScopeRequestTests
{
    private static readonly Ferry.Schema.DatabaseSchema Schema = new SchemaBuilder().Tables("groups", "posts").Build();

    private static Profile App() => Profile.Empty("app.yaml") with
    {
        Root = new RootRule("groups", null, 2),
        Complete = true,
        Follow = [new FollowRule("users", "current_group_id", 4)],
        Exclude = [new TableRule("audit", "why", 6), new TableRule("sessions", null, 7)],
        Ignore = [new TableRule("migrations", null, 9)],
    };

    [Fact]
    public void Profile_rules_add_to_the_command_line()
    {
        var request = new ScopeRequest(null, ["2"], ["sessions", "logs"], [("posts", "editor_id")], App()).ToPlanRequest(Schema);

        Assert.Equal("groups", request.RootTable);
        Assert.Equal(["sessions", "logs", "audit"], request.Exclude);
        Assert.Equal([("posts", "editor_id"), ("users", "current_group_id")], request.Follow);
        Assert.Equal(["migrations"], request.Ignore!);
        Assert.True(request.Complete);
    }

    [Fact]
    public void Owner_from_relations_become_owned_references_and_owner_to_relations_follows()
    {
        var profile = ProfileLoader.Parse("""
            root: {table: stores, key: id}
            relations:
              - {from: stores.hierarchy_id, to: hierarchy, owner: from}
              - {from: hierarchy.parent, owner: to}
            """, "kopano.yaml");

        var request = new ScopeRequest(null, ["1"], [], [("hierarchy", "x")], profile).ToPlanRequest(Schema);

        Assert.Equal([("stores", "hierarchy_id")], request.OwnedReferences!);
        Assert.Equal([("hierarchy", "x"), ("hierarchy", "parent")], request.Follow);
    }

    [Fact]
    public void Command_line_root_wins_over_the_profile()
    {
        var request = new ScopeRequest("posts", ["2"], [], [], App()).ToPlanRequest(Schema);

        Assert.Equal("posts", request.RootTable);
    }

    [Fact]
    public void Without_a_profile_the_request_is_the_command_line()
    {
        var request = new ScopeRequest("groups", ["2"], ["posts"], [], null).ToPlanRequest(Schema);

        Assert.Equal(["posts"], request.Exclude);
        Assert.Empty(request.Follow);
        Assert.Null(request.Ignore);
        Assert.False(request.Complete);
    }

    [Fact]
    public void No_root_anywhere_is_a_usage_error()
    {
        var error = Assert.Throws<FerryException>(() => new ScopeRequest(null, ["2"], [], [], Profile.Empty()).ToPlanRequest(Schema));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal("--root is required unless the profile names a root", error.Message);
    }
}
