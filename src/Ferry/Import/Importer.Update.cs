using Ferry.Sql;

namespace Ferry.Import;

// --update (docs/reimport.md): existing rows are compared in the target, set-based, against the ledger's digests;
// only the rows changed at the source are written, and rows changed on both sides are conflicts unless --prefer.
public sealed partial class Importer
{
    /// <summary>Per table under <c>--update</c>: existing rows by <see cref="MergeSql.RowState"/> before settling.</summary>
    private sealed record Comparison(long Unchanged, long Update, long Conflict);

    /// <summary>Creates the ledger's tables when the target has none yet, and locks them for the import.</summary>
    private async Task OpenLedgerAsync(Runner run)
    {
        // Where DDL would commit the import, the tables were created before it started (LedgerFirst).
        var create = engine.Dialect.TransactionalDdl ? Ledger.Create(engine.Dialect) : [];
        foreach (var statement in create.Concat(engine.Dialect.LockForImport([Ledger.Imports, Ledger.Rows])))
        {
            await run.Execute(statement);
        }
    }

    private static Task<int> ExecuteLedgerAsync(string sql, TableMerge merge, long tenantNo, long number, Runner run) =>
        SqlRunner.ExecuteAsync(run.Connection, run.Transaction, sql, run.CancellationToken,
            [("tenant_no", tenantNo), ("table", merge.Target.Name), ("no", number)]);

    /// <summary>
    /// Compares the existing rows of every table the import updates and lists the rows changed on both sides (the
    /// first <see cref="ConflictExamples"/> of each table); with <paramref name="prefer"/> they are settled in its favour.
    /// </summary>
    private async Task<(Dictionary<string, Comparison> Tables, List<Conflict> Examples, long Count)> CompareAsync(
        IReadOnlyList<TableMerge> merges, MergeSql sql, long tenantNo, Prefer prefer, bool sync, Runner run)
    {
        var tables = new Dictionary<string, Comparison>(StringComparer.Ordinal);
        var examples = new List<Conflict>();
        long count = 0;
        foreach (var merge in merges.Where(MergeSql.UpdatesRows))
        {
            // Without --sync, only the rows whose source changed are listed (MergeSql.FillDiff); a table without a key
            // map first lists its new rows, which tell the existing ones apart once the insert wrote them.
            var changedOnly = !sync;
            long existing = 0;
            if (!merge.HasMap)
            {
                await run.Execute(sql.CreateNew(merge));
                await run.Execute(sql.FillNew(merge));
                merge.NewListed = true;
                existing = merge.Staged - await run.Count(sql.CountNew(merge));
            }
            await run.Execute(sql.CreateDiff(merge));
            await ExecuteLedgerAsync(sql.FillDiff(merge, changedOnly), merge, tenantNo, 0, run);
            merge.Compared = true;
            if (engine.Dialect.AnalyzeTemp(MergeSql.DiffName(merge)) is { } analyze)
            {
                await run.Execute(analyze);
            }
            var states = (await run.Query(sql.CountStates(merge)))
                .ToDictionary(r => (MergeSql.RowState)int.Parse(r[0]!, System.Globalization.CultureInfo.InvariantCulture),
                    r => long.Parse(r[1]!, System.Globalization.CultureInfo.InvariantCulture));
            var update = states.GetValueOrDefault(MergeSql.RowState.Update);
            var conflict = states.GetValueOrDefault(MergeSql.RowState.Conflict);
            // The key map also holds an incremental archive's key rows (MapKeyRowsAsync); the report adds those to unchanged itself.
            var unchanged = !changedOnly ? states.GetValueOrDefault(MergeSql.RowState.Unchanged)
                : merge.HasMap ? await run.Count(sql.CountFromLedger(merge)) - merge.KeyRows - update - conflict
                : existing - update - conflict;
            var comparison = new Comparison(unchanged, update, conflict);
            tables[merge.Archive.Name] = comparison;
            if (comparison.Conflict == 0)
            {
                continue;
            }
            if (prefer != Prefer.None)
            {
                await run.Execute(sql.Settle(merge, prefer == Prefer.Source ? MergeSql.RowState.Update : MergeSql.RowState.KeepTarget));
                continue;
            }
            count += comparison.Conflict;
            foreach (var row in await run.Query(sql.ConflictingRows(merge, ConflictExamples)))
            {
                var recorded = row[^1] == "1";
                examples.Add(new Conflict(merge.Archive.Name, recorded ? "changed on both sides" : "not in the ledger", merge.Archive.PrimaryKey, row[..^1],
                    recorded ? "changed" : "unrecorded", 1));
            }
        }
        return (tables, examples, count);
    }

    /// <summary>Writes the rows changed at the source (and those <c>--prefer source</c> settled); returns the rows updated per table.</summary>
    private async Task<Dictionary<string, long>> UpdateRowsAsync(
        IReadOnlyList<TableMerge> merges, MergeSql sql, IReadOnlyDictionary<string, Comparison> compared, Prefer prefer, Runner run)
    {
        var updated = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var merge in merges.Where(MergeSql.UpdatesRows).OrderBy(m => m.WritePosition))
        {
            // A table whose comparison found nothing to update (conflicts settled for the source count) is not read again.
            if (compared.TryGetValue(merge.Archive.Name, out var c) && c.Update + (prefer == Prefer.Source ? c.Conflict : 0) == 0)
            {
                continue;
            }
            if (sql.Update(merge) is { } update)
            {
                using var task = progress.Start($"update {merge.Archive.Name}", null);
                updated[merge.Archive.Name] = await run.Execute(update);
                task.Increment(updated[merge.Archive.Name]);
            }
        }
        return updated;
    }
}
