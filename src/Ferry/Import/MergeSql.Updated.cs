using Ferry.Schema;

namespace Ferry.Import;

// --update: the unique keys of the rows an import rewrites, checked before anything is written like those of the new
// rows (MergeSql.cs), so that a slug changed at the source into one the target holds is a conflict, not a failed commit.
internal sealed partial class MergeSql
{
    /// <summary>
    /// True when the rows <paramref name="t"/> updates can collide on <paramref name="key"/>: the update rewrites one
    /// of its columns and none takes a fresh value (those keep the target's).
    /// </summary>
    public static bool UpdateChecks(TableMerge t, UniqueKey key)
    {
        var set = UpdateColumns(t);
        return t.Compared && key.Columns.Any(set.Contains) && !key.Columns.Any(t.Fresh.Contains)
               && key.Columns.All(c => set.Contains(c) || t.Archive.PrimaryKey.Contains(c));
    }

    /// <summary>
    /// Rows to update whose new value of <paramref name="key"/> another target row holds (their own row aside), or
    /// another incoming row (new or updated) brings: the key's values as text. A target row that this import updates
    /// or deletes still holds its value when the row is written, so it counts: the writes go row by row.
    /// </summary>
    public string UpdatedConflicts(TableMerge t, UniqueKey key, int? limit)
    {
        var keys = t.Archive.PrimaryKey;
        var cols = key.Columns.Select((c, j) => $"r.{Q(c)}").ToList();
        var other = string.Join(" AND ", key.Columns.Select(c => $"e.{Q(c)} = r.{Q(c)}")) +
                    $" AND NOT ({string.Join(" AND ", keys.Select((k, j) => $"e.{Q(k)} = r.ferry_k{j}"))})";
        var existing = $"SELECT {Texts(key)} FROM ({UpdatedValues(t, key)}) r WHERE {NotNull(key)} AND EXISTS (SELECT 1 FROM {_d.Rows(t.Target)} e WHERE {other})";
        var incoming = $"SELECT {string.Join(", ", key.Columns.Select(Q))}, 0 AS ferry_updated FROM ({Remapped(t, false)}) n " +
                       $"UNION ALL SELECT {string.Join(", ", key.Columns.Select(Q))}, 1 FROM ({UpdatedValues(t, key)}) u";
        var shared = $"SELECT {Texts(key)} FROM ({incoming}) r WHERE {NotNull(key)} GROUP BY {string.Join(", ", cols)} " +
                     "HAVING COUNT(*) > 1 AND MAX(r.ferry_updated) = 1";
        var all = $"{existing} UNION {shared}";
        return limit is { } n ? $"SELECT * FROM ({all}) c LIMIT {n}" : $"SELECT COUNT(*) FROM ({all}) c";
    }

    // The rows to update (state Update) with the new values of the key's columns and their target key (ferry_kN).
    private string UpdatedValues(TableMerge t, UniqueKey key)
    {
        var keys = t.Archive.PrimaryKey;
        var values = key.Columns.Select(c => $"{Value(t, c)} AS {Q(c)}").Concat(keys.Select((_, j) => $"d.k{j} AS ferry_k{j}"));
        return $"SELECT {string.Join(", ", values)} {DiffJoins(t)}d.state = {(int)RowState.Update}";
    }
}
