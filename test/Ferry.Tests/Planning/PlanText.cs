using Ferry.Planning;
using Ferry.Schema;

namespace Ferry.Tests.Planning;

/// <summary>Plans and parts of plans as short text, so assertions read like the plan itself.</summary>
internal static class PlanText
{
    /// <summary>Plans with <paramref name="follow"/> given as <c>table.column</c>.</summary>
    public static ExportPlan Plan(DatabaseSchema schema, string root, string[]? exclude = null, params string[] follow) =>
        Planner.Build(new PlanRequest(schema, root, exclude ?? [], [.. follow.Select(ParseFollow)]));

    /// <summary>Edges as <c>a.b_id → b, c.d_id → d</c>.</summary>
    public static string Edges(IEnumerable<ForeignKey> edges) => string.Join(", ", edges);

    /// <summary>Tables as <c>a, b</c>.</summary>
    public static string Names(IEnumerable<string> names) => string.Join(", ", names);

    /// <summary>Load order with roles: <c>groups:Root, memberships:Owned</c>.</summary>
    public static string Tables(ExportPlan plan) => string.Join(", ", plan.Tables.Select(t => $"{t.Name}:{t.Role}"));

    /// <summary>The whole plan, every list, foreign keys by name too.</summary>
    public static string Dump(ExportPlan plan) => string.Join('\n',
        $"root {plan.Root}",
        $"tables {Tables(plan)}",
        $"ownership {Named(plan.OwnershipEdges)}",
        $"reference {Named(plan.ReferenceEdges)}",
        $"checked {Named(plan.CheckedEdges)}",
        $"excluded-edges {Named(plan.ExcludedEdges)}",
        $"unfollowed {Named(plan.UnfollowedEdges)}",
        $"breaks {Named(plan.CycleBreaks)}",
        $"excluded {Names(plan.Excluded)}",
        $"not-reached {Names(plan.NotReached)}");

    private static string Named(IEnumerable<ForeignKey> edges) => string.Join(", ", edges.Select(e => $"{e.Name}:{e}"));

    private static (string, string) ParseFollow(string follow)
    {
        var dot = follow.IndexOf('.', StringComparison.Ordinal);
        return (follow[..dot], follow[(dot + 1)..]);
    }
}
