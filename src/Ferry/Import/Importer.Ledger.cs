using System.Globalization;
using Ferry.Archive;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// Refuses, before anything is written, an archive whose tenant the target's ledger says was imported already:
    /// imported again as new rows it would be a second copy beside the first.
    /// </summary>
    private async Task CheckLedgerAsync(Manifest manifest, DatabaseSchema schema, string tenant, string target, Runner run)
    {
        if (schema.Find(Ledger.Imports) is null)
        {
            return;
        }
        var earlier = await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, Ledger.ListImports(engine.Dialect), run.CancellationToken, [("prefix", tenant)]);
        if (earlier.Count > 0)
        {
            var last = earlier[^1];
            throw new FerryException(
                $"the target already holds tenant {manifest.Root.Table} {string.Join(",", manifest.Root.Ids)} from {Ledger.SourceOf(manifest)}, " +
                $"imported {last[5]} (ledger tenant {tenant[..Ledger.ShortId]}): importing it again would add a second copy; " +
                $"--update, which updates it in place, is not built yet; to import a second copy all the same, first run " +
                $"`ferry forget {tenant[..Ledger.ShortId]} --to {target}` (the rows stay, the target only forgets where they came from)");
        }
    }

    /// <summary>
    /// Writes the ledger, inside the import's transaction once every row is written: creates its tables on first
    /// use, records the import, and per table the source key, target key and digest of each row inserted.
    /// Returns the import's number in the ledger and the rows recorded.
    /// </summary>
    private async Task<(long Import, long Rows)> RecordLedgerAsync(Manifest manifest, IReadOnlyList<TableMerge> merges, MergeSql sql, string tenant, Runner run)
    {
        var d = engine.Dialect;
        foreach (var statement in Ledger.Create(d).Concat(d.LockForImport([Ledger.Imports, Ledger.Rows])))
        {
            await run.Execute(statement);
        }
        var number = await run.Count(Ledger.NextImport(d));
        await SqlRunner.ExecuteAsync(run.Connection, run.Transaction, Ledger.RecordImport(d), run.CancellationToken,
        [
            ("no", number),
            ("tenant", tenant),
            ("source", Ledger.SourceOf(manifest)),
            ("root_table", manifest.Root.Table),
            ("root_keys", Ledger.RootKeys(manifest)),
            ("exported_at", manifest.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("imported_at", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("tool", $"ferry {typeof(Importer).Assembly.GetName().Version?.ToString(3)}"),
        ]);
        long rows = 0;
        foreach (var merge in merges.Where(MergeSql.InLedger))
        {
            rows += await SqlRunner.ExecuteAsync(run.Connection, run.Transaction, sql.RecordRows(merge), run.CancellationToken,
                [("tenant", tenant), ("table", merge.Target.Name), ("no", number)]);
        }
        return (number, rows);
    }
}
