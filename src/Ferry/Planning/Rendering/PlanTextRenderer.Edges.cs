using Ferry.Schema;

namespace Ferry.Planning.Rendering;

public static partial class PlanTextRenderer
{
    private static string Coverage(PartitionCoverage p) => $"{p.DeclaredOn.Count} of {p.Total}";

    private static IEnumerable<string> EdgeLines(PlanReport report, bool compact)
    {
        var cut = report.Edges.Where(e => e.Cut > 0 || e.Kind == PlanEdgeKind.IntoExcluded).ToList();
        var unfollowed = report.Edges.Where(e => e.Kind == PlanEdgeKind.NotFollowed).ToList();
        var shown = compact ? unfollowed.Where(e => e.LeftBehind > 0).ToList() : unfollowed;
        if (cut.Count > 0)
        {
            yield return compact ? "cut (set to NULL):" : "cut (references set to NULL: they leave the scope or point at an excluded table):";
            foreach (var e in cut)
            {
                var why = e.Kind == PlanEdgeKind.IntoExcluded ? "excluded" : "outside the scope";
                yield return $"  {Edge(e.Key)}: {Rows(e.Cut)} ({why})";
            }
        }
        if (shown.Count > 0)
        {
            yield return compact ? "not followed (rows left behind):" : "not followed (nullable references into the tenant; rows outside the export that use them are left behind):";
            foreach (var e in shown)
            {
                var follow = e.Follow is { } hint ? $" ({hint})" : "";
                yield return e.LeftBehind is { } rows
                    ? $"  {Edge(e.Key)}: {Rows(rows)} left behind{follow}"
                    : $"  {Edge(e.Key)}: not counted (keys inside JSON documents are found only by reading every document of {e.Key.Table})";
            }
        }
        var quiet = unfollowed.Count - shown.Count;
        if (compact && quiet > 0)
        {
            var uncounted = unfollowed.Count(e => e.LeftBehind is null);
            yield return uncounted == 0
                ? $"not followed: {quiet} {(shown.Count > 0 ? "more " : "")}nullable reference(s) into the tenant, leaving nothing behind"
                : $"not followed: {quiet} {(shown.Count > 0 ? "more " : "")}nullable reference(s) into the tenant, leaving nothing behind " +
                  $"({uncounted} inside JSON documents not counted)";
        }
        var partial = report.Edges.Where(e => e.Key.Partitions is { Complete: false }).ToList();
        if (partial.Count > 0)
        {
            yield return compact
                ? $"partitions disagree (applied to the whole table): {string.Join(", ", partial.Select(e => $"{Edge(e.Key)} ({Coverage(e.Key.Partitions!)})"))}"
                : "partitions that disagree (a foreign key some partitions declare is applied to every row of the table):";
            if (!compact)
            {
                foreach (var e in partial)
                {
                    var p = e.Key.Partitions!;
                    yield return $"  {Edge(e.Key)}: declared on {Coverage(p)} partitions of {e.Key.Table} ({Shown(p.DeclaredOn)})";
                }
            }
        }
        if (report.CycleBreaks.Count > 0)
        {
            yield return compact
                ? $"cycle breaks: {string.Join(", ", report.CycleBreaks.Select(e => $"{Edge(e)} ({BreakMode(e, compact)})"))}"
                : "cycle breaks (rows written before the rows they point at):";
            if (!compact)
            {
                foreach (var e in report.CycleBreaks)
                {
                    yield return $"  {Edge(e)}: {BreakMode(e, compact)}";
                }
            }
        }
    }

    /// <summary>How an import writes a row before the row a cycle-breaking key points at.</summary>
    private static string BreakMode(ForeignKey edge, bool compact) => (edge.IsVirtual, edge.Nullable, compact) switch
    {
        (false, false, true) when LoadOrder.Unchecked(edge) => $"unchecked {edge.Name}",
        (false, false, false) when LoadOrder.Unchecked(edge) =>
            $"NOT NULL, not DEFERRABLE {edge.Name}: written while the target does not check it, then checked before the commit " +
            "(MariaDB and SQLite targets; PostgreSQL with --exclusive or a DEFERRABLE constraint)",
        (true, _, true) => "not checked by the database",
        (true, _, false) => "a relation the database does not check: written with its new key",
        (false, true, true) => "NULL, then updated",
        (false, true, false) => "written NULL, then updated once every row exists",
        (false, false, true) => $"DEFERRABLE {edge.Name}",
        (false, false, false) => $"NOT NULL, DEFERRABLE {edge.Name}: written with its new key, checked at commit (the target's constraint must be DEFERRABLE too)",
    };
}
