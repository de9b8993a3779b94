using Ferry.Archive;
using Ferry.Planning;

namespace Ferry.Export;

public sealed partial class Exporter
{
    private Manifest BuildManifest(ExportOptions options, ScopeRequest request, ExportPlan plan, DateTimeOffset createdAt,
        DateTimeOffset completeBefore, IReadOnlyDictionary<string, Schema.Column> changed)
    {
        var inArchive = plan.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var tables = plan.Tables.Select(p => new ManifestTable(
            p.Name,
            p.Role.ToString().ToLowerInvariant(),
            p.Table.Columns.Select(c => new ManifestColumn(c.Name, c.Type, c.SqlType, c.Nullable)).ToList(),
            p.Table.PrimaryKey,
            p.Table.ForeignKeys.Where(f => inArchive.Contains(f.RefTable)).Select(f => ToManifest(f, p.Table)).ToList(),
            p.Table.Uniques,
            changed.GetValueOrDefault(p.Name)?.Name)).ToList();
        var files = FileColumns(options, plan);
        return new Manifest(
            FormatVersion: ArchiveFormat.VersionFor(files, options.Since is not null),
            Tool: $"ferry {typeof(Exporter).Assembly.GetName().Version?.ToString(3)}",
            CreatedAt: createdAt,
            Source: new ManifestSource(engine.Name, engine.Description, engine.Instance),
            Root: new ManifestRoot(plan.Root, options.Ids),
            Tables: tables,
            CycleBreaks: plan.CycleBreaks
                .Select(f => ToManifest(f, plan.Tables.First(t => t.Name == f.Table).Table) with { Unchecked = LoadOrder.Unchecked(f) ? true : null })
                .ToList(),
            Excluded: plan.Excluded,
            Followed: request.AllFollows.Select(f => $"{f.Table}.{f.Column}").ToList(),
            Files: files,
            ExportId: ArchiveFormat.NewExportId(),
            CompleteBefore: completeBefore,
            Incremental: options.Since is { } since ? new ManifestIncremental(since.Base?.ExportId, since.At) : null);
    }

    private ManifestForeignKey ToManifest(Schema.ForeignKey f, Schema.Table table) =>
        new(f.Name, f.Table, f.Columns, f.RefTable, f.RefColumns, f.Nullable,
            f.Shape is null ? null : ManifestReference.From(f.Shape, engine.Dialect.FormOf(table.GetColumn(f.Columns[0]))));
}
