using Ferry.Schema;

namespace Ferry.Planning;

internal static partial class LoadOrder
{
    /// <summary>
    /// Called when no remaining table is ready. Returns the table to place next; the caller breaks
    /// all of its edges still waiting (each one <see cref="Breakable"/>). The choice:
    /// <list type="number">
    /// <item>Only tables of a <em>sink</em> strongly connected component are candidates: one whose
    /// tables wait only on each other. Every edge they wait on lies on a cycle, so nothing is broken
    /// that merely points at a cycle (a table waiting on a cycle is placed after it instead).</item>
    /// <item>A candidate waits only through breakable edges.</item>
    /// <item>Among candidates, the one that breaks the fewest deferrable NOT NULL keys (the target must
    /// defer them too), then the fewest nullable keys (written twice), then the fewest relations the
    /// database does not enforce (free), then the smallest name.</item>
    /// </list>
    /// Breaking the waiting edges of one table is the least any step can do to make a table ready,
    /// so each step is locally minimal; a global minimum (a minimum feedback arc set) is NP-hard and
    /// not worth its cost for a schema's handful of cycles.
    /// </summary>
    /// <exception cref="FerryException">A sink component where every table waits through an edge that
    /// cannot be broken: no break can ever free it.</exception>
    private static string BreakCycle(SortedSet<string> remaining, Dictionary<string, List<ForeignKey>> waitingOn)
    {
        string? best = null;
        (int, int, int) Cost(string table) => (
            waitingOn[table].Count(fk => !fk.IsVirtual && !fk.Nullable),
            waitingOn[table].Count(fk => !fk.IsVirtual && fk.Nullable),
            waitingOn[table].Count(fk => fk.IsVirtual));
        foreach (var component in Components(remaining, waitingOn))
        {
            var members = component.ToHashSet(StringComparer.Ordinal);
            if (component.Any(t => waitingOn[t].Any(fk => !members.Contains(fk.RefTable))))
            {
                continue; // not a sink: it waits on another component, which gets broken first
            }

            var candidates = component.Where(t => waitingOn[t].All(Breakable)).ToList();
            if (candidates.Count == 0)
            {
                throw Unbreakable(component, waitingOn);
            }

            foreach (var t in candidates)
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
    /// True when an import can write a row before the row this edge points at exists: the database
    /// does not enforce it (a profile relation: the row is written with its new key, known from the
    /// key maps), it is nullable (written NULL, then updated), or it is DEFERRABLE (checked at commit).
    /// </summary>
    public static bool Breakable(ForeignKey edge) => edge.IsVirtual || edge.Nullable || edge.Deferrable;

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

    /// <summary>
    /// Every table of the sink <paramref name="component"/> waits through an edge that cannot be
    /// broken: walking those edges from its smallest table must come back to a table already seen,
    /// which closes a cycle of such edges only. The message names that cycle, from its smallest table,
    /// and the constraints to make DEFERRABLE (or to declare as profile relations instead).
    /// </summary>
    private static FerryException Unbreakable(List<string> component, Dictionary<string, List<ForeignKey>> waitingOn)
    {
        var path = new List<ForeignKey>();
        var seenAt = new Dictionary<string, int>(StringComparer.Ordinal);
        var table = component[0];
        while (!seenAt.ContainsKey(table))
        {
            seenAt[table] = path.Count;
            var fk = waitingOn[table].First(e => !Breakable(e));
            path.Add(fk);
            table = fk.RefTable;
        }

        var cycle = path.Skip(seenAt[table]).ToList();
        var start = cycle.IndexOf(cycle.MinBy(fk => fk.Table, StringComparer.Ordinal)!);
        cycle = [.. cycle.Skip(start), .. cycle.Take(start)];
        var tables = cycle.Select(fk => fk.Table).Order(StringComparer.Ordinal);
        var constraints = string.Join(" or ", cycle.Select(fk => $"{fk.Name} ({fk})"));
        return new FerryException(
            $"cannot order tables {string.Join(", ", tables)}: the cycle {string.Join(", ", cycle)} has only NOT NULL foreign keys that are not DEFERRABLE, " +
            $"so no row of it can be inserted first; make one of its constraints DEFERRABLE " +
            $"(ALTER TABLE ... ALTER CONSTRAINT ... DEFERRABLE: {constraints}), or, if the application does not need the database to check it, " +
            "drop it and declare that reference as a profile relation",
            ExitCodes.Failure);
    }
}
