using System.Data.Common;
using System.Diagnostics;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Planning;
using Ferry.Planning.Rendering;
using Ferry.Reporting;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Export;

/// <summary>
/// Exports one tenant: plans from the schema, computes the scope inside one consistent snapshot of
/// the source, and streams every table into an archive. The source is never written to.
/// </summary>
public sealed partial class Exporter(IDatabaseEngine engine, IProgressSink progress)
{
    private const int ExampleLimit = 3;

    /// <summary>
    /// Runs the export into <paramref name="output"/>. Throws <see cref="FerryException"/> before
    /// writing anything to it when the plan or the scope fails (unknown names, missing root ids,
    /// NOT NULL references that leave the tenant); an exception after that leaves an incomplete
    /// archive, which the caller discards.
    /// </summary>
    public async Task<ExportResult> ExportAsync(ExportOptions options, Stream output, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await engine.OpenAsync(Access.ReadOnly, cancellationToken);
        // Read before the snapshot begins: every change committed after it carries a later changed-at value (docs/reimport.md).
        var times = await SourceClockAsync(connection, cancellationToken);
        await using var snapshot = await engine.BeginSnapshotAsync(connection, cancellationToken);
        var createdAt = DateTimeOffset.UtcNow;
        var request = ScopeRequest.For(options);
        var scope = await TenantScope.ComputeAsync(engine, connection, snapshot, request, options.Since is not null, cancellationToken);
        var (plan, sql, cuts, leftBehind) = (scope.Plan, scope.Sql, scope.Cuts, scope.LeftBehind);
        var changed = await SinceAsync(options, plan, sql, times, connection, snapshot, cancellationToken);
        foreach (var line in PlanTextRenderer.Render(scope.Report(options.Ids, options.Profile), compact: true))
        {
            progress.Info(line);
        }
        // The warnings plan shows, word for word.
        var warnings = scope.Warnings.ToList();
        if (options.Since is not null && changed.Count == 0)
        {
            warnings.Add("--since: no exported table has a changed-at column (the profile's changed rule), so every row is written whole; " +
                         "the archive still imports only into a target holding its base");
        }
        foreach (var warning in warnings)
        {
            progress.Warning(warning);
        }

        var manifest = BuildManifest(options, request, plan, createdAt, times.CompleteBefore, changed);
        var exported = new List<ExportedTable>();
        ExportedFiles? files = null;
        await using (var writer = ArchiveWriter.Create(output, options.Password))
        {
            await writer.WriteManifestAsync(manifest, cancellationToken);
            foreach (var (planned, described) in plan.Tables.Zip(manifest.Tables))
            {
                var table = planned.Table;
                var total = scope.Rows[table.Name];
                var keeps = cuts.Where(c => c.Table == table.Name && c.Count > 0)
                    .SelectMany(c => c.Edge.Columns.Where(col => table.GetColumn(col).Nullable).Select(col => (col, c.Condition)))
                    .GroupBy(x => x.col)
                    .ToDictionary(g => g.Key, g => string.Join(" AND ", g.Select(x => x.Condition)), StringComparer.Ordinal);
                using var task = progress.Start($"export {table.Name}", total);
                var column = changed.GetValueOrDefault(table.Name);
                var select = column is null ? sql.Select(table, keeps) : sql.SelectChanged(table, keeps, column);
                var rows = engine.ReadRowsAsync(connection, snapshot, select, table.Name, table.Columns, cancellationToken);
                var written = await writer.WriteTableAsync(described, rows.Counted(task, cancellationToken), cancellationToken);
                long? keys = null;
                if (column is not null)
                {
                    var key = table.PrimaryKey.Select(table.GetColumn).ToList();
                    var unchanged = engine.ReadRowsAsync(connection, snapshot, sql.SelectUnchangedKeys(table, column), table.Name, key, cancellationToken);
                    keys = await writer.WriteKeysAsync(described, unchanged.Counted(task, cancellationToken), cancellationToken);
                }
                exported.Add(new ExportedTable(table.Name, described.Role, written, NulledFor(table.Name, cuts)) { Keys = keys });
            }
            if (manifest.Files is not null)
            {
                files = await ExportFilesAsync(writer, manifest, options, plan, sql, connection, snapshot, warnings, cancellationToken);
            }
            await writer.CompleteAsync(
                exported.ToDictionary(t => t.Name, t => t.NulledReferences, StringComparer.Ordinal),
                cancellationToken);
        }
        await snapshot.RollbackAsync(cancellationToken);
        return new ExportResult(exported, leftBehind, warnings, clock.Elapsed, files);
    }

    private static Dictionary<string, long> NulledFor(string table, IReadOnlyList<Cut> cuts) =>
        cuts.Where(c => c.Table == table && c.Count > 0)
            .SelectMany(c => c.Edge.Columns.Select(col => (col, c.Count)))
            .GroupBy(x => x.col, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(x => x.Count), StringComparer.Ordinal);
}
