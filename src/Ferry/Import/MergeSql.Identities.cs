using Ferry.Engines;

namespace Ferry.Import;

// The SQL that matches incoming rows to existing target rows: NULL-safe keys, an identity's where
// (the rows that may be matched) and prefer (which one wins), and the matches no rule decides.
internal sealed partial class MergeSql
{
    /// <summary>
    /// The target rows of <paramref name="table"/> an identity may match, as a FROM item: the table, or only
    /// its rows where <paramref name="where"/> (the profile's own SQL, trusted) holds. The condition sits in a
    /// subquery of its own so that its bare column names can only mean the target table's columns.
    /// </summary>
    public static string Candidates(ISqlDialect dialect, string table, string? where) => Candidates(dialect.Table(table), where);

    private static string Candidates(string rows, string? where) => where is null ? rows : $"(SELECT * FROM {rows} WHERE ({where}))";

    /// <summary>
    /// Maps staged rows not mapped yet to the existing target row with the same key under
    /// <paramref name="rule"/>: among the rows its <c>where</c> admits, the first by its <c>prefer</c>
    /// columns. A staged row with several such rows that <c>prefer</c> does not tell apart (or several
    /// at all, without <c>prefer</c>) is left unmapped: <see cref="AmbiguousMatches"/> lists it.
    /// References in the key compare by their new values, so the parents' maps must exist.
    /// </summary>
    public string MatchExisting(TableMerge t, MatchRule rule)
    {
        var key = Q(t.Archive.PrimaryKey[0]);
        return $"INSERT INTO {Map(t)} (o0, n0, matched) SELECT s.{key}, e.{key}, 1 {MatchFrom(t, rule)} " +
               $"WHERE {Best(t, rule)}NOT {Tied(t, rule)}{NotYet(t, rule)}";
    }

    /// <summary>
    /// Staged rows that <paramref name="rule"/> matches to several target rows that its <c>prefer</c>
    /// does not tell apart: the natural key as text, one column each, then how many target rows tie.
    /// </summary>
    public string AmbiguousMatches(TableMerge t, MatchRule rule, int limit)
    {
        var key = Q(t.Archive.PrimaryKey[0]);
        var columns = KeyTexts(t, rule);
        return $"SELECT {string.Join(", ", columns)}, COUNT(*) {MatchFrom(t, rule)} WHERE {Best(t, rule)}{Tied(t, rule)}{NotYet(t, rule)} " +
               $"GROUP BY s.{key}, {string.Join(", ", columns)} ORDER BY {string.Join(", ", columns)} LIMIT {limit}";
    }

    /// <summary>How many staged rows <see cref="AmbiguousMatches"/> would list without a limit.</summary>
    public string CountAmbiguousMatches(TableMerge t, MatchRule rule)
    {
        var key = Q(t.Archive.PrimaryKey[0]);
        return $"SELECT COUNT(DISTINCT s.{key}) {MatchFrom(t, rule)} WHERE {Best(t, rule)}{Tied(t, rule)}{NotYet(t, rule)}";
    }

    // Each staged row s joined with every target row e it may be matched to.
    private string MatchFrom(TableMerge t, MatchRule rule) =>
        $"FROM {Stage(t)} s JOIN {Candidates(_d.Rows(t.Target), rule.Where)} e ON {MatchOn(t, rule, "e")}";

    // No candidate f of the same staged row comes before e in the rule's preference (followed by AND); empty without one.
    private string Best(TableMerge t, MatchRule rule) =>
        rule.Prefer.Count == 0
            ? ""
            : $"NOT EXISTS (SELECT 1 FROM {Candidates(_d.Rows(t.Target), rule.Where)} f WHERE {MatchOn(t, rule, "f")} AND {Before(rule, "f", "e")}) AND ";

    // Another candidate g of the same staged row that the preference does not tell from e.
    private string Tied(TableMerge t, MatchRule rule)
    {
        var key = Q(t.Archive.PrimaryKey[0]);
        var same = rule.Prefer.Select(p => _d.NotDistinct($"g.{Q(p.Column)}", $"e.{Q(p.Column)}"));
        return $"EXISTS (SELECT 1 FROM {Candidates(_d.Rows(t.Target), rule.Where)} g WHERE {MatchOn(t, rule, "g")} AND g.{key} <> e.{key}" +
               string.Concat(same.Select(c => $" AND {c}")) + ")";
    }

    private string NotYet(TableMerge t, MatchRule rule) =>
        t.Matches.IndexOf(rule) > 0 || t.Updating ? $" AND NOT EXISTS (SELECT 1 FROM {Map(t)} m WHERE m.o0 = s.{Q(t.Archive.PrimaryKey[0])})" : "";

    // Target row (alias) has the staged row's key. An identity compares NULL-safely where the target column
    // may hold NULL (a free tag's vocabulary); a conflict rule's reuse never does: NULLs never collide in a
    // unique key, and one NULL must not stand for another row's.
    private string MatchOn(TableMerge t, MatchRule rule, string alias)
    {
        if (t.Through.TryGetValue(rule, out var holder))
        {
            return MatchThrough(t, rule, holder, alias);
        }
        var on = string.Join(" AND ", rule.Columns.Select(c =>
        {
            var existing = Folded(t, rule, c, $"{alias}.{Q(c)}");
            var incoming = Folded(t, rule, c, IncomingValue(t, c));
            return !rule.Reuse && t.Target.GetColumn(c).Nullable ? _d.NotDistinct(existing, incoming) : $"{existing} = {incoming}";
        }));
        // NULL matches NULL within a key, but a key that is NULL in every column names nothing: it matches no row.
        return rule.Reuse || rule.Columns.All(c => !t.Target.GetColumn(c).Nullable)
            ? on
            : $"{on} AND ({string.Join(" OR ", rule.Columns.Select(c => $"{IncomingValue(t, c)} IS NOT NULL"))})";
    }

    // The key lives in another table: some staged row p of it that points at s and some target row q that
    // points at the target row (alias) hold the same key, both admitted by the through's where.
    private string MatchThrough(TableMerge t, MatchRule rule, TableMerge holder, string alias)
    {
        var through = rule.Through!;
        var same = rule.Columns.Select(c =>
        {
            var existing = Folded(holder, rule, c, $"q.{Q(c)}");
            var incoming = Folded(holder, rule, c, _d.ConvertToTarget($"p.{Q(c)}", holder.ArchiveColumn(c).Type, holder.Target.GetColumn(c)));
            return holder.Target.GetColumn(c).Nullable ? _d.NotDistinct(existing, incoming) : $"{existing} = {incoming}";
        });
        var key = Q(t.Archive.PrimaryKey[0]);
        var present = string.Join(" OR ", rule.Columns.Select(c => $"p.{Q(c)} IS NOT NULL"));
        return $"EXISTS (SELECT 1 FROM {StagedThrough(holder, through.Where)} p JOIN {Candidates(_d.Rows(holder.Target), through.Where)} q " +
               $"ON {string.Join(" AND ", same)} AND ({present}) WHERE p.{Q(through.Column)} = s.{key} AND q.{Q(through.Column)} = {alias}.{key})";
    }

    private string StagedThrough(TableMerge holder, string? where) =>
        where is null ? Stage(holder) : $"(SELECT * FROM {Stage(holder)} WHERE ({where}))";

    // The natural key of staged row s as text, one expression per column, for messages; through another table,
    // the lowest of the staged values that point at s.
    private List<string> KeyTexts(TableMerge t, MatchRule rule)
    {
        if (!t.Through.TryGetValue(rule, out var holder))
        {
            return rule.Columns.Select(c => _d.AsText($"s.{Q(c)}")).ToList();
        }
        var key = Q(t.Archive.PrimaryKey[0]);
        return rule.Columns.Select(c =>
            $"(SELECT MIN({_d.AsText($"p.{Q(c)}")}) FROM {StagedThrough(holder, rule.Through!.Where)} p WHERE p.{Q(rule.Through.Column)} = s.{key})").ToList();
    }

    // Row a comes before row b by the preference: lexicographic over its columns, NULLs last in either direction.
    private string Before(MatchRule rule, string a, string b)
    {
        var condition = "";
        for (var i = rule.Prefer.Count - 1; i >= 0; i--)
        {
            var (x, y) = ($"{a}.{Q(rule.Prefer[i].Column)}", $"{b}.{Q(rule.Prefer[i].Column)}");
            var first = $"({x} {(rule.Prefer[i].Descending ? ">" : "<")} {y} OR ({x} IS NOT NULL AND {y} IS NULL))";
            condition = condition.Length == 0 ? first : $"({first} OR ({_d.NotDistinct(x, y)} AND {condition}))";
        }
        return condition;
    }
}
