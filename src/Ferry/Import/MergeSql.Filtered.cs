using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Import;

// The target's unique indexes that are no plain key: partial ones (CREATE UNIQUE INDEX … WHERE state = 'active'), a key
// among the rows their predicate selects only, and ones over expressions (… ON users (lower(email))). Their predicates
// and expressions are the target database's own text (its catalog's), never the archive's, and are evaluated on each
// side as the index would: on the target's rows, and on the incoming rows as they will be written (the remapped values,
// converted to the target's types, named as the target's columns).
internal sealed partial class MergeSql
{
    /// <summary>A partial or expression unique index as the checks use it: its key parts as SQL over the table's columns.</summary>
    /// <param name="Shown">The key parts as the report names them (the columns, or the expressions).</param>
    /// <param name="Columns">The key parts that are a column as it is (not an expression over it).</param>
    public sealed record ComputedKey(string Name, IReadOnlyList<string> Parts, string? Predicate, IReadOnlyList<string> Shown, IReadOnlyList<string> Columns);

    /// <summary>The target's partial and expression unique indexes of <paramref name="t"/>.</summary>
    public IReadOnlyList<ComputedKey> ComputedKeys(TableMerge t) =>
        t.Target.FilteredUniques.Select(k => new ComputedKey(k.Name, k.Columns.Select(Q).ToList(), k.Predicate, k.Columns, k.Columns))
            .Concat(t.Target.ExpressionUniques.Select(k => new ComputedKey(k.Name, k.Keys, k.Predicate, k.Keys,
                t.Target.Columns.Where(c => k.Keys.Contains(c.Name, StringComparer.Ordinal) || k.Keys.Contains(Q(c.Name), StringComparer.Ordinal)).Select(c => c.Name).ToList())))
            .ToList();

    /// <summary>
    /// True when the incoming rows of <paramref name="t"/> can be checked against <paramref name="key"/>: neither its key
    /// parts nor its predicate name a column the insert leaves to the target's default (whose value is not known before
    /// the row is written; the target's index then refuses a conflicting row on insert).
    /// </summary>
    public static bool Checkable(TableMerge t, ComputedKey key) => Evaluable(t, string.Join(" ", key.Parts.Append(key.Predicate ?? "")));

    // SQL over a table's columns can be evaluated on the incoming rows as written when it names no column they lack: one
    // the insert leaves to its default, or a generated one.
    private static bool Evaluable(TableMerge t, string sql)
    {
        var written = InsertColumns(t).ToHashSet(StringComparer.Ordinal);
        return t.Target.Columns.All(c => written.Contains(c.Name) || !Names(sql, c.Name)) && !t.Target.GeneratedColumns.Any(c => Names(sql, c));
    }

    /// <summary>Incoming rows whose key a target row already holds, among the rows the predicate selects: the key as text.</summary>
    public string ExistingComputedConflicts(TableMerge t, ComputedKey key, int? limit) =>
        $"SELECT {(limit is null ? "COUNT(*)" : Texts(key))} FROM ({Keyed(t, key)}) r WHERE " +
        $"EXISTS (SELECT 1 FROM ({Keyed($"SELECT * FROM {_d.Rows(t.Target)}", key)}) e WHERE {string.Join(" AND ", key.Parts.Select((_, j) => $"e.k{j} = r.k{j}"))})" +
        (limit is null ? "" : $" LIMIT {limit}");

    /// <summary>Keys that several incoming rows share, among the rows the predicate selects, with how many share each.</summary>
    public string DuplicateComputedConflicts(TableMerge t, ComputedKey key, int? limit)
    {
        var grouped = $"FROM ({Keyed(t, key)}) r WHERE {string.Join(" AND ", key.Parts.Select((_, j) => $"r.k{j} IS NOT NULL"))} " +
                      $"GROUP BY {string.Join(", ", key.Parts.Select((_, j) => $"r.k{j}"))} HAVING COUNT(*) > 1";
        return limit is null
            ? $"SELECT COUNT(*) FROM (SELECT 1 AS one {grouped}) g"
            : $"SELECT {Texts(key)}, COUNT(*) {grouped} LIMIT {limit}";
    }

    // The incoming rows as written: their key parts k0, k1, … where the predicate selects them.
    private string Keyed(TableMerge t, ComputedKey key) => Keyed(Remapped(t, false), key);

    // Each text in parentheses and ended by a line break, so that a comment the database kept in it (SQLite keeps the
    // CREATE INDEX text as written) ends there.
    private static string Keyed(string rows, ComputedKey key) =>
        $"SELECT {string.Join(", ", key.Parts.Select((p, j) => $"({p}\n) AS k{j}"))} FROM ({rows}) w" + (key.Predicate is { } p ? $" WHERE ({p}\n)" : "");

    private string Texts(ComputedKey key) => string.Join(", ", key.Parts.Select((_, j) => _d.AsText($"r.k{j}")));

    /// <summary>
    /// True when the incoming rows of <paramref name="t"/> can be checked against the target's CHECK constraint: its
    /// condition names no column the insert leaves to the target's default, nor a generated one.
    /// </summary>
    public static bool Checkable(TableMerge t, CheckConstraint check) => Evaluable(t, check.Condition);

    /// <summary>Incoming rows, as they will be written, whose values the condition of <paramref name="check"/> is false for (NULL passes, as in the database).</summary>
    public string CountBrokenCheck(TableMerge t, CheckConstraint check) =>
        $"SELECT COUNT(*) FROM ({Remapped(t, false)}) w WHERE NOT ({check.Condition}\n)";

    // Whether SQL text may name the column: the name as a word, in any case (quoted or not). Errs towards yes.
    private static bool Names(string sql, string column) =>
        Regex.IsMatch(sql, $@"(?<![\w$]){Regex.Escape(column)}(?![\w$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
