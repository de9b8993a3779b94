using System.Globalization;
using Ferry.Schema;

namespace Ferry.Import;

// --sync (docs/reimport.md): the rows an earlier import of the tenant brought and that vanished at the source are
// found and checked before anything is written, and deleted children first once every insert and update is done.
public sealed partial class Importer
{
    /// <summary>Per table under <c>--sync</c>: vanished rows to delete, and those changed in the target since (before settling).</summary>
    private sealed record Vanished(long Delete, long Changed);

    /// <summary>
    /// Finds, in every table an <c>--update</c> compared, the rows the ledger records for the tenant that the archive no
    /// longer holds; lists those changed in the target since the last import (the first <see cref="ConflictExamples"/> of
    /// each table) unless <paramref name="prefer"/> settles them.
    /// </summary>
    private async Task<(Dictionary<string, Vanished> Tables, List<Conflict> Examples, long Count)> FindVanishedAsync(
        IReadOnlyList<TableMerge> merges, MergeSql sql, long tenantNo, Prefer prefer, Runner run)
    {
        var tables = new Dictionary<string, Vanished>(StringComparer.Ordinal);
        var examples = new List<Conflict>();
        long count = 0;
        foreach (var merge in merges.Where(m => m.Compared))
        {
            await run.Execute(sql.CreateGone(merge));
            foreach (var fill in sql.FillGone(merge))
            {
                await ExecuteLedgerAsync(fill, merge, tenantNo, 0, run);
            }
            await KeepKeyRowsAsync(merge, sql, run);
            if (engine.Dialect.AnalyzeTemp(MergeSql.GoneName(merge)) is { } analyze)
            {
                await run.Execute(analyze);
            }
            var states = (await run.Query(sql.CountGone(merge)))
                .ToDictionary(r => (MergeSql.GoneState)int.Parse(r[0]!, CultureInfo.InvariantCulture), r => long.Parse(r[1]!, CultureInfo.InvariantCulture));
            var changed = states.GetValueOrDefault(MergeSql.GoneState.Changed);
            var delete = states.GetValueOrDefault(MergeSql.GoneState.Delete);
            if (changed > 0 && prefer != Prefer.None)
            {
                await run.Execute(sql.SettleGone(merge, prefer == Prefer.Source ? MergeSql.GoneState.Delete : MergeSql.GoneState.Keep));
                delete += prefer == Prefer.Source ? changed : 0;
            }
            else if (changed > 0)
            {
                count += changed;
                examples.AddRange((await run.Query(sql.ChangedGoneRows(merge, ConflictExamples)))
                    .Select(row => new Conflict(merge.Archive.Name, "vanished at the source", merge.Archive.PrimaryKey, row, "vanished", 1)));
            }
            tables[merge.Archive.Name] = new Vanished(delete, changed);
        }
        return (tables, examples, count);
    }

    /// <summary>
    /// Every foreign key of the target (declared, or a plain relation of the profile) into a row <c>--sync</c> would
    /// delete, from a row that stays: the target's own rows (an app's user whose current group it is, a membership the
    /// target added) are never deleted or altered on the app's behalf, whatever the key's ON DELETE says, so each such
    /// row is a conflict. Rows deleted too, and rows this import rewrites with the archive's references, do not count.
    /// </summary>
    private static async Task<(List<Conflict> Examples, long Count)> FindReferencesToVanishedAsync(
        DatabaseSchema schema, IReadOnlyList<TableMerge> merges, IReadOnlyDictionary<string, Vanished> vanished, MergeSql sql, Runner run)
    {
        var gone = merges.Where(m => vanished.GetValueOrDefault(m.Archive.Name)?.Delete > 0).ToDictionary(m => m.Target.Name, StringComparer.Ordinal);
        var compared = merges.Where(m => m.Compared).ToDictionary(m => m.Target.Name, StringComparer.Ordinal);
        var examples = new List<Conflict>();
        long count = 0;
        if (gone.Count == 0)
        {
            return (examples, count);
        }
        foreach (var table in schema.Tables)
        {
            foreach (var key in table.ForeignKeys.Where(k => k.IsPlain && k.RefColumns.Count == k.Columns.Count && gone.ContainsKey(k.RefTable)))
            {
                var parent = gone[key.RefTable];
                var self = compared.GetValueOrDefault(table.Name);
                var rewritten = self is not null && MergeSql.UpdateColumns(self).Intersect(key.Columns, StringComparer.Ordinal).Count() == key.Columns.Count ? self : null;
                var rows = await run.Query(sql.ReferencesToGone(parent, table, key, self, rewritten, ConflictExamples));
                if (rows.Count == 0)
                {
                    continue;
                }
                examples.AddRange(rows.Select(row => new Conflict(parent.Archive.Name, key.ToString(), parent.Archive.PrimaryKey, row[..^1], "referenced",
                    long.Parse(row[^1]!, CultureInfo.InvariantCulture))));
                count += rows.Count < ConflictExamples ? rows.Count : await run.Count(sql.ReferencesToGone(parent, table, key, self, rewritten, null));
            }
        }
        return (examples, count);
    }

    /// <summary>
    /// Deletes the vanished rows, children first (the reverse of the write order; cycle-break columns set to NULL
    /// before), and removes their ledger rows with those of the rows kept by <c>--prefer target</c> or already deleted
    /// by the target. Returns the rows deleted per table and the ledger rows removed.
    /// </summary>
    private async Task<(Dictionary<string, long> Deleted, long Forgotten)> DeleteVanishedAsync(
        IReadOnlyList<TableMerge> merges, IReadOnlyDictionary<string, Vanished> vanished, MergeSql sql, long tenantNo, Runner run,
        DatabaseSchema schema, (string Off, string On)? uncheckedWrites)
    {
        var deleted = new Dictionary<string, long>(StringComparer.Ordinal);
        var synced = merges.Where(m => m.Compared).OrderByDescending(m => m.WritePosition).ToList();
        var doomed = synced.Where(m => vanished.GetValueOrDefault(m.Archive.Name)?.Delete > 0).ToList();
        foreach (var merge in doomed)
        {
            if (sql.DetachGone(merge) is { } detach)
            {
                await run.Execute(detach);
            }
        }
        // A NOT NULL key of a cycle that the target checks row by row (TableMerge.UncheckedKeys) still points at the rows
        // of the table it names when they are deleted, children first: their deletes run with the checks off (MariaDB),
        // and every key into those tables is checked afterwards.
        var uncheckedInto = merges.SelectMany(m => m.UncheckedKeys).Select(k => k.RefTable).ToHashSet(StringComparer.Ordinal);
        var deletedUnchecked = new List<TableMerge>();
        foreach (var merge in doomed)
        {
            using var task = progress.Start($"delete {merge.Archive.Name}", null);
            var checks = uncheckedWrites is { } w && uncheckedInto.Contains(merge.Target.Name) ? w : ((string Off, string On)?)null;
            if (checks is { } off)
            {
                await run.Execute(off.Off);
                deletedUnchecked.Add(merge);
            }
            deleted[merge.Archive.Name] = await run.Execute(sql.DeleteGone(merge));
            if (checks is { } on)
            {
                await run.Execute(on.On);
            }
            task.Increment(deleted[merge.Archive.Name]);
        }
        await CheckDeletedKeysAsync(schema, deletedUnchecked, sql, run);
        long forgotten = 0;
        foreach (var merge in synced)
        {
            forgotten += await ExecuteLedgerAsync(sql.ForgetGone(merge), merge, tenantNo, 0, run);
        }
        return (deleted, forgotten);
    }

    /// <summary>
    /// After rows were deleted while the target's checks were off: every foreign key of the target into those tables,
    /// with one query each, so that a row still pointing at a deleted one fails the import with the key's name rather
    /// than stay broken (the check before the deletes, <see cref="FindReferencesToVanishedAsync"/>, should leave none).
    /// </summary>
    private static async Task CheckDeletedKeysAsync(DatabaseSchema schema, IReadOnlyList<TableMerge> deletedUnchecked, MergeSql sql, Runner run)
    {
        foreach (var merge in deletedUnchecked)
        {
            foreach (var table in schema.Tables)
            {
                foreach (var key in table.ForeignKeys.Where(k => k.IsPlain && k.RefColumns.Count == k.Columns.Count && k.RefTable == merge.Target.Name))
                {
                    if ((await run.Query(sql.PointsAtDeleted(merge, table, key))).FirstOrDefault() is { } row)
                    {
                        throw new FerryException(
                            $"the foreign key {key.Name} ({key}) would be broken: a row of {key.Table} that stays has " +
                            $"{string.Join(", ", key.Columns.Select((c, j) => $"{c} = {row[j] ?? "NULL"}"))}, a row of {key.RefTable} that --sync deletes; nothing was written");
                    }
                }
            }
        }
    }
}
