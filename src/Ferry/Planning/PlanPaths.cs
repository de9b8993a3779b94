using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>
/// How a plan reaches each table in scope from the root: a shortest chain of ownership edges (from
/// a parent to the rows that point at it), then reference edges (from a row to what it points at).
/// Ties go to the first edge in foreign-key order, so paths are deterministic.
/// </summary>
internal static class PlanPaths
{
    /// <summary>Table in scope → the edges from the root to it (empty for the root).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<ForeignKey>> Compute(ExportPlan plan)
    {
        var children = plan.OwnershipEdges.Where(e => !e.IsSelfReference).ToLookup(e => e.RefTable, StringComparer.Ordinal);
        // An owned reference leads from the owning row to the row it points at, like a reference.
        var referenced = plan.OwnedReferenceEdges.Concat(plan.ReferenceEdges).Where(e => !e.IsSelfReference).ToLookup(e => e.Table, StringComparer.Ordinal);
        var paths = new Dictionary<string, IReadOnlyList<ForeignKey>>(StringComparer.Ordinal) { [plan.Root] = [] };
        var work = new Queue<string>([plan.Root]);
        while (work.TryDequeue(out var table))
        {
            var next = children[table].Select(e => (e, To: e.Table)).Concat(referenced[table].Select(e => (e, To: e.RefTable)));
            foreach (var (edge, to) in next)
            {
                if (!paths.ContainsKey(to))
                {
                    paths[to] = [.. paths[table], edge];
                    work.Enqueue(to);
                }
            }
        }
        return paths;
    }

    /// <summary>
    /// The path as text: <c>groups ← memberships.group_id → users via memberships.user_id</c>
    /// (← an ownership step to the rows pointing at the table, → a reference to the rows pointed at, ⇒ an owned
    /// reference to the rows pointed at, which the rows pointing own: <paramref name="owning"/>).
    /// </summary>
    public static string Describe(string root, IReadOnlyList<ForeignKey> path, IEnumerable<ForeignKey>? owning = null)
    {
        var owns = (owning ?? []).ToHashSet();
        var text = new System.Text.StringBuilder(root);
        var at = root;
        foreach (var edge in path)
        {
            var columns = $"{edge.Table}.{string.Join('+', edge.Columns)}";
            if (edge.RefTable == at)
            {
                text.Append($" ← {columns}");
                at = edge.Table;
            }
            else
            {
                text.Append($" {(owns.Contains(edge) ? "⇒" : "→")} {edge.RefTable} via {columns}");
                at = edge.RefTable;
            }
        }
        return text.ToString();
    }
}
