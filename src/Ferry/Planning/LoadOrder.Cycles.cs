using Ferry.Schema;

namespace Ferry.Planning;

internal static partial class LoadOrder
{
    /// <summary>
    /// Called when no remaining table is ready. Returns the table to place next; the caller breaks
    /// all of its edges still waiting. The choice:
    /// <list type="number">
    /// <item>Only tables of a <em>sink</em> strongly connected component are candidates: one whose
    /// tables wait only on each other. Every edge they wait on lies on a cycle, so nothing is broken
    /// that merely points at a cycle (a table waiting on a cycle is placed after it instead).</item>
    /// <item>Among candidates, the one that breaks the fewest <see cref="Unchecked"/> keys (NOT NULL and not
    /// DEFERRABLE: the target must write them while it does not check them, which not every target can), then the
    /// fewest deferrable NOT NULL keys (the target must defer them too), then the fewest nullable keys (written twice),
    /// then the fewest relations the database does not enforce (free), then the smallest name.</item>
    /// </list>
    /// Breaking the waiting edges of one table is the least any step can do to make a table ready,
    /// so each step is locally minimal; a global minimum (a minimum feedback arc set) is NP-hard and
    /// not worth its cost for a schema's handful of cycles. Any table can be placed so: no cycle is ever refused
    /// here, and whether the target can write an unchecked key is the importer's question.
    /// </summary>
    private static string BreakCycle(SortedSet<string> remaining, Dictionary<string, List<ForeignKey>> waitingOn)
    {
        string? best = null;
        (int, int, int, int) Cost(string table) => (
            waitingOn[table].Count(Unchecked),
            waitingOn[table].Count(fk => !fk.IsVirtual && !fk.Nullable && fk.Deferrable),
            waitingOn[table].Count(fk => !fk.IsVirtual && fk.Nullable),
            waitingOn[table].Count(fk => fk.IsVirtual));
        foreach (var component in Components(remaining, waitingOn))
        {
            var members = component.ToHashSet(StringComparer.Ordinal);
            if (component.Any(t => waitingOn[t].Any(fk => !members.Contains(fk.RefTable))))
            {
                continue; // not a sink: it waits on another component, which gets broken first
            }

            foreach (var t in component)
            {
                var order = best is null ? -1 : Cost(t).CompareTo(Cost(best));
                if (order < 0 || (order == 0 && string.CompareOrdinal(t, best) < 0))
                {
                    best = t;
                }
            }
        }

        // With no ready table every remaining one waits on another, so a sink component exists.
        return best ?? throw new InvalidOperationException("no table to break a cycle at");
    }

    /// <summary>
    /// True when an import can write a row before the row this edge points at exists while the database checks
    /// the edge: the database does not enforce it (a profile relation: the row is written with its new key, known
    /// from the key maps), it is nullable (written NULL, then updated), or it is DEFERRABLE (checked at commit).
    /// </summary>
    public static bool Breakable(ForeignKey edge) => edge.IsVirtual || edge.Nullable || edge.Deferrable;

    /// <summary>
    /// True for a declared NOT NULL key that is not DEFERRABLE: breaking it needs the target to write its rows
    /// unchecked for a moment (MariaDB's <c>foreign_key_checks</c>, PostgreSQL's <c>--exclusive</c>) and to check
    /// them before the commit.
    /// </summary>
    public static bool Unchecked(ForeignKey edge) => !Breakable(edge);

    /// <summary>Strongly connected components of the waiting graph (Tarjan), each sorted by name,
    /// ordered by their smallest name.</summary>
    private static List<List<string>> Components(SortedSet<string> remaining, Dictionary<string, List<ForeignKey>> waitingOn)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLink = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string table)
        {
            var visited = index.Count;
            index[table] = visited;
            lowLink[table] = visited;
            stack.Push(table);
            onStack.Add(table);
            foreach (var next in waitingOn[table].Select(fk => fk.RefTable))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    lowLink[table] = Math.Min(lowLink[table], lowLink[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLink[table] = Math.Min(lowLink[table], index[next]);
                }
            }

            if (lowLink[table] == index[table])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != table);
                component.Sort(StringComparer.Ordinal);
                components.Add(component);
            }
        }

        foreach (var table in remaining.Where(t => !index.ContainsKey(t)))
        {
            Visit(table);
        }

        components.Sort((a, b) => string.CompareOrdinal(a[0], b[0]));
        return components;
    }
}
