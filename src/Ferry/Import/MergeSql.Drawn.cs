using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

// Ids drawn by the insert itself (IdGeneration.OnInsert, MariaDB's AUTO_INCREMENT): the rows are inserted with the key
// left to the generator, in the order of their provisional ids, which InnoDB answers with one block of consecutive ids
// from its counter (shared with every other session, so nothing collides); the key map then takes the drawn ids by rank.
internal sealed partial class MergeSql
{
    /// <summary>
    /// The position in the primary key of the column whose ids the insert draws: the table's one allocated key
    /// column, when the engine draws on insert and the column is the target's AUTO_INCREMENT; null otherwise.
    /// </summary>
    public int? DrawnKey(TableMerge t) =>
        _d.Ids == IdGeneration.OnInsert && t.Allocated.Count == 1 && t.Target.GetColumn(t.Archive.PrimaryKey[t.Allocated[0]]).IsAutoIncrement
            ? t.Allocated[0]
            : null;

    /// <summary>
    /// True when <paramref name="column"/>'s final value in the rows of <paramref name="t"/> is known only once rows are
    /// inserted: the table's own key column whose ids its insert draws, or a reference to such a column of a table.
    /// </summary>
    public bool DrawsOnInsert(TableMerge t, string column) =>
        (DrawnKey(t) is { } j && t.Archive.PrimaryKey[j] == column)
        || (t.Remapped.TryGetValue(column, out var remap) && remap.Fresh is null && DrawnKey(remap.Parent) is { } k && remap.Slot == k);

    /// <summary>The scratch table of the rows an insert draws ids for: their old key (<c>o</c>N) and rank (<c>r</c>).</summary>
    public string CreateDrawn(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var columns = keys.Select((k, j) => ($"o{j}", _d.StagingType(t.ArchiveColumn(k).Type)))
            .Append(("r", _d.StagingType(FerryType.Int)))
            .ToList();
        return _d.CreateTempTable(DrawnName(t), columns, keys.Select((_, j) => $"o{j}").ToList());
    }

    /// <summary>
    /// Ranks the rows <see cref="InsertDrawing"/> will write, in the order it writes them (their provisional ids of key
    /// column <paramref name="j"/>); run before it, while the target does not hold them yet.
    /// </summary>
    public string FillDrawn(TableMerge t, int j)
    {
        var keys = t.Archive.PrimaryKey;
        return $"INSERT INTO {_d.TempTable(DrawnName(t))} ({string.Join(", ", keys.Select((_, i) => $"o{i}"))}, r) " +
               $"SELECT {string.Join(", ", keys.Select((_, i) => $"m0.o{i}"))}, ROW_NUMBER() OVER (ORDER BY m0.n{j}) {From(t)}";
    }

    /// <summary>
    /// Writes the rows as <see cref="Insert"/> does, but key column <paramref name="j"/> NULL, which the generator
    /// fills, in the order of the provisional ids: the ids drawn are consecutive, the first one the session's last insert id.
    /// </summary>
    public string InsertDrawing(TableMerge t, int j)
    {
        var key = t.Archive.PrimaryKey[j];
        var columns = InsertColumns(t);
        var values = columns.Select(c =>
            c == key || t.Deferred.Contains(c) ? $"NULL AS {Q(c)}" : $"{Value(t, c)} AS {Q(c)}");
        return $"INSERT INTO {_d.Table(t.Target.Name)} ({string.Join(", ", columns.Select(Q))}) " +
               $"SELECT {string.Join(", ", values)} {From(t)} ORDER BY m0.n{j}";
    }

    /// <summary>The first provisional id of key column <paramref name="j"/> among the rows <see cref="InsertDrawing"/> writes: the first drawn one, unless the counter moved.</summary>
    public string FirstProvisional(TableMerge t, int j) => $"SELECT MIN(n{j}) FROM {Map(t)} WHERE matched = 0";

    /// <summary>
    /// The lowest and highest provisional ids of key column <paramref name="j"/> among the map's rows to insert, and how
    /// many rows it holds: when the insert writes them all and draws from the lowest on, every row draws its provisional id.
    /// </summary>
    public string ProvisionalRange(TableMerge t, int j) => $"SELECT MIN(n{j}), MAX(n{j}), COUNT(*) FROM {Map(t)} WHERE matched = 0";

    /// <summary>Rows of the target whose key column <paramref name="j"/> lies between <c>@first</c> and <c>@last</c>.</summary>
    public string CountDrawnRange(TableMerge t, int j) =>
        $"SELECT COUNT(*) FROM {_d.Rows(t.Target)} WHERE {Q(t.Archive.PrimaryKey[j])} BETWEEN @first AND @last";

    /// <summary>Gives the rows drawn their ids in the key map: the first drawn id (<c>@first</c>) plus their rank, less one.</summary>
    public string TakeDrawn(TableMerge t, int j)
    {
        var on = string.Join(" AND ", t.Archive.PrimaryKey.Select((_, i) => $"m.o{i} = d.o{i}"));
        return _d.UpdateFromSelect(Map(t), "m", [($"n{j}", "@first + d.r - 1")], $"SELECT * FROM {_d.TempTable(DrawnName(t))}", "d", on);
    }

    /// <summary>
    /// The key maps of other tables whose key holds a reference to <paramref name="parent"/>'s drawn key column
    /// <paramref name="j"/> (Kopano's <c>stores (hierarchy_id, id)</c>): their map took the parent's provisional id when it
    /// was built, before any row was written; once the parent's map holds the drawn ids (<see cref="TakeDrawn"/>, or ids
    /// redrawn from a sequence that moved, <see cref="RedrawFromGenerator"/>), each statement gives their unmatched rows the
    /// drawn id too. Their rows are written after the parent's (<see cref="MergePlan"/> orders them so), from their map.
    /// </summary>
    public IEnumerable<string> FollowDrawn(IReadOnlyList<TableMerge> merges, TableMerge parent, int j)
    {
        foreach (var t in merges.Where(m => !ReferenceEquals(m, parent) && m.HasMap))
        {
            var keys = t.Archive.PrimaryKey;
            for (var i = 0; i < keys.Count; i++)
            {
                if (!t.Remapped.TryGetValue(keys[i], out var remap) || remap.Fresh is not null || !ReferenceEquals(remap.Parent, parent) || remap.Slot != j)
                {
                    continue;
                }
                var on = string.Join(" AND ", remap.Key.Columns.Select((c, x) => $"p.o{remap.Slots[x]} = s.{Q(c)}"));
                var none = remap.Key.Reference?.None is { Count: > 0 } values ? $" WHERE s.{Q(keys[i])} NOT IN ({Export.ScopeSql.NoneList(values)})" : "";
                var select = $"SELECT {string.Join(", ", keys.Select((k, x) => $"s.{Q(k)} AS k{x}"))}, p.n{j} AS v FROM {Stage(t)} s JOIN {Map(parent)} p ON {on}{none}";
                var same = string.Join(" AND ", keys.Select((_, x) => $"m.o{x} = r.k{x}"));
                yield return _d.UpdateFromSelect(Map(t), "m", [($"n{i}", "r.v")], select, "r", $"{same} AND m.matched = 0");
            }
        }
    }

    private static string DrawnName(TableMerge t) => $"ferry_drawn_{t.Index}";
}
