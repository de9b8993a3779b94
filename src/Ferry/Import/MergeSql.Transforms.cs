using System.Globalization;
using Ferry.Schema;

namespace Ferry.Import;

// A profile's transforms as statements over the staging tables, run after staging and before the
// maps, the conflict checks and the merge, so that all of them see the transformed rows.
internal sealed partial class MergeSql
{
    /// <summary>The statements that make <paramref name="update"/>; <paramref name="merges"/> are in manifest order.</summary>
    public IReadOnlyList<string> Transform(StageUpdate update, IReadOnlyList<TableMerge> merges) => update switch
    {
        SetUpdate u => [Set(merges[u.Table], u.Column, u.Value)],
        MapUpdate u => [Map(merges[u.Table], u.Column, u.Values)],
        FillUpdate u => Fill(merges[u.Table], u.Column, u.Expression),
        SqlUpdate u => [StagingSql(u, merges)],
        _ => throw new ArgumentOutOfRangeException(nameof(update)),
    };

    /// <summary>Every staged row gets the constant (already in the column's archive type).</summary>
    public string Set(TableMerge t, string column, object? value) =>
        $"UPDATE {Stage(t)} SET {Q(column)} = {Constant(value, t.StageColumn(column).Type)}";

    /// <summary>Staged values equal, as text, to a key become its value; the others are kept.</summary>
    public string Map(TableMerge t, string column, IReadOnlyList<KeyValuePair<string, object?>> values)
    {
        var type = t.StageColumn(column).Type;
        var text = _d.AsText(Q(column));
        var cases = values.Select(v => $"WHEN {_d.Literal(v.Key)} THEN {Constant(v.Value, type)}");
        return $"UPDATE {Stage(t)} SET {Q(column)} = CASE {text} {string.Join(" ", cases)} END " +
               $"WHERE {text} IN ({string.Join(", ", values.Select(v => _d.Literal(v.Key)))})";
    }

    /// <summary>
    /// Gives the added column the value of <paramref name="expression"/>, evaluated over the row's
    /// columns by their bare names, each in the target column's type where the target has it.
    /// The values are computed into a scratch table first, paired with their rows by the dialect's
    /// <see cref="Engines.ISqlDialect.StageRow"/> (so a table without a key works too), then set: MariaDB cannot
    /// read a temporary table in the statement that updates it.
    /// </summary>
    public IReadOnlyList<string> Fill(TableMerge t, string column, string expression)
    {
        var row = _d.StageRow;
        var values = t.StageColumns.Select(c => t.Target.FindColumn(c.Name) is { } target
            ? $"{_d.ConvertToTarget($"s2.{Q(c.Name)}", c.Type, target)} AS {Q(c.Name)}"
            : $"s2.{Q(c.Name)} AS {Q(c.Name)}");
        var rows = $"SELECT s2.{row} AS ferry_row, {string.Join(", ", values)} FROM {Stage(t)} s2";
        var filled = $"ferry_fill_{t.Index}";
        return
        [
            _d.CreateTempTable(filled, [("ferry_row", _d.StageRowType), ("v", _d.StagingType(t.StageColumn(column).Type))], []),
            $"INSERT INTO {_d.TempTable(filled)} (ferry_row, v) SELECT x.ferry_row, ({expression}) FROM ({rows}) AS x",
            _d.UpdateFromSelect(Stage(t), "s", [(column, "r.v")], $"SELECT ferry_row, v FROM {_d.TempTable(filled)}", "r", $"s.{row} = r.ferry_row"),
            _d.DropTempTable(filled),
        ];
    }

    /// <summary>The profile's statement with each <c>{table}</c> replaced by that table's staging table.</summary>
    public string StagingSql(SqlUpdate update, IReadOnlyList<TableMerge> merges) =>
        TransformPlan.PlaceholderPattern().Replace(update.Sql, m =>
            update.Tables.TryGetValue(m.Groups[1].Value, out var table) ? Stage(merges[table]) : m.Value);

    // A constant in the staging column's type: numbers as digits, text through the dialect's
    // literal, booleans as a comparison (1/0 in SQLite's INTEGER staging, true/false in PostgreSQL).
    private string Constant(object? value, FerryType type) => value switch
    {
        null => $"CAST(NULL AS {_d.StagingType(type)})",
        bool b => b ? "(1 = 1)" : "(1 = 0)",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => _d.Literal(s),
        _ => throw new ArgumentOutOfRangeException(nameof(value), $"a transform constant cannot be a {value.GetType().Name}"),
    };
}
