using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// A foreign key whose row-by-row insert check is switched off around its table's insert, and its switch; with
    /// <paramref name="Written"/> false, the insert writes its columns NULL (a cycle's, set afterwards by an UPDATE,
    /// which the target checks): nothing to check.
    /// </summary>
    private sealed record SwitchedKey(ForeignKey Key, string Off, string On, bool Written);

    /// <summary>
    /// The foreign keys whose row-by-row check the target lets this session switch off around the insert of their
    /// table (<see cref="ISqlDialect.InsertCheckTriggers"/>), by the position of their table in <paramref name="merges"/>;
    /// the import then checks the rows it wrote with one query per key (<see cref="CheckSwitchedKeysAsync"/>) instead
    /// of one lookup per row. Only where that check is whole: a table whose written rows a query finds again after the
    /// insert (its key map, or the insert's own query: <see cref="MergeSql.WrittenRowsFoundAgain"/>; for the latter, a
    /// key whose columns the insert writes), and a key whose referenced table is one the import locks against other
    /// sessions' writes (<see cref="ISqlDialect.LockForImport"/>), so that no row it points at can go before the
    /// commit. The keys the import writes unchecked keep their own handling; a key the import defers is switched too,
    /// and checked with the others it defers (<see cref="CheckBrokenKeysAsync"/>); a key the insert writes NULL (a
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
                var (constraint, trigger, deferrable, eligible) = (row[1]!, row[2]!, row[3] == "1", row[4] == "1");
                var key = merge.Target.ForeignKeys.FirstOrDefault(k => !k.IsVirtual && string.Equals(k.Name, constraint, StringComparison.Ordinal));
                var nulled = key?.Columns.Count(nulledColumns.Contains) ?? 0;
                if (eligible && key is not null && locked.Contains(key.RefTable) && !merge.UncheckedKeys.Any(k => k.Name == key.Name)
                    && (nulled == key.Columns.Count || (nulled == 0 && (merge.HasMap || key.Columns.All(writtenColumns.Contains)))))
                {
                    var (off, on) = engine.Dialect.SwitchTrigger(table.Key, trigger);
                    keys.Add(new SwitchedKey(key, off, on, Written: nulled == 0));
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
        if (switched.Count == 0)
        {
            return;
        }
        using var task = progress.Start("check foreign keys", null);
        foreach (var (i, keys) in switched.OrderBy(s => s.Key))
        {
            var merge = merges[i];
            // The keys the import defers are checked with the others it defers.
            foreach (var key in keys.Where(k => k.Written && !merge.DeferredKeys.Any(d => d.Name == k.Key.Name)))
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
