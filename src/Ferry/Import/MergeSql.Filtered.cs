using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Import;

// The target's partial unique indexes (CREATE UNIQUE INDEX … WHERE state = 'active'): a key among the rows its
// predicate selects only. The predicate is the target database's own text (its catalog's), never the archive's, and is
// evaluated on each side as the index would: on the target's rows, and on the incoming rows as they will be written
// (the remapped values, converted to the target's types, named as the target's columns).
internal sealed partial class MergeSql
{
    /// <summary>
    /// True when the incoming rows of <paramref name="t"/> can be checked against <paramref name="key"/>: its columns are
    /// written, and its predicate names no column the insert leaves to the target's default (whose value is not known
    /// before the row is written; the target's index then refuses a conflicting row on insert).
    /// </summary>
    public static bool Checkable(TableMerge t, FilteredUniqueKey key)
    {
        var written = InsertColumns(t).ToHashSet(StringComparer.Ordinal);
        return key.Columns.All(written.Contains)
               && !t.Target.Columns.Any(c => !written.Contains(c.Name) && Names(key.Predicate, c.Name));
    }

    /// <summary>Incoming rows inside the index's predicate whose key a target row inside it already holds: the key's values as text.</summary>
    public string ExistingFilteredConflicts(TableMerge t, FilteredUniqueKey key, int? limit) =>
        $"SELECT {(limit is null ? "COUNT(*)" : Texts(key.Columns))} FROM ({Inside(t, key)}) r WHERE " +
        $"EXISTS (SELECT 1 FROM (SELECT * FROM {_d.Rows(t.Target)} WHERE {key.Predicate}) e WHERE {string.Join(" AND ", key.Columns.Select(c => $"e.{Q(c)} = r.{Q(c)}"))})" +
        (limit is null ? "" : $" LIMIT {limit}");

    /// <summary>Key values that several incoming rows inside the index's predicate share, with how many share each.</summary>
    public string DuplicateFilteredConflicts(TableMerge t, FilteredUniqueKey key, int? limit)
    {
        var grouped = $"FROM ({Inside(t, key)}) r WHERE {string.Join(" AND ", key.Columns.Select(c => $"r.{Q(c)} IS NOT NULL"))} " +
                      $"GROUP BY {string.Join(", ", key.Columns.Select(c => $"r.{Q(c)}"))} HAVING COUNT(*) > 1";
        return limit is null
            ? $"SELECT COUNT(*) FROM (SELECT 1 AS one {grouped}) g"
            : $"SELECT {Texts(key.Columns)}, COUNT(*) {grouped} LIMIT {limit}";
    }

    // The incoming rows as written, those the predicate selects.
    private string Inside(TableMerge t, FilteredUniqueKey key) => $"SELECT * FROM ({Remapped(t, false)}) w WHERE {key.Predicate}";

    private string Texts(IReadOnlyList<string> columns) => string.Join(", ", columns.Select(c => _d.AsText($"r.{Q(c)}")));

    // Whether a predicate's text may name the column: the name as a word, in any case (quoted or not). Errs towards yes.
    private static bool Names(string predicate, string column) =>
        Regex.IsMatch(predicate, $@"(?<![\w$]){Regex.Escape(column)}(?![\w$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
