using Ferry.Planning;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Cycles and determinism through the whole planner.</summary>
public class PlanCycleTests
{
    /// <summary>
    /// A small app: groups own memberships, channels and messages; users are referenced and point
    /// back at their current group; channels point at their latest message; audit and uploads excluded.
    /// </summary>
    private static SchemaBuilder App() => new SchemaBuilder()
        .Tables("groups", "users", "memberships", "channels", "messages", "reactions", "uploads", "audit", "countries", "plans")
        .Fk("groups", "owner_id", "users")
        .Fk("groups", "plan_id", "plans", nullable: true)
        .Fk("users", "current_group_id", "groups", nullable: true)
        .Fk("users", "country_id", "countries", nullable: true)
        .Fk("memberships", "group_id", "groups")
        .Fk("memberships", "user_id", "users")
        .Fk("channels", "group_id", "groups")
        .Fk("channels", "latest_message_id", "messages", nullable: true)
        .Fk("messages", "channel_id", "channels")
        .Fk("messages", "author_id", "users")
        .Fk("messages", "reply_to_id", "messages", nullable: true)
        .Fk("messages", "upload_id", "uploads", nullable: true)
        .Fk("reactions", "message_id", "messages", nullable: true)
        .Fk("reactions", "user_id", "users")
        .Fk("audit", "group_id", "groups");

    [Fact]
    public void Cut_reference_cycle_between_a_referenced_and_the_root_table_is_broken_on_the_nullable_side()
    {
        var plan = Plan(App().Build(), "groups", ["uploads", "audit"]);

        Assert.Equal(
            "countries:Referenced, plans:Referenced, users:Referenced, groups:Root, memberships:Owned, channels:Owned, messages:Owned",
            Tables(plan));
        Assert.Equal("channels.latest_message_id → messages, users.current_group_id → groups", Edges(plan.CycleBreaks));
        Assert.Equal(
            "channels.group_id → groups, channels.latest_message_id → messages, memberships.group_id → groups, "
            + "messages.channel_id → channels, messages.reply_to_id → messages, users.current_group_id → groups",
            Edges(plan.CheckedEdges));
        Assert.Equal(
            "channels.latest_message_id → messages, messages.reply_to_id → messages, reactions.message_id → messages, "
            + "users.current_group_id → groups",
            Edges(plan.UnfollowedEdges));
        Assert.Equal(
            "groups.owner_id → users, groups.plan_id → plans, memberships.user_id → users, messages.author_id → users, "
            + "users.country_id → countries",
            Edges(plan.ReferenceEdges));
        Assert.Equal("messages.upload_id → uploads", Edges(plan.ExcludedEdges));
        Assert.Equal("reactions", Names(plan.NotReached));
        Assert.Equal("audit, uploads", Names(plan.Excluded));
    }

    [Fact]
    public void Following_the_back_reference_makes_users_owned()
    {
        var plan = Plan(App().Build(), "groups", ["uploads", "audit"], "users.current_group_id", "reactions.message_id");

        Assert.Equal(TableRole.Owned, plan.Find("users")!.Role);
        Assert.Equal(TableRole.Owned, plan.Find("reactions")!.Role);
        Assert.Contains("users.current_group_id → groups", Edges(plan.OwnershipEdges), StringComparison.Ordinal);
        Assert.Equal("channels.latest_message_id → messages, messages.reply_to_id → messages", Edges(plan.UnfollowedEdges));
        Assert.Equal("channels.latest_message_id → messages, users.current_group_id → groups", Edges(plan.CycleBreaks));
    }

    [Fact]
    public void Plan_does_not_depend_on_the_order_of_tables_keys_exclusions_or_follows()
    {
        var builder = App();
        var expected = Dump(Planner.Build(new PlanRequest(
            builder.Build(), "groups", ["uploads", "audit"], [("reactions", "message_id"), ("users", "current_group_id")])));

        for (var seed = 1; seed <= 25; seed++)
        {
            var actual = Dump(Planner.Build(new PlanRequest(
                builder.BuildShuffled(seed), "groups", ["audit", "uploads"], [("users", "current_group_id"), ("reactions", "message_id")])));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Every_in_scope_table_loads_after_what_it_references_except_through_breaks_and_self_references()
    {
        var plan = Plan(App().Build(), "groups", ["uploads"], "reactions.message_id");
        var position = plan.Tables.Select((t, i) => (t.Name, i)).ToDictionary(p => p.Name, p => p.i);

        foreach (var fk in plan.Tables.SelectMany(t => t.Table.ForeignKeys))
        {
            if (fk.IsSelfReference || plan.CycleBreaks.Contains(fk) || !position.ContainsKey(fk.RefTable))
            {
                continue;
            }

            Assert.True(position[fk.RefTable] < position[fk.Table], $"{fk} loads in the wrong order");
        }

        Assert.DoesNotContain(plan.CycleBreaks, fk => fk.IsSelfReference || !fk.Nullable);
        Assert.Equal(
            "audit, channels, countries, groups, memberships, messages, plans, reactions, users",
            Names(plan.Tables.Select(t => t.Name).Order(StringComparer.Ordinal)));
    }
}
