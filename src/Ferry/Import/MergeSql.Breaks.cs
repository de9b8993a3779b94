using Ferry.Schema;

namespace Ferry.Import;

// NOT NULL keys of a cycle written before the rows they point at (deferred, or written while the target did not check
// them): each is checked by one set-based query before the commit, so that a broken one fails the import with its name.
internal sealed partial class MergeSql
{
    /// <summary>
    /// The first row of <paramref name="t"/> written by this import whose <paramref name="key"/> (a target foreign key
    /// of its table) points at no row: the key's values as text, or no row. The rows written are those of the table's
    /// key map that no target row matched (every row of the table when it has no key map).
    /// </summary>
    /// <remarks>
    /// An anti-join (LEFT JOIN … IS NULL) rather than NOT EXISTS: MariaDB turned the NOT EXISTS into a materialised set of
    /// the whole referenced table, where the join looks each key up by the referenced key's index (434,780 messages'
    /// reply_to_id against 1,290,000 messages: 6.9–8.9 s as NOT EXISTS, 1.26 s joined). PostgreSQL plans both alike.
    /// </remarks>
    public string DanglingKey(TableMerge t, ForeignKey key) =>
        t.HasMap
            ? Dangling($"{Map(t)} m JOIN {_d.Rows(t.Target)} c ON {string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"c.{Q(k)} = m.n{j}"))}", "m.matched = 0 AND ", key)
            : Dangling($"{_d.Rows(t.Target)} c", "", key);

    /// <summary>
    /// <see cref="DanglingKey"/> for a table without a key map, reading the rows its insert wrote from the same query
    /// (<see cref="Remapped"/>) rather than from the table, which holds other rows too: for a table whose written rows
    /// that query finds again once they are written (<see cref="WrittenRowsFoundAgain"/>), a key whose columns the insert
    /// writes, and a table whose insert nothing else changes (no trigger or rule of the application).
    /// </summary>
    public string DanglingWritten(TableMerge t, ForeignKey key) => Dangling($"({Remapped(t, deferNulls: true)}) c", "", key);

    // The first row c of rows (up to an open WHERE condition, written) whose key points at no row of its table p.
    private string Dangling(string rows, string written, ForeignKey key)
    {
        var values = string.Join(", ", key.Columns.Select(c => _d.AsText($"c.{Q(c)}")));
        var present = string.Join(" AND ", key.Columns.Select(c => $"c.{Q(c)} IS NOT NULL"));
        var parent = string.Join(" AND ", key.Columns.Select((c, j) => $"p.{Q(key.RefColumns[j])} = c.{Q(c)}"));
        // A row of p that matched holds the key's values, none of them NULL.
        return $"SELECT {values} FROM {rows} LEFT JOIN {_d.Table(key.RefTable)} p ON {parent} " +
               $"WHERE {written}{present} AND p.{Q(key.RefColumns[0])} IS NULL LIMIT 1";
    }

    /// <summary>
    /// True when every value the insert of <paramref name="t"/> writes into <paramref name="key"/>'s columns is proven to
    /// point at a row before the commit, by what the import already checked: each column takes its new value from one
    /// row of the key map of the table the key points into (the same join alias for every column, no "none" value kept
    /// as it is), the map's new keys in those slots are the key's referenced columns, and every row of that map is a row
    /// of its table: matched ones exist (they were read from it under the import's lock, which the caller makes sure of:
    /// <see cref="Engines.ISqlDialect.ReadsBeforeStagingAsAfter"/> false), the others are exactly the
    /// rows its insert writes (no <c>skip</c> rule, no ids drawn by the target). <see cref="CountDangling"/> failed the
    /// import before anything was written if a non-null staged value had no row in the map. The caller adds what SQL
    /// cannot see from here: the parent is locked, and nothing of the application's (trigger, rule) can remove a row
    /// the import wrote.
    /// </summary>
    public bool ProvenByMap(TableMerge t, ForeignKey key)
    {
        var remaps = new List<Remap>();
        foreach (var column in key.Columns)
        {
            if (ParentMapValue(t, column) is not { } remap)
            {
                return false;
            }
            remaps.Add(remap);
        }
        var parent = remaps[0].Parent;
        return remaps.All(r => ReferenceEquals(r.Key, remaps[0].Key) && ReferenceEquals(r.Parent, parent))
            && remaps[0].Key.Reference?.None is not { Count: > 0 }
            && string.Equals(parent.Target.Name, key.RefTable, StringComparison.Ordinal)
            && parent.HasMap && parent.Skips.Count == 0 && DrawnKey(parent) is null
            && remaps.Select((r, j) => string.Equals(parent.Archive.PrimaryKey[r.Slot], key.RefColumns[j], StringComparison.Ordinal)).All(same => same);
    }

    // The remap through which column of t takes its value from a row of a parent's key map; null when it takes another:
    // a column of the table's own key with a key map takes its own map's value, a placeholder its constant, a reference
    // into a fresh column its value map's, a relation inside documents a rewritten value.
    private static Remap? ParentMapValue(TableMerge t, string column) =>
        (t.HasMap && t.Archive.PrimaryKey.Contains(column, StringComparer.Ordinal))
        || (t.Placeholders && t.Match!.Placeholder.ContainsKey(column))
        || t.Rewrites.Any(r => r.Key.Columns.Contains(column, StringComparer.Ordinal))
        || !t.Remapped.TryGetValue(column, out var remap) || remap.Fresh is not null
            ? null
            : remap;

    /// <summary>
    /// True when no row the target holds can have the values that the insert of <paramref name="t"/> writes into
    /// <paramref name="columns"/> (a unique key's), so that its check against the target's rows can be left out: one of
    /// the columns, NOT NULL in the target, takes in every row a new key of a parent table whose every row the import
    /// inserts with fresh ids (drawn past every id the table or its generator handed out: no <c>reuse</c> or identity
    /// rule, no <c>skip</c> rule, no <c>--update</c>, no id the target draws at the insert, no "none" value kept), and the
    /// target enforces its foreign key on that column into that parent's key (<paramref name="enforced"/>, table
    /// and constraint names from <see cref="Engines.ISqlDialect.EnforcedForeignKeys"/>): a target row holding a fresh id there would
    /// point at no row. Should a row break that rule anyway, the target's unique index still refuses the insert.
    /// </summary>
    public bool HoldsFreshParent(TableMerge t, IReadOnlyList<string> columns, IReadOnlySet<(string Table, string Constraint)> enforced) =>
        columns.Any(column =>
            t.Target.FindColumn(column) is { Nullable: false }
            && ParentMapValue(t, column) is { Key.Columns.Count: 1 } remap
            && remap.Key.Reference?.None is not { Count: > 0 }
            && remap.Parent is { HasMap: true, Matches.Count: 0, Skips.Count: 0, Updating: false } parent
            && !ReferenceEquals(parent, t) && parent.Allocated.Contains(remap.Slot) && DrawnKey(parent) is null
            && t.Target.ForeignKeys.Any(k => !k.IsVirtual && enforced.Contains((t.Target.Name, k.Name))
                && k.Columns.SequenceEqual([column], StringComparer.Ordinal)
                && string.Equals(k.RefTable, parent.Target.Name, StringComparison.Ordinal)
                && k.RefColumns.SequenceEqual([parent.Archive.PrimaryKey[remap.Slot]], StringComparer.Ordinal)));

    /// <summary>
    /// True when <see cref="Remapped"/> finds the rows the insert of <paramref name="t"/> wrote again after it wrote them:
    /// no row is left out for a key the target holds (a <c>skip</c> rule, or under <c>--update</c> a new row told apart
    /// by the target's keys rather than by the list made before the insert, <see cref="FillNew"/>).
    /// </summary>
    public static bool WrittenRowsFoundAgain(TableMerge t) => t.Skips.Count == 0 && (t.HasMap || !t.Updating || t.NewListed);
}
