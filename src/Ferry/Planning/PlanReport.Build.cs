using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Planning;

public sealed partial record PlanReport
{
    /// <summary>
    /// Builds the report of <paramref name="plan"/> with the counts the database gave.
    /// </summary>
    /// <param name="rows">Rows in scope per table in scope.</param>
    /// <param name="cuts">Rows cut per foreign key of a table in scope (the plan's own key instances).</param>
    /// <param name="leftBehind">Rows left behind per unfollowed edge.</param>
    /// <param name="profile">Gives the reasons of exclusions and ignores; null: none.</param>
    public static PlanReport Build(
        ExportPlan plan,
        IReadOnlyList<string> ids,
        IReadOnlyDictionary<string, long> rows,
        IReadOnlyCollection<(ForeignKey Edge, long Rows)> cuts,
        IReadOnlyCollection<(ForeignKey Edge, long? Rows)> leftBehind,
        Profile? profile)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var paths = PlanPaths.Compute(plan);
        var reasons = Reasons(profile);
        var tables = plan.Tables
            .OrderBy(t => t.Role)
            .Select(t => new PlanReportTable(t.Name, RoleOf(t.Role), rows.GetValueOrDefault(t.Name), paths[t.Name], null))
            .Concat(Outside(plan.Excluded, PlanRole.Excluded))
            .Concat(Outside(plan.Ignored, PlanRole.Ignored))
            .Concat(Outside(plan.NotReached, PlanRole.NotReached))
            .ToList();

        var cut = cuts.GroupBy(c => c.Edge).ToDictionary(g => g.Key, g => g.Sum(c => c.Rows));
        var left = leftBehind.GroupBy(c => c.Edge).ToDictionary(g => g.Key, g => g.Any(c => c.Rows is null) ? null : g.Sum(c => c.Rows));
        var breaks = plan.CycleBreaks.ToHashSet();
        var edges = plan.OwnershipEdges.Select(e => (e, PlanEdgeKind.Owns))
            .Concat(plan.OwnedReferenceEdges.Select(e => (e, PlanEdgeKind.OwnsReferenced)))
            .Concat(plan.ReferenceEdges.Select(e => (e, PlanEdgeKind.References)))
            .Concat(plan.UnfollowedEdges.Select(e => (e, PlanEdgeKind.NotFollowed)))
            .Concat(plan.ExcludedEdges.Select(e => (e, PlanEdgeKind.IntoExcluded)))
            .OrderBy(x => x.e, ForeignKeyGraph.Order)
            .Select(x => new PlanReportEdge(
                x.e,
                x.Item2,
                cut.GetValueOrDefault(x.e),
                x.Item2 == PlanEdgeKind.NotFollowed ? (left.TryGetValue(x.e, out var n) ? n : 0) : null,
                breaks.Contains(x.e)))
            .ToList();
        return new PlanReport(plan.Root, ids, tables, edges, plan.CycleBreaks);

        IEnumerable<PlanReportTable> Outside(IEnumerable<string> names, PlanRole role) =>
            names.Select(n => new PlanReportTable(n, role, null, [], reasons.GetValueOrDefault((role, n))));
    }

    private static PlanRole RoleOf(TableRole role) => role switch
    {
        TableRole.Root => PlanRole.Root,
        TableRole.Owned => PlanRole.Owned,
        _ => PlanRole.Referenced,
    };

    private static Dictionary<(PlanRole, string), string> Reasons(Profile? profile)
    {
        var reasons = new Dictionary<(PlanRole, string), string>();
        foreach (var (role, rule) in (profile?.Exclude ?? []).Select(r => (PlanRole.Excluded, r))
                     .Concat((profile?.Ignore ?? []).Select(r => (PlanRole.Ignored, r))))
        {
            if (rule.Reason is { Length: > 0 } reason)
            {
                reasons.TryAdd((role, rule.Table), reason);
            }
        }
        return reasons;
    }
}
