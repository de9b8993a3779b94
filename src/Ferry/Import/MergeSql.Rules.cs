using System.Globalization;
using Ferry.Schema;

namespace Ferry.Import;

// The SQL of identity and conflict rules: matching on remapped values, case folding, placeholder
// constants, --map files, required identities and conflict renames.
internal sealed partial class MergeSql
{
    /// <summary>
    /// The value a staged column (of stage alias <c>s</c>) will have in the target, without the
    /// joins of <see cref="Remapped"/>: a reference through its parent's map, anything else converted.
    /// </summary>
    public string IncomingValue(TableMerge t, string column)
    {
        if (t.Remapped.TryGetValue(column, out var remap))
        {
            if (remap.Fresh is not null)
            {
                return $"(SELECT p.n FROM {ValueMap(remap.Parent, remap.Fresh)} p WHERE p.o = s.{Q(column)})";
            }
            var on = string.Join(" AND ", remap.Key.Columns.Select((c, j) => $"p.o{remap.Slots[j]} = s.{Q(c)}"));
            return KeptNone(t, remap, column, $"(SELECT p.n{remap.Slot} FROM {Map(remap.Parent)} p WHERE {on})");
        }
        return _d.ConvertToTarget($"s.{Q(column)}", t.ArchiveColumn(column).Type, t.Target.GetColumn(column));
    }

    /// <summary>A text column's value folded to lower case when the rule is case-insensitive.</summary>
    private string Folded(TableMerge t, MatchRule rule, string column, string expression) =>
        rule.CaseInsensitive && t.Target.GetColumn(column).Type == FerryType.Text ? $"LOWER({expression})" : expression;

    /// <summary>A profile constant (string, long, double, bool or null, as YAML gives it) as an expression of the target column's type.</summary>
    private string Constant(object? value, Column target) => value switch
    {
        null => "NULL",
        bool b => _d.ConvertToTarget(b ? "TRUE" : "FALSE", FerryType.Bool, target),
        long or int => _d.ConvertToTarget(Convert.ToString(value, CultureInfo.InvariantCulture)!, FerryType.Int, target),
        double d => _d.ConvertToTarget(d.ToString("R", CultureInfo.InvariantCulture), FerryType.Float, target),
        _ => _d.ConvertToTarget(_d.Literal(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""), FerryType.Text, target),
    };

    /// <summary>Staged rows that no rule mapped to an existing row.</summary>
    public string CountUnmatched(TableMerge t) =>
        $"SELECT COUNT(*) FROM {Stage(t)} s WHERE {NotMapped(t)}";

    /// <summary>The natural keys (as text, one column each) of staged rows that no rule mapped, in key order.</summary>
    public string UnmatchedExamples(TableMerge t, int limit)
    {
        var columns = KeyTexts(t, t.Match!);
        return $"SELECT {string.Join(", ", columns)} FROM {Stage(t)} s WHERE {NotMapped(t)} " +
               $"ORDER BY {string.Join(", ", columns)} LIMIT {limit}";
    }

    /// <summary>Rows <see cref="Insert"/> will write (for tables whose skipped rows are counted as matched).</summary>
    public string CountInserted(TableMerge t) => $"SELECT COUNT(*) {From(t)}";

    /// <summary>Staged rows colliding with an existing target row on the rename's key get the pattern's value.</summary>
    public string RenameConflicting(TableMerge t, ConflictRename rename)
    {
        var parts = rename.Pattern.Split("{value}");
        var value = _d.AsText($"s.{Q(rename.Column)}");
        var renamed = _d.Concat(parts.Select(_d.Literal).SelectMany((p, i) => i == 0 ? [p] : new[] { value, p }).ToList());
        var matched = t.HasMap
            ? $" AND NOT EXISTS (SELECT 1 FROM {Map(t)} m WHERE {MapRow(t)} AND m.matched = 1)"
            : "";
        return $"UPDATE {Stage(t)} AS s SET {Q(rename.Column)} = {renamed} " +
               $"WHERE {ExistsInTarget(t, rename.Key, c => IncomingValue(t, c))}{matched}";
    }

    /// <summary>The table of a <c>--map</c> file: source key → target key, as text.</summary>
    public string CreateIdentityMap(TableMerge t) =>
        _d.CreateTempTable(IdentityMapName(t), [("src", _d.StagingType(FerryType.Text)), ("dst", _d.StagingType(FerryType.Text))], []);

    public static string IdentityMapName(TableMerge t) => $"ferry_idmap_{t.Index}";

    /// <summary>Source keys that a <c>--map</c> file lists more than once.</summary>
    public string DuplicateIdentityMapKeys(TableMerge t) =>
        $"SELECT src FROM {_d.TempTable(IdentityMapName(t))} GROUP BY src HAVING COUNT(*) > 1 ORDER BY src LIMIT 5";

    /// <summary>Replaces each staged natural key that the <c>--map</c> file lists by its target key, before matching.</summary>
    public string ApplyIdentityMap(TableMerge t)
    {
        var column = t.Match!.Columns[0];
        var staged = t.ArchiveColumn(column).Type;
        var map = _d.TempTable(IdentityMapName(t));
        var source = Cast($"s.{Q(column)}", staged, FerryType.Text);
        return $"UPDATE {Stage(t)} AS s SET {Q(column)} = (SELECT {Cast("x.dst", FerryType.Text, staged)} FROM {map} x WHERE x.src = {source}) " +
               $"WHERE EXISTS (SELECT 1 FROM {map} x WHERE x.src = {source})";
    }

    private string NotMapped(TableMerge t) => $"NOT EXISTS (SELECT 1 FROM {Map(t)} m WHERE {MapRow(t)})";

    // The map row (alias m) of staged row s.
    private string MapRow(TableMerge t) =>
        string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"m.o{j} = s.{Q(k)}"));
}
