using System.Data.Common;
using System.Globalization;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Reporting;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

// Incremental archives (export --since, docs/reimport.md): imported only with --update into a target whose ledger holds
// their base; their key rows stand for rows imported before, never written, counted unchanged.
public sealed partial class Importer
{
    private const int KeyExamples = 3;

    /// <summary>
    /// An incremental archive carries only what changed since its base: the target's ledger must hold an import of the
    /// base (<c>--since ARCHIVE</c>: by its export id), or, for <c>--since TIMESTAMP</c>, an import of the tenant whose
    /// export was complete at or after that time. Else the import stops before anything is written.
    /// </summary>
    private async Task CheckBaseAsync(Manifest manifest, DatabaseSchema schema, string tenant, Runner run)
    {
        if (manifest.Incremental is not { } incremental)
        {
            return;
        }
        var imports = schema.Find(Ledger.Imports) is null
            ? []
            : await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, Ledger.ExportsOf(engine.Dialect), run.CancellationToken, [("tenant", tenant)]);
        var holds = incremental.Base is { } b
            ? imports.Any(r => r[0] == b)
            : imports.Any(r => r[1] is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var complete) && complete >= incremental.Since);
        if (!holds)
        {
            var what = incremental.Base is { } id
                ? $"its base, export {id}"
                : $"the tenant exported (complete) at or after {ArchiveFormat.Instant(incremental.Since)}";
            throw new FerryException(
                $"this archive is incremental (only the rows changed since {ArchiveFormat.Instant(incremental.Since)}), and the target's ledger holds no import of " +
                $"{what} (tenant {tenant[..Ledger.ShortId]}): nothing was written. Import the base archive first, or export the whole tenant (without --since)");
        }
    }

    /// <summary>Stages the key rows of <paramref name="merge"/>'s table, which follow its rows in the archive; returns how many.</summary>
    private async Task<long> StageKeysAsync(ArchiveReader archive, TableMerge merge, MergeSql sql, Runner run)
    {
        await run.Execute(sql.CreateKeys(merge));
        var read = merge.Read;
        var columns = read.PrimaryKey.Select((k, j) =>
        {
            var loaded = merge.Loaded[read.Columns.ToList().FindIndex(c => c.Name == k)];
            var name = merge.Archive.PrimaryKey[j];
            return new StagingColumn(name, loaded.Type, merge.Target.FindColumn(name));
        }).ToList();
        using var task = progress.Start($"stage keys {merge.Archive.Name}", null);
        var staged = await engine.BulkLoadAsync(run.Connection, run.Transaction, MergeSql.KeysName(merge), columns,
            archive.ReadKeysAsync(read, run.CancellationToken).Counted(task, run.CancellationToken), run.CancellationToken);
        if (engine.Dialect.AnalyzeTemp(MergeSql.KeysName(merge)) is { } analyze)
        {
            await run.Execute(analyze);
        }
        return staged;
    }

    /// <summary>
    /// Maps the key rows of every table through the ledger (references to them then follow the target rows imported
    /// before) and stops, before anything is written, on key rows the target no longer holds as its ledger recorded them:
    /// such a row was deleted in the target (or its table is not in the ledger), and the archive does not carry its values
    /// to write it again.
    /// </summary>
    private async Task MapKeyRowsAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, long tenantNo, Runner run)
    {
        var problems = new List<string>();
        foreach (var merge in merges.Where(m => m.KeyRows > 0))
        {
            if (!merge.Updating)
            {
                problems.Add($"{merge.KeyRows} {merge.Archive.Name} row(s), a table the ledger does not record (no primary key, or rows merged by a reuse rule)");
                continue;
            }
            IReadOnlyList<(string, object?)> parameters = [("tenant_no", tenantNo), ("table", merge.Target.Name)];
            if (merge.HasMap)
            {
                await SqlRunner.ExecuteAsync(run.Connection, run.Transaction, sql.MapKeysFromLedger(merge), run.CancellationToken, parameters);
            }
            var unknown = await SqlRunner.CountAsync(run.Connection, run.Transaction, sql.UnknownKeys(merge, null), run.CancellationToken, parameters);
            if (unknown > 0)
            {
                var examples = await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, sql.UnknownKeys(merge, KeyExamples), run.CancellationToken, parameters);
                problems.Add($"{unknown} {merge.Archive.Name} row(s) ({string.Join("+", merge.Archive.PrimaryKey)} = {string.Join(", ", examples.Select(r => r[0]))}" +
                             $"{(unknown > KeyExamples ? ", ..." : "")})");
            }
        }
        if (problems.Count > 0)
        {
            throw new FerryException(
                "this incremental archive carries the rows unchanged since its base as their keys only, and the target does not hold these as its ledger recorded them " +
                $"(deleted in the target since, or never imported): {string.Join("; ", problems)}; nothing was written. " +
                "Import a whole export of the tenant with --update, which writes them again");
        }
    }

    /// <summary>Under <c>--sync</c>: the key rows of <paramref name="merge"/>'s table are still at the source, so they are not deleted.</summary>
    private async Task KeepKeyRowsAsync(TableMerge merge, MergeSql sql, Runner run)
    {
        if (merge.KeyRows > 0)
        {
            await run.Execute(sql.KeepKeyRows(merge));
        }
    }
}
