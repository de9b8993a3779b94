using System.Data.Common;
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
    /// The position of <paramref name="merge"/>'s key among its values when its unchanged rows may be left out of the
    /// stage: a table whose rows an <c>--update</c> compares, with a key map (its key drawn in the target) of one integer
    /// column, without columns that take fresh values, that no transform rewrites; else null.
    /// </summary>
    private static int? UnchangedKeyColumn(TransformPlan transforms, int table, TableMerge merge, long tenantNo)
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
        return column;
    }

    /// <summary>
    /// What the ledger holds of <paramref name="merge"/>'s existing rows (<see cref="UnchangedKeyColumn"/>), read on
    /// <paramref name="connection"/>; null when the table has more than <see cref="UnchangedRows.MaxRows"/> ledger rows.
    /// </summary>
    private async Task<UnchangedRows?> ReadUnchangedAsync(DbConnection connection, DbTransaction transaction, TableMerge merge, int column, MergeSql sql, long tenantNo,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<(string, object?)> parameters = [("tenant_no", tenantNo), ("table", merge.Target.Name)];
        var count = await SqlRunner.CountAsync(connection, transaction, sql.CountLedgerRows(merge), cancellationToken, parameters);
        if (count > UnchangedRows.MaxRows)
        {
            return null;
        }
        using var task = progress.Start($"read ledger {merge.Archive.Name}", null);
        var rows = new UnchangedRows.Builder(merge.Read.Name, count, column);
        await engine.PushQueryAsync(connection, transaction, sql.LedgerRowsOfExisting(merge), parameters, rows, cancellationToken);
        var unchanged = rows.Build();
        task.Increment(unchanged?.Rows ?? 0);
        return unchanged;
    }

    /// <summary>
    /// Reads, table by table as they are staged, what the ledger holds of the tables whose unchanged rows are left out of
    /// the stage (<see cref="UnchangedKeyColumn"/>): on the import's connection just before a table is staged, or, where
    /// the engine has a side reader (<see cref="IDatabaseEngine.OpenSideReaderAsync"/>: SQLite) and the import has
    /// written nothing but temporary tables, the next such table's rows on it while one is staged. At most two tables'
    /// rows are held then, the one being staged and the next.
    /// </summary>
    private sealed class UnchangedReads : IAsyncDisposable
    {
        private readonly Importer _importer;
        private readonly IReadOnlyList<TableMerge> _merges;
        private readonly int?[] _columns;
        private readonly MergeSql _sql;
        private readonly long _tenantNo;
        private readonly Runner _run;
        private readonly CancellationTokenSource _stop;
        private DbConnection? _side;
        private DbTransaction? _sideTransaction;
        private (int Table, Task<UnchangedRows?> Read)? _ahead;

        private UnchangedReads(Importer importer, IReadOnlyList<TableMerge> merges, int?[] columns, MergeSql sql, long tenantNo, Runner run)
        {
            (_importer, _merges, _columns, _sql, _tenantNo, _run) = (importer, merges, columns, sql, tenantNo, run);
            _stop = CancellationTokenSource.CreateLinkedTokenSource(run.CancellationToken);
        }

        /// <param name="sideReader">Whether the ledger may be read on a side connection: the import has written nothing but temporary tables.</param>
        public static async Task<UnchangedReads> StartAsync(Importer importer, IDatabaseEngine engine, TransformPlan transforms, IReadOnlyList<TableMerge> merges, MergeSql sql, long tenantNo,
            bool sideReader, Runner run)
        {
            var columns = merges.Select((m, i) => UnchangedKeyColumn(transforms, i, m, tenantNo)).ToArray();
            var reads = new UnchangedReads(importer, merges, columns, sql, tenantNo, run);
            if (sideReader && columns.Any(c => c is not null) && await engine.OpenSideReaderAsync(run.CancellationToken) is { } side)
            {
                reads._side = side;
                try
                {
                    reads._sideTransaction = await engine.BeginSnapshotAsync(side, run.CancellationToken);
                }
                catch
                {
                    await reads.DisposeAsync();
                    throw;
                }
                reads.ReadAhead(0);
            }
            return reads;
        }

        /// <summary>What the ledger holds of table <paramref name="table"/>'s existing rows, to be staged now; null when its rows are all staged.</summary>
        public async Task<UnchangedRows?> TakeAsync(int table)
        {
            if (_columns[table] is not { } column)
            {
                return null;
            }
            if (_side is null)
            {
                return await _importer.ReadUnchangedAsync(_run.Connection, _run.Transaction, _merges[table], column, _sql, _tenantNo, _run.CancellationToken);
            }
            if (_ahead is not { } ahead || ahead.Table != table)
            {
                throw new InvalidOperationException($"the ledger rows of table {table} were not read ahead");
            }
            _ahead = null;
            var rows = await ahead.Read;
            ReadAhead(table + 1);
            return rows;
        }

        // Starts reading the first table from `from` on whose rows are left out of the stage, on the side connection.
        private void ReadAhead(int from)
        {
            var next = Array.FindIndex(_columns, from, c => c is not null);
            if (next < 0)
            {
                return;
            }
            var (side, transaction, column, token) = (_side!, _sideTransaction!, _columns[next]!.Value, _stop.Token);
            _ahead = (next, Task.Run(() => _importer.ReadUnchangedAsync(side, transaction, _merges[next], column, _sql, _tenantNo, token), token));
        }

        public async ValueTask DisposeAsync()
        {
            // A read still running (the import failed meanwhile) is stopped and waited for before its connection closes.
            await _stop.CancelAsync();
            if (_ahead is { } ahead)
            {
                try
                {
                    await ahead.Read;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // The import has already failed; this read's result is not needed.
                }
            }
            if (_sideTransaction is not null)
            {
                await _sideTransaction.DisposeAsync();
            }
            if (_side is not null)
            {
                await _side.DisposeAsync();
            }
            _stop.Dispose();
        }
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
