using Ferry.Archive;
using Ferry.Engines;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

// --update on an engine where reading before staging is as safe as after it (SQLite, MariaDB): rows the archive gives as
// the ledger recorded them are neither staged nor mapped by SQL; their key map rows come from what the ledger holds
// (UnchangedRows).
public sealed partial class Importer
{
    /// <summary>
    /// The tenant's number when this <c>--update</c> may leave unchanged rows out of the stage: on an engine where reading
    /// the ledger and the target before staging is as safe as after it (<see cref="Engines.ISqlDialect.ReadsBeforeStagingAsAfter"/>), of a whole archive (an incremental one has key rows of its own), without <c>--sync</c> (which compares
    /// every row), without a profile's <c>sql</c> transform (which may read any staged row), into a target whose ledger
    /// holds the tenant; else 0.
    /// </summary>
    private async Task<long> UnchangedTenantAsync(ImportOptions options, Manifest manifest, TransformPlan transforms, DatabaseSchema schema, string tenant, Runner run)
    {
        if (!options.Update || options.Sync || !engine.Dialect.ReadsBeforeStagingAsAfter || manifest.Incremental is not null
            || transforms.Updates.Any(u => u is SqlUpdate) || schema.Find(Ledger.Rows) is null)
        {
            return 0;
        }
        return (await EarlierImportsAsync(schema, tenant, opened: false, run)).Number;
    }

    /// <summary>
    /// What the ledger holds of <paramref name="merge"/>'s existing rows, when its unchanged rows may be left out of the
    /// stage: a table whose rows an <c>--update</c> compares, with a key map (its key drawn in the target) of one integer
    /// column, without columns that take fresh values, that no transform rewrites; else null.
    /// </summary>
    private async Task<UnchangedRows?> ReadUnchangedAsync(TransformPlan transforms, int table, TableMerge merge, MergeSql sql, long tenantNo, Runner run)
    {
        var read = merge.Read;
        if (tenantNo == 0 || !MergeSql.UpdatesRows(merge) || !merge.HasMap || merge.DigestColumn is null || merge.Fresh.Count > 0
            || read.PrimaryKey.Count != 1 || merge.Archive.PrimaryKey.Count != 1 || RewrittenColumns(transforms, table) is not { Count: 0 })
        {
            return null;
        }
        var column = read.Columns.ToList().FindIndex(c => c.Name == read.PrimaryKey[0]);
        if (column < 0 || merge.Loaded[column].Type != FerryType.Int || merge.Target.FindColumn(merge.Archive.PrimaryKey[0])?.Type != FerryType.Int)
        {
            return null;
        }
        IReadOnlyList<(string, object?)> parameters = [("tenant_no", tenantNo), ("table", merge.Target.Name)];
        var count = await SqlRunner.CountAsync(run.Connection, run.Transaction, sql.CountLedgerRows(merge), run.CancellationToken, parameters);
        if (count > UnchangedRows.MaxRows)
        {
            return null;
        }
        using var task = progress.Start($"read ledger {merge.Archive.Name}", null);
        var rows = new UnchangedRows.Builder(merge.Read.Name, count, column);
        await engine.PushQueryAsync(run.Connection, run.Transaction, sql.LedgerRowsOfExisting(merge), parameters, rows, run.CancellationToken);
        var unchanged = rows.Build();
        task.Increment(unchanged?.Rows ?? 0);
        return unchanged;
    }

    /// <summary>
    /// Creates the key map of a table whose staging left rows out as unchanged and writes their rows: mapped by the
    /// ledger (<c>matched = 2</c>), unchanged. Right after the table is staged, so that only one table's
    /// <see cref="UnchangedRows"/> is held at a time.
    /// </summary>
    private async Task MapUnchangedAsync(TableMerge merge, UnchangedRows? unchanged, MergeSql sql, Runner run)
    {
        if (unchanged is not { Count: > 0 })
        {
            return;
        }
        await run.Execute(sql.CreateMap(merge));
        var key = merge.Archive.PrimaryKey[0];
        IReadOnlyList<StagingColumn> columns =
        [
            new("o0", FerryType.Int, null), new("n0", FerryType.Int, merge.Target.FindColumn(key)),
            new("matched", FerryType.Int, null), new("changed", FerryType.Int, null),
        ];
        await engine.BulkLoadAsync(run.Connection, run.Transaction, merge.Map, columns, new MappedRows(unchanged), run.CancellationToken);
    }

    /// <summary>The key map rows of <see cref="UnchangedRows.Mapped"/>: source key, target key, 2 (the ledger mapped it), 0 (unchanged); pushed without an object per value.</summary>
    private sealed class MappedRows(UnchangedRows unchanged) : IRowValueSource
    {
        public Task<long> PushAsync(IRowValueSink sink, CancellationToken cancellationToken)
        {
            long rows = 0;
            foreach (var (source, target) in unchanged.Mapped())
            {
                sink.Integer(0, source);
                sink.Integer(1, target);
                sink.Integer(2, 2);
                sink.Integer(3, 0);
                sink.EndRow();
                rows++;
            }
            return Task.FromResult(rows);
        }

        public async IAsyncEnumerator<object?[]> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            foreach (var (source, target) in unchanged.Mapped())
            {
                yield return [source, target, 2L, 0L];
            }
            await Task.CompletedTask;
        }
    }
}
