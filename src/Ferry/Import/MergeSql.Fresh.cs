using Ferry.Schema;

namespace Ferry.Import;

// The value maps of columns outside the primary key that the target's sequence feeds (TableMerge.Fresh): one row
// per distinct old value, with the existing row's value for rows matched or skipped, and a fresh one for the rest:
// provisional (above everything the table and its sequence hold) until the import is going to commit, then drawn.
internal sealed partial class MergeSql
{
    /// <summary>The value map of <paramref name="column"/>: <c>o</c> (old value, primary key) → <c>n</c> (new), <c>matched</c>.</summary>
    public string CreateValueMap(TableMerge t, string column) =>
        _d.CreateTempTable(t.ValueMap(column),
            [("o", _d.StagingType(t.ArchiveColumn(column).Type)), ("n", t.Target.GetColumn(column).SqlType), ("matched", _d.StagingType(FerryType.Int))],
            ["o"]);

    /// <summary>
    /// The values of rows that an identity or a <c>reuse</c> rule matched (they are not inserted): the existing
    /// row's value, which references to them follow; empty when the table matches nothing.
    /// </summary>
    public IReadOnlyList<string> MatchedValues(TableMerge t, string column)
    {
        var statements = new List<string>();
        var c = Q(column);
        if (t.HasMap && (t.Matches.Count > 0 || t.Updating))
        {
            var key = Q(t.Archive.PrimaryKey[0]);
            statements.Add($"INSERT INTO {ValueMap(t, column)} (o, n, matched) SELECT s.{c}, MIN(e.{c}), 1 " +
                           $"FROM {Stage(t)} s JOIN {Map(t)} m ON m.o0 = s.{key} AND m.matched <> 0 JOIN {_d.Rows(t.Target)} e ON e.{key} = m.n0 " +
                           $"WHERE s.{c} IS NOT NULL GROUP BY s.{c}");
        }
        foreach (var skip in t.Skips)
        {
            var on = string.Join(" AND ", skip.Columns.Select(k => $"e.{Q(k)} = {IncomingValue(t, k)}"));
            statements.Add($"INSERT INTO {ValueMap(t, column)} (o, n, matched) SELECT s.{c}, MIN(e.{c}), 1 " +
                           $"FROM {Stage(t)} s JOIN {_d.Rows(t.Target)} e ON {on} " +
                           $"WHERE s.{c} IS NOT NULL AND {NotInValueMap(t, column)} GROUP BY s.{c}");
        }
        return statements;
    }

    /// <summary>
    /// Every other distinct old value gets a provisional fresh value, in the order of the old values, above
    /// everything the table holds and the sequence handed out: the conflict checks made with them hold for the
    /// values <see cref="RedrawValues"/> draws later.
    /// </summary>
    public string FreshValues(TableMerge t, string column)
    {
        var c = Q(column);
        var max = _d.CurrentMaxId(t.Target, t.Target.GetColumn(column));
        return $"INSERT INTO {ValueMap(t, column)} (o, n, matched) SELECT v.o, {max} + ROW_NUMBER() OVER (ORDER BY v.o), 0 " +
               $"FROM (SELECT DISTINCT s.{c} AS o FROM {Stage(t)} s WHERE s.{c} IS NOT NULL AND {NotInValueMap(t, column)}) v";
    }

    /// <summary>
    /// Replaces the provisional values of a value map by values drawn from the column's sequence, in the order of
    /// the old values; empty when the engine has no generator to draw from. Rebuilt rather than updated, as key maps are.
    /// </summary>
    public IReadOnlyList<string> RedrawValues(TableMerge t, string column)
    {
        var target = t.Target.GetColumn(column);
        if (_d.NextId(target) is not { } draw)
        {
            return [];
        }
        var map = t.ValueMap(column);
        var redrawn = $"ferry_redraw_{map}";
        // The subquery's order is the order in which the outer list draws: fresh values keep the old values' order.
        return
        [
            $"CREATE TEMP TABLE {Q(redrawn)} AS SELECT q.o, CAST(CASE WHEN q.matched <> 0 THEN q.n ELSE {draw} END AS {target.SqlType}) AS n, q.matched " +
            $"FROM (SELECT * FROM {_d.TempTable(map)} ORDER BY o) q",
            $"DROP TABLE {_d.TempTable(map)}",
            $"ALTER TABLE {_d.TempTable(redrawn)} RENAME TO {Q(map)}",
            $"ALTER TABLE {_d.TempTable(map)} ADD PRIMARY KEY (o)",
            .. _d.AnalyzeTemp(map) is { } analyze ? [analyze] : Array.Empty<string>(),
        ];
    }

    /// <summary>How many values of <paramref name="column"/> are fresh (not an existing row's).</summary>
    public string CountFreshValues(TableMerge t, string column) => $"SELECT COUNT(*) FROM {ValueMap(t, column)} WHERE matched = 0";

    /// <summary>
    /// Target columns that an insert leaves to their generator (a sequence-fed column the archive lacks, or the
    /// profile drops): in a dry run they get provisional values like fresh ones instead, since a default's
    /// <c>nextval</c> is not undone by the rollback. Only columns the database fills itself (identity, a default
    /// that draws), where the engine has such generators: a sequence merely OWNED BY a column without default
    /// (the app draws from it) gives nothing to an insert that leaves the column out, and neither may the dry run.
    /// </summary>
    public IReadOnlyList<string> OmittedGenerated(TableMerge t)
    {
        var written = InsertColumns(t).ToHashSet(StringComparer.Ordinal);
        return t.Target.Columns.Where(c => !written.Contains(c.Name) && c.IsAutoIncrement && _d.NextId(c) is not null).Select(c => c.Name).ToList();
    }

    // The provisional value of an omitted generated column, per inserted row.
    private string Provisional(TableMerge t, string column) =>
        $"{_d.CurrentMaxId(t.Target, t.Target.GetColumn(column))} + ROW_NUMBER() OVER ()";

    private string NotInValueMap(TableMerge t, string column) =>
        $"NOT EXISTS (SELECT 1 FROM {ValueMap(t, column)} x WHERE x.o = s.{Q(column)})";

    private string ValueMap(TableMerge t, string column) => _d.TempTable(t.ValueMap(column));

    // The alias of a fresh column's own value map in From.
    private static string FreshAlias(TableMerge t, string column) => $"f{t.Fresh.ToList().IndexOf(column)}";

    // The alias of the parent's value map that a reference into a fresh column joins in From.
    private static string ValueAlias(TableMerge t, Remap remap) => $"v{t.Archive.ForeignKeys.ToList().IndexOf(remap.Key) + 1}_{remap.Position}";
}
