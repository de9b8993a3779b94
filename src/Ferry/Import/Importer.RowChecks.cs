using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// A foreign key whose row-by-row insert check is switched off around its table's insert, and its switch; with
    /// <paramref name="Written"/> false, the insert writes its columns NULL (a cycle's, set afterwards by an UPDATE,
    /// which the target checks): nothing to check. With <paramref name="Proven"/>, the values written come from the
    /// import's key maps, which prove that each points at a row (<see cref="MergeSql.ProvenByMap"/>): nothing to check either.
    /// </summary>
    private sealed record SwitchedKey(ForeignKey Key, string Off, string On, bool Written, bool Proven);

    /// <summary>
    /// The foreign keys whose row-by-row check the target lets this session switch off around the insert of their
    /// table (<see cref="ISqlDialect.InsertCheckTriggers"/>), by the position of their table in <paramref name="merges"/>;
    /// the import then checks the rows it wrote with one query per key (<see cref="CheckSwitchedKeysAsync"/>) instead
    /// of one lookup per row. Only where that check is whole: a table whose written rows a query finds again after the
    /// insert (its key map, or the insert's own query: <see cref="MergeSql.WrittenRowsFoundAgain"/>; for the latter, a
    /// key whose columns the insert writes), and a key whose referenced table is one the import locks against other
    /// sessions' writes (<see cref="ISqlDialect.LockForImport"/>), so that no row it points at can go before the
    /// commit. A key proven by the import's key maps needs no query (<see cref="MergeSql.ProvenByMap"/>), where no trigger
    /// or rule of the application can write or remove rows beside the import's. The keys the import writes unchecked
    /// keep their own handling; a key the import defers is switched too, and checked with the others it defers
    /// (<see cref="CheckBrokenKeysAsync"/>); a key the insert writes NULL (a
    /// cycle's columns, set afterwards by an UPDATE that the target checks) is switched and needs no check. A table
    /// with a deferrable key that cannot be switched keeps every check (see <see cref="ISqlDialect.InsertCheckTriggers"/>).
    /// </summary>
    private async Task<Dictionary<int, List<SwitchedKey>>> SwitchableKeysAsync(IReadOnlyList<TableMerge> merges, IReadOnlyList<string> written, MergeSql sql, Runner run)
    {
        var switchable = new Dictionary<int, List<SwitchedKey>>();
        var candidates = merges.Where(m => MergeSql.WrittenRowsFoundAgain(m) && sql.DrawnKey(m) is null).Select(m => m.Target.Name).ToList();
        if (engine.Dialect.InsertCheckTriggers(candidates) is not { } query)
        {
            return switchable;
        }
        var locked = written.ToHashSet(StringComparer.Ordinal);
        // The maps prove a key only when every row in them was read under the import's locks (an engine that reads the
        // target before it stages, ReadsBeforeStagingAsAfter, maps unchanged rows before it locks anything).
        var mapsReadLocked = !engine.Dialect.ReadsBeforeStagingAsAfter;
        var position = merges.Select((m, i) => (m.Target.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (var table in (await run.Query(query)).GroupBy(r => r[0]!, StringComparer.Ordinal))
        {
            var i = position[table.Key];
            var merge = merges[i];
            var (nulledColumns, writtenColumns) = (MergeSql.DeferredColumns(merge), MergeSql.InsertColumns(merge));
            var keys = new List<SwitchedKey>();
            var whole = true;
            foreach (var row in table)
            {
                var (constraint, trigger, deferrable, eligible, untouched) = (row[1]!, row[2]!, row[3] == "1", row[4] == "1", row[5] == "1");
                var proof = untouched && mapsReadLocked;
                var key = merge.Target.ForeignKeys.FirstOrDefault(k => !k.IsVirtual && string.Equals(k.Name, constraint, StringComparison.Ordinal));
                var nulled = key?.Columns.Count(nulledColumns.Contains) ?? 0;
                if (eligible && key is not null && locked.Contains(key.RefTable) && !merge.UncheckedKeys.Any(k => k.Name == key.Name)
                    && (nulled == key.Columns.Count || (nulled == 0 && (merge.HasMap || key.Columns.All(writtenColumns.Contains)))))
                {
                    var (off, on) = engine.Dialect.SwitchTrigger(table.Key, trigger);
                    keys.Add(new SwitchedKey(key, off, on, Written: nulled == 0, Proven: proof && sql.ProvenByMap(merge, key)));
                }
                else if (deferrable)
                {
                    // Left on, it would leave an event pending that stops the others from being switched back on.
                    whole = false;
                }
            }
            if (whole && keys.Count > 0)
            {
                switchable[i] = keys;
            }
        }
        return switchable;
    }

    /// <summary>
    /// Checks, with one query each, the keys whose row-by-row check was switched off around their table's insert
    /// (<see cref="SwitchableKeysAsync"/>): a row the import wrote that points at no row fails the import with the key's
    /// name before the commit, as the database's own check would have failed its insert.
    /// </summary>
    private async Task CheckSwitchedKeysAsync(IReadOnlyList<TableMerge> merges, Dictionary<int, List<SwitchedKey>> switched, MergeSql sql, Runner run)
    {
        // The keys the import defers are checked with the others it defers; keys its maps prove need no query.
        var queried = switched.OrderBy(s => s.Key)
            .Select(s => (Merge: merges[s.Key], Keys: s.Value.Where(k => k.Written && !k.Proven && !merges[s.Key].DeferredKeys.Any(d => d.Name == k.Key.Name)).ToList()))
            .Where(s => s.Keys.Count > 0)
            .ToList();
        if (queried.Count == 0)
        {
            return;
        }
        using var task = progress.Start("check foreign keys", null);
        foreach (var (merge, keys) in queried)
        {
            foreach (var key in keys)
            {
                await CheckKeyAsync(merge, key.Key, merge.HasMap ? sql.DanglingKey(merge, key.Key) : sql.DanglingWritten(merge, key.Key), run);
            }
            task.Increment(merge.Staged);
        }
    }

    // One key of the rows the import wrote into merge's table (dangling: the query of the first that points at no row).
    private static async Task CheckKeyAsync(TableMerge merge, ForeignKey key, string dangling, Runner run)
    {
        if ((await run.Query(dangling)).FirstOrDefault() is { } row)
        {
            throw new FerryException(
                $"the foreign key {key.Name} ({key}) would be broken: a row of {key.Table} written by the import has " +
                $"{string.Join(", ", key.Columns.Select((c, j) => $"{c} = {row[j] ?? "NULL"}"))}, which no row of {key.RefTable} holds; nothing was written");
        }
    }
}
