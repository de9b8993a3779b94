using System.Globalization;
using Ferry.Archive;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// How many earlier imports of this tenant the target's ledger records (0 when it has no ledger yet). Imported again
    /// without <c>--update</c> the tenant's rows are written as new rows beside the earlier ones (a profile's <c>reuse</c>
    /// rules may merge some into them), and the ledger then maps each source row to its newest copy.
    /// </summary>
    private async Task<long> EarlierImportsAsync(DatabaseSchema schema, string tenant, Runner run)
    {
        if (schema.Find(Ledger.Imports) is null)
        {
            return 0;
        }
        var earlier = await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, Ledger.ListImports(engine.Dialect), run.CancellationToken, [("prefix", tenant)]);
        return earlier.Count;
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
            foreach (var statement in new[] { sql.ForgetReplacedRows(merge), sql.RecordRows(merge) })
            {
                var written = await SqlRunner.ExecuteAsync(run.Connection, run.Transaction, statement, run.CancellationToken,
                    [("tenant", tenant), ("table", merge.Target.Name), ("no", number)]);
                rows += statement.StartsWith("INSERT", StringComparison.Ordinal) ? written : 0;
            }
        }
        return (number, rows);
    }
}
