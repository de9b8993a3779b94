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
    public string DanglingKey(TableMerge t, ForeignKey key)
    {
        var values = string.Join(", ", key.Columns.Select(c => _d.AsText($"c.{Q(c)}")));
        var present = string.Join(" AND ", key.Columns.Select(c => $"c.{Q(c)} IS NOT NULL"));
        var parent = string.Join(" AND ", key.Columns.Select((c, j) => $"p.{Q(key.RefColumns[j])} = c.{Q(c)}"));
        var rows = t.HasMap
            ? $"{Map(t)} m JOIN {_d.Rows(t.Target)} c ON {string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"c.{Q(k)} = m.n{j}"))} WHERE m.matched = 0 AND "
            : $"{_d.Rows(t.Target)} c WHERE ";
        return $"SELECT {values} FROM {rows}{present} AND NOT EXISTS (SELECT 1 FROM {_d.Table(key.RefTable)} p WHERE {parent}) LIMIT 1";
    }
}
