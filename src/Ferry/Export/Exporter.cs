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
        await using var snapshot = await engine.BeginSnapshotAsync(connection, cancellationToken);
        var createdAt = DateTimeOffset.UtcNow;
        var request = ScopeRequest.For(options);
        var scope = await TenantScope.ComputeAsync(engine, connection, snapshot, request, cancellationToken);
        var (plan, sql, cuts, leftBehind) = (scope.Plan, scope.Sql, scope.Cuts, scope.LeftBehind);
        foreach (var line in PlanTextRenderer.Render(scope.Report(options.Ids, options.Profile), compact: true))
        {
            progress.Info(line);
        }
        var warnings = new List<string>();
        foreach (var edge in leftBehind.Where(e => e.Rows > 0))
        {
            warnings.Add($"left behind: {edge.Rows} row(s) of {edge.Table} point at exported {edge.RefTable} rows through " +
                         $"{edge.Table}.{string.Join('+', edge.Columns)} (nullable, not followed; --follow {edge.Table}.{edge.Columns[0]} takes them)");
        }
        warnings.AddRange(LooksLikeReferences(plan));
        warnings.AddRange(await OtherTypesAsync(plan, sql, connection, snapshot, cancellationToken));
        foreach (var warning in warnings)
        {
            progress.Warning(warning);
        }

        var manifest = BuildManifest(options, request, plan, createdAt);
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
                var rows = engine.ReadRowsAsync(connection, snapshot, sql.Select(table, keeps), table.Name, table.Columns, cancellationToken);
                var written = await writer.WriteTableAsync(described, rows.Counted(task, cancellationToken), cancellationToken);
                exported.Add(new ExportedTable(table.Name, described.Role, written, NulledFor(table.Name, cuts)));
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

    // Polymorphic keys whose type the profile does not map to a table are copied with their source ids.
    private static async Task<List<string>> OtherTypesAsync(
        ExportPlan plan, ScopeSql sql, DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        foreach (var table in plan.Tables.Select(t => t.Table))
        {
            var polymorphic = table.ForeignKeys
                .Where(k => k.Shape?.TypeColumn is not null)
                .GroupBy(k => (Column: k.Columns[0], Type: k.Shape!.TypeColumn!));
            foreach (var keys in polymorphic)
            {
                var types = keys.Select(k => k.Shape!.TypeValue!).ToList();
                var count = await SqlRunner.CountAsync(connection, snapshot,
                    sql.CountOtherTypes(table, keys.Key.Column, keys.Key.Type, types), cancellationToken);
                if (count > 0)
                {
                    warnings.Add($"{count} row(s) of {table.Name} have a {keys.Key.Type} that the profile maps to no table " +
                                 $"(it maps {string.Join(", ", types)}): their {keys.Key.Column} is copied unchanged");
                }
            }
        }
        return warnings;
    }

    private static Dictionary<string, long> NulledFor(string table, IReadOnlyList<Cut> cuts) =>
        cuts.Where(c => c.Table == table && c.Count > 0)
            .SelectMany(c => c.Edge.Columns.Select(col => (col, c.Count)))
            .GroupBy(x => x.col, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Max(x => x.Count), StringComparer.Ordinal);

    // Integer or UUID columns named like references, with no declared foreign key, are copied with
    // their source values: say so by name, so the user declares them or knows they are not references.
    private static IEnumerable<string> LooksLikeReferences(ExportPlan plan)
    {
        foreach (var table in plan.Tables.Select(t => t.Table))
        {
            var fkColumns = table.ForeignKeys.SelectMany(f => f.Columns).ToHashSet(StringComparer.Ordinal);
            foreach (var column in table.Columns)
            {
                var name = column.Name.ToLowerInvariant();
                var named = name.EndsWith("_id", StringComparison.Ordinal) || (name.EndsWith("id", StringComparison.Ordinal) && name.Length > 2 && char.IsUpper(column.Name[^2]));
                if (named && column.Type is FerryType.Int or FerryType.Uuid
                    && !fkColumns.Contains(column.Name) && !table.PrimaryKey.Contains(column.Name))
                {
                    yield return $"{table.Name}.{column.Name} looks like a reference but has no foreign key: its values are copied unchanged";
                }
            }
        }
    }
}
