using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>
/// Orders tables so that each comes after every table it references: Kahn's algorithm, always
/// placing the ready table with the smallest ordinal name. When every remaining table waits on
/// another, a cycle is broken, preferably on edges an import can write before their row exists while the database
/// checks them (relations the database does not enforce, nullable keys, DEFERRABLE ones), else on NOT NULL keys that
/// the target must write unchecked for a moment (see <see cref="BreakCycle"/>).
/// Pure: the result depends only on the set of tables and edges, never on their input order.
/// </summary>
internal static partial class LoadOrder
{
    /// <summary>The load order and the edges removed to reach it.</summary>
    /// <param name="Tables">Every table, each after the tables it references (except through <paramref name="CycleBreaks"/>).</param>
    /// <param name="CycleBreaks">Edges removed to break cycles, in <see cref="ForeignKeyGraph.Order"/>.</param>
    public sealed record Result(IReadOnlyList<string> Tables, IReadOnlyList<ForeignKey> CycleBreaks);

    /// <summary>
    /// Orders <paramref name="tables"/>. Only edges between two of them count, and never
    /// self-references: one INSERT … SELECT of a table satisfies those by itself.
    /// </summary>
    public static Result Compute(IEnumerable<string> tables, IEnumerable<ForeignKey> edges)
    {
        var remaining = new SortedSet<string>(tables, StringComparer.Ordinal);
        var dependencies = edges
            .Where(e => !e.IsSelfReference && remaining.Contains(e.Table) && remaining.Contains(e.RefTable))
            .Distinct(ReferenceEqualityComparer.Instance)
            .Cast<ForeignKey>()
            .Order(ForeignKeyGraph.Order)
            .ToList();

        // waitingOn[t]: t's edges to tables not placed yet; dependents[t]: edges pointing at t.
        var waitingOn = remaining.ToDictionary(t => t, _ => new List<ForeignKey>(), StringComparer.Ordinal);
        var dependents = remaining.ToDictionary(t => t, _ => new List<ForeignKey>(), StringComparer.Ordinal);
        foreach (var fk in dependencies)
        {
            waitingOn[fk.Table].Add(fk);
            dependents[fk.RefTable].Add(fk);
        }

        var ready = new SortedSet<string>(remaining.Where(t => waitingOn[t].Count == 0), StringComparer.Ordinal);
        var order = new List<string>(remaining.Count);
        var breaks = new List<ForeignKey>();
        while (remaining.Count > 0)
        {
            if (ready.Count == 0)
            {
                var table = BreakCycle(remaining, waitingOn);
                breaks.AddRange(waitingOn[table]);
                waitingOn[table].Clear();
                ready.Add(table);
            }

            var next = ready.Min!;
            ready.Remove(next);
            remaining.Remove(next);
            order.Add(next);
            foreach (var fk in dependents[next])
            {
                var waiting = waitingOn[fk.Table];
                if (waiting.Remove(fk) && waiting.Count == 0)
                {
                    ready.Add(fk.Table);
                }
            }
        }

        return new Result(order, breaks.Order(ForeignKeyGraph.Order).ToList());
    }
}
