using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>
/// Builds the set-based SQL of an import: staging and map tables, id allocation, identity
/// matching, the remapped SELECT of each table, conflict checks, INSERT…SELECT and cycle updates.
/// Pure: text only, engine differences come from <see cref="ISqlDialect"/>.
/// </summary>
internal sealed partial class MergeSql(ISqlDialect dialect)
{
    private readonly ISqlDialect _d = dialect;

    public string CreateStage(TableMerge t) =>
        _d.CreateTempTable(t.Stage, t.StageColumns.Select(c => (c.Name, _d.StagingType(c.Type)))
            .Concat(t.DigestColumn is { } digest ? [(digest, _d.StagingType(FerryType.Text))] : [])
            .Concat(t.NumberedRows && _d.StageRowColumn is { } row ? [row] : []).ToList(), t.Archive.PrimaryKey);

    /// <summary>Refuses a numbered stage whose staged columns already hold the name of the row number column.</summary>
    public void CheckStageRow(TableMerge t)
    {
        if (t.NumberedRows && _d.StageRowColumn is { } row
            && t.StageColumns.Any(c => string.Equals(c.Name, row.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new FerryException($"table {t.Archive.Name} has a column named {row.Name}, the name this target's import numbers " +
                                     "staged rows with for a fill or a relation inside documents: rename the column in a profile (a rename transform)");
        }
    }

    /// <summary>
    /// The key map of <paramref name="t"/>: old key (<c>o</c>N) → new key (<c>n</c>N), how the row was mapped
    /// (<c>matched</c>: 0 a new row, 1 an identity or <c>reuse</c> match, 2 the ledger) and, for rows the ledger mapped
    /// from the stage, whether their source digest differs from the ledger's (<c>changed</c>, <see cref="MapFromLedger"/>).
    /// </summary>
    public string CreateMap(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var columns = keys.Select((k, j) => ($"o{j}", _d.StagingType(t.ArchiveColumn(k).Type)))
            .Concat(keys.Select((k, j) => ($"n{j}", t.Target.GetColumn(k).SqlType)))
            .Append(("matched", _d.StagingType(FerryType.Int)))
            .Append(("changed", _d.StagingType(FerryType.Int)))
            .ToList();
        return _d.CreateTempTable(t.Map, columns, keys.Select((_, j) => $"o{j}").ToList());
    }

    /// <summary>
    /// Maps every staged row not matched yet to its new key: fresh ids for the allocated columns, in
    /// the source's order of each, above everything the table or its generator handed out; the other
    /// key columns keep their value, or take their parent's new one when they are references. The
    /// fresh ids are provisional where the column has a generator (<see cref="RedrawFromGenerator"/>):
    /// a PostgreSQL nextval survives a rollback, so a dry run or a refused import must not draw.
    /// </summary>
    public string MapRemaining(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var unmatched = t.Matches.Count == 0 && !t.Updating ? "" : $" WHERE {NotMapped(t)}";
        // The window orders by the key itself: wrapping the rows in an ordered subquery first made SQLite
        // sort twice (0.33 s against 0.24 s for 434,800 rows).
        var values = keys.Select((k, j) => t.Allocated.Contains(j)
            ? $"{_d.CurrentMaxId(t.Target, t.Target.GetColumn(k))} + ROW_NUMBER() OVER (ORDER BY {SourceOrder(t, j)})"
            : IncomingValue(t, k));
        return $"INSERT INTO {Map(t)} ({string.Join(", ", keys.Select((_, j) => $"o{j}"))}, {string.Join(", ", keys.Select((_, j) => $"n{j}"))}, matched) " +
               $"SELECT {string.Join(", ", keys.Select(k => $"s.{Q(k)}"))}, {string.Join(", ", values)}, 0 FROM {Stage(t)} s{unmatched}";
    }

    /// <summary>
    /// Replaces the provisional fresh ids of a map with ids drawn from each allocated column's
    /// generator, in the same order, and the provisional values of the value maps likewise
    /// (<see cref="RedrawValues"/>); empty when the engine has no generator for any of them. Fresh
    /// ids never take part in a conflict (none exists in the target), so the checks made with the
    /// provisional ids hold. The map is rebuilt rather than updated: an UPDATE of every row writes each
    /// row twice and its key index again (2 s of a 434,800-row map, against a fraction of that for a copy).
    /// </summary>
    public IReadOnlyList<string> RedrawFromGenerator(TableMerge t) =>
        [.. RedrawKeys(t), .. t.Fresh.SelectMany(c => RedrawValues(t, c))];

    private IReadOnlyList<string> RedrawKeys(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var next = keys.Select((k, j) => t.Allocated.Contains(j) ? _d.NextId(t.Target.GetColumn(k)) : null).ToList();
        if (next.All(n => n is null))
        {
            return [];
        }
        var redrawn = $"ferry_redraw_{t.Index}";
        var olds = string.Join(", ", keys.Select((_, j) => $"q.o{j}"));
        var news = string.Join(", ", keys.Select((k, j) => next[j] is { } draw
            ? $"CAST(CASE WHEN q.matched <> 0 THEN q.n{j} ELSE {draw} END AS {t.Target.GetColumn(k).SqlType}) AS n{j}"
            : $"q.n{j}"));
        var first = t.Allocated[0];
        // The subquery's order is the order in which the outer list draws: fresh ids keep the source's order.
        return
        [
            $"CREATE TEMP TABLE {Q(redrawn)} AS SELECT {olds}, {news}, q.matched, q.changed " +
            $"FROM (SELECT * FROM {Map(t)} ORDER BY {string.Join(", ", new[] { first }.Concat(keys.Select((_, j) => j).Where(j => j != first)).Select(j => $"o{j}"))}) q",
            $"DROP TABLE {Map(t)}",
            $"ALTER TABLE {_d.TempTable(redrawn)} RENAME TO {Q(t.Map)}",
            $"ALTER TABLE {Map(t)} ADD PRIMARY KEY ({string.Join(", ", keys.Select((_, j) => $"o{j}"))})",
            .. _d.AnalyzeTemp(t.Map) is { } analyze ? [analyze] : Array.Empty<string>(),
        ];
    }

    // The order fresh ids of key column j follow: its source values, then the rest of the key.
    private string SourceOrder(TableMerge t, int j) =>
        string.Join(", ", new[] { j }.Concat(t.Archive.PrimaryKey.Select((_, i) => i).Where(i => i != j))
            .Select(i => $"s.{Q(t.Archive.PrimaryKey[i])}"));

    /// <summary>Staged rows with a value in any of <paramref name="columns"/>.</summary>
    public string CountNotNull(TableMerge t, IReadOnlyList<string> columns) =>
        $"SELECT COUNT(*) FROM {Stage(t)} s WHERE {string.Join(" OR ", columns.Select(c => $"s.{Q(c)} IS NOT NULL"))}";

    public string CountMatched(TableMerge t) => $"SELECT COUNT(*) FROM {Map(t)} WHERE matched <> 0";

    /// <summary>Staged rows whose remapped foreign key points at a row the archive does not hold.</summary>
    public string CountDangling(TableMerge t, string column)
    {
        var remap = t.Remapped[column];
        if (remap.Fresh is not null)
        {
            return $"SELECT COUNT(*) FROM {Stage(t)} s LEFT JOIN {ValueMap(remap.Parent, remap.Fresh)} v ON v.o = s.{Q(column)} " +
                   $"WHERE s.{Q(column)} IS NOT NULL AND v.o IS NULL";
        }
        var on = string.Join(" AND ", remap.Key.Columns.Select((c, j) => $"m.o{remap.Slots[j]} = s.{Q(c)}"));
        var present = string.Join(" AND ", remap.Key.Columns.Select(c => $"s.{Q(c)} IS NOT NULL"));
        if (remap.Key.Reference?.None is { Count: > 0 } none)
        {
            present += $" AND s.{Q(remap.Key.Columns[0])} NOT IN ({Export.ScopeSql.NoneList(none)})";
        }
        return $"SELECT COUNT(*) FROM {Stage(t)} s LEFT JOIN {Map(remap.Parent)} m ON {on} WHERE {present} AND m.o{remap.Slots[0]} IS NULL";
    }

    /// <summary>
    /// The target columns written, in archive order: every archive column, or for placeholder rows
    /// only the primary key, the natural key, the columns that get fresh values (what the target's default
    /// would give them, but known to the references) and the profile's placeholder columns.
    /// </summary>
    public static IReadOnlyList<string> InsertColumns(TableMerge t)
    {
        if (!t.Placeholders)
        {
            return t.Columns.Select(c => c.Name).ToList();
        }
        var rule = t.Match!;
        var kept = t.Archive.PrimaryKey.Concat(rule.Columns).Concat(t.Fresh).ToHashSet(StringComparer.Ordinal);
        return t.Columns.Select(c => c.Name).Where(c => kept.Contains(c) && !rule.Placeholder.ContainsKey(c))
            .Concat(rule.Placeholder.Keys.Where(c => !t.Archive.PrimaryKey.Contains(c)))
            .ToList();
    }

    /// <summary>
    /// The rows to insert with every value in its final form (new keys, remapped references,
    /// target types), named like the target columns. <paramref name="deferNulls"/> writes the
    /// cycle-break columns as NULL. Matched rows are left out.
    /// </summary>
    public string Remapped(TableMerge t, bool deferNulls)
    {
        var values = InsertColumns(t).Select(c =>
            deferNulls && t.Deferred.Contains(c) ? $"NULL AS {Q(c)}" : $"{Value(t, c)} AS {Q(c)}");
        return $"SELECT {string.Join(", ", values)} {From(t)}";
    }

    /// <summary>
    /// Writes the rows. <paramref name="provisional"/> (a dry run) gives the columns left to a generator
    /// provisional values instead (<see cref="OmittedGenerated"/>), so that the rollback leaves the generator where it was.
    /// </summary>
    public string Insert(TableMerge t, bool provisional = false)
    {
        var omitted = provisional ? OmittedGenerated(t) : [];
        var columns = InsertColumns(t).Concat(omitted).ToList();
        var over = _d.InsertOverride(t.Target, columns);
        var select = Remapped(t, deferNulls: true);
        if (omitted.Count > 0)
        {
            select = $"SELECT r.*, {string.Join(", ", omitted.Select(c => $"{Provisional(t, c)} AS {Q(c)}"))} FROM ({select}) r";
        }
        return $"INSERT INTO {_d.Table(t.Target.Name)} ({string.Join(", ", columns.Select(Q))}){(over.Length > 0 ? " " + over : "")} " + select;
    }

    /// <summary>
    /// The columns <see cref="UpdateDeferred"/> sets: the cycle-break columns written NULL (<see cref="TableMerge.Deferred"/>),
    /// and those written with provisional ids (<see cref="TableMerge.Refreshed"/>) unless the table they point into drew
    /// exactly those ids.
    /// </summary>
    public static IReadOnlyList<string> DeferredColumns(TableMerge t) =>
        InsertColumns(t).Where(c => t.Deferred.Contains(c) || (t.Refreshed.Contains(c) && !(t.Remapped.TryGetValue(c, out var r) && r.Parent.DrawnAsProvisional))).ToList();

    /// <summary>
    /// Sets the cycle-break columns of the rows just inserted (<see cref="DeferredColumns"/>), now that every row exists.
    /// </summary>
    public string UpdateDeferred(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var deferred = DeferredColumns(t);
        var select = keys.Select((k, j) => $"{Value(t, k)} AS k{j}")
            .Concat(deferred.Select((c, j) => $"{Value(t, c)} AS d{j}"));
        var set = deferred.Select((c, j) => (c, $"r.d{j}")).ToList();
        var on = keys.Select((k, j) => $"u.{Q(k)} = r.k{j}");
        var any = string.Join(" OR ", deferred.Select((_, j) => $"r.d{j} IS NOT NULL"));
        return _d.UpdateFromSelect(_d.Rows(t.Target), "u", set, $"SELECT {string.Join(", ", select)} {From(t)}", "r", $"{string.Join(" AND ", on)} AND ({any})");
    }

    /// <summary>Incoming rows whose unique key already exists in the target: the key's values as text.</summary>
    public string ExistingConflicts(TableMerge t, UniqueKey key, int limit) =>
        $"SELECT {Texts(key)} FROM ({Remapped(t, false)}) r WHERE {ExistsInTarget(t, key)} LIMIT {limit}";

    public string CountExistingConflicts(TableMerge t, UniqueKey key) =>
        $"SELECT COUNT(*) FROM ({Remapped(t, false)}) r WHERE {ExistsInTarget(t, key)}";

    /// <summary>Unique-key values that several incoming rows share, with how many share each.</summary>
    public string DuplicateConflicts(TableMerge t, UniqueKey key, int limit) =>
        $"SELECT {Texts(key)}, COUNT(*) FROM ({Remapped(t, false)}) r WHERE {NotNull(key)} " +
        $"GROUP BY {string.Join(", ", key.Columns.Select(c => $"r.{Q(c)}"))} HAVING COUNT(*) > 1 LIMIT {limit}";

    public string CountDuplicateConflicts(TableMerge t, UniqueKey key) =>
        $"SELECT COUNT(*) FROM (SELECT 1 AS one FROM ({Remapped(t, false)}) r WHERE {NotNull(key)} " +
        $"GROUP BY {string.Join(", ", key.Columns.Select(c => $"r.{Q(c)}"))} HAVING COUNT(*) > 1) g";

    private string ExistsInTarget(TableMerge t, UniqueKey key) => ExistsInTarget(t, key, c => $"r.{Q(c)}");

    private string ExistsInTarget(TableMerge t, UniqueKey key, Func<string, string> incoming) =>
        $"EXISTS (SELECT 1 FROM {_d.Rows(t.Target)} e WHERE {string.Join(" AND ", key.Columns.Select(c => $"e.{Q(c)} = {incoming(c)}"))})";

    private string Texts(UniqueKey key) => string.Join(", ", key.Columns.Select(c => _d.AsText($"r.{Q(c)}")));

    private string NotNull(UniqueKey key) => string.Join(" AND ", key.Columns.Select(c => $"r.{Q(c)} IS NOT NULL"));

    // FROM clause shared by every remapped read: the stage, its own map (matched rows left out),
    // and one map per remapped foreign key. Under --update, rows that exist in the target are left out too.
    private string From(TableMerge t)
    {
        var from = Joins(t);
        var where = (t.HasMap ? ["m0.matched = 0"] : new List<string>())
            .Concat(t.Skips.Select(k => $"NOT {ExistsInTarget(t, k, c => Value(t, c))}"))
            .Concat(t.Updating && !t.HasMap ? [IsNew(t)] : [])
            .ToList();
        return where.Count > 0 ? $"{from} WHERE {string.Join(" AND ", where)}" : from;
    }

    // Under --update, a staged row of a table without a key map whose key the target did not hold before this import
    // wrote: once the new rows are listed (FillNew), a row they list (the rows inserted since exist in the target too).
    private string IsNew(TableMerge t) =>
        t.NewListed
            ? $"EXISTS (SELECT 1 FROM {_d.TempTable(NewName(t))} d WHERE {string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"d.k{j} = {Value(t, k)}"))})"
            : $"NOT {KeyInTarget(t)}";

    // The target holds a row with the (remapped) key of staged row s.
    private string KeyInTarget(TableMerge t) =>
        ExistsInTarget(t, new UniqueKey("primary key", t.Archive.PrimaryKey, true), c => Value(t, c));

    // The stage s, its own map m0 and the maps of its references, joined; with a driver, read from that table (and
    // alias) outwards, the stage joined to it on the condition given.
    private string Joins(TableMerge t, (string Table, string On)? driver = null, string? first = null)
    {
        var from = driver is { } d ? $"FROM {d.Table} {_d.DrivingJoin} {Stage(t)} s ON {d.On}" : $"FROM {Stage(t)} s";
        if (first is not null)
        {
            from += $" {first}";
        }
        if (t.HasMap)
        {
            from += $" JOIN {Map(t)} m0 ON {string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"m0.o{j} = s.{Q(k)}"))}";
        }
        foreach (var remap in t.Remapped.Values.Where(v => v.Fresh is null).DistinctBy(v => v.Key))
        {
            var on = string.Join(" AND ", remap.Key.Columns.Select((c, j) => $"{Alias(t, remap.Key)}.o{remap.Slots[j]} = s.{Q(c)}"));
            from += $" LEFT JOIN {Map(remap.Parent)} {Alias(t, remap.Key)} ON {on}";
        }
        foreach (var (column, remap) in t.Remapped.Where(r => r.Value.Fresh is not null))
        {
            from += $" LEFT JOIN {ValueMap(remap.Parent, remap.Fresh!)} {ValueAlias(t, remap)} ON {ValueAlias(t, remap)}.o = s.{Q(column)}";
        }
        foreach (var column in t.Fresh)
        {
            from += $" LEFT JOIN {ValueMap(t, column)} {FreshAlias(t, column)} ON {FreshAlias(t, column)}.o = s.{Q(column)}";
        }
        return from;
    }

    /// <summary>
    /// A query that converts <paramref name="column"/> of every row the insert will write as the insert converts it
    /// (<see cref="Engines.ISqlDialect.ConversionCanRefuse"/>), so that a value the target refuses fails this query.
    /// </summary>
    public string ConvertAll(TableMerge t, string column) => $"SELECT COUNT({Value(t, column)}) {From(t)}";

    private string Value(TableMerge t, string column)
    {
        if (t.Placeholders && t.Match!.Placeholder.TryGetValue(column, out var constant))
        {
            return Constant(constant, t.Target.GetColumn(column));
        }
        var keyPosition = t.HasMap ? IndexOf(t.Archive.PrimaryKey, column) : -1;
        if (keyPosition >= 0)
        {
            return $"m0.n{keyPosition}";
        }
        if (t.Remapped.TryGetValue(column, out var remap))
        {
            return remap.Fresh is null ? KeptNone(t, remap, column, $"{Alias(t, remap.Key)}.n{remap.Slot}") : $"{ValueAlias(t, remap)}.n";
        }
        if (t.Fresh.Contains(column))
        {
            return $"{FreshAlias(t, column)}.n";
        }
        return _d.ConvertToTarget($"s.{Q(column)}", t.ArchiveColumn(column).Type, t.Target.GetColumn(column));
    }

    // A relation's value meaning "none" (company = 0) is kept as it is; any other value takes its new key.
    private string KeptNone(TableMerge t, Remap remap, string column, string remapped) =>
        remap.Key.Reference?.None is { Count: > 0 } none
            ? $"CASE WHEN s.{Q(column)} IN ({Export.ScopeSql.NoneList(none)}) THEN {_d.ConvertToTarget($"s.{Q(column)}", t.ArchiveColumn(column).Type, t.Target.GetColumn(column))} ELSE {remapped} END"
            : remapped;

    private static string Alias(TableMerge t, Archive.ManifestForeignKey key)
    {
        var index = t.Archive.ForeignKeys.ToList().IndexOf(key);
        return $"m{index + 1}";
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        return -1;
    }

    private string Stage(TableMerge t) => _d.TempTable(t.Stage);

    private string Map(TableMerge t) => _d.TempTable(t.Map);

    private string Q(string identifier) => _d.Quote(identifier);
}
