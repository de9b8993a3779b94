using System.Text.Json;
using Ferry.Import;

namespace Ferry.Cli.Output;

/// <summary>
/// How an import's report is shown to people and written with <c>--report</c>: one rendering for
/// <c>ferry import</c> and for <c>ferry push</c>, which prints the report the server sends back.
/// </summary>
public sealed class ImportReportView(IInteraction ui)
{
    private const int ConflictLines = 50;

    /// <summary>The per-table counts, then the closing line.</summary>
    public void ShowSuccess(ImportReport report)
    {
        if (report.DryRun)
        {
            ui.Line("dry run: the changes below were rolled back");
        }
        var rows = report.Tables
            .Select(t => (IReadOnlyList<string>)[t.Name, t.ArchiveRows.ToString("N0"), t.Inserted.ToString("N0"), t.Matched.ToString("N0"), t.NulledReferences.ToString("N0")])
            .Append(["total", report.ArchiveRows.ToString("N0"), report.Inserted.ToString("N0"), report.Matched.ToString("N0"), report.NulledReferences.ToString("N0")])
            .ToList();
        ui.Table(["table", "in archive", "inserted", "matched", "set NULL"], rows);
        foreach (var table in report.Tables.Where(t => t.Renamed > 0))
        {
            ui.Line($"{table.Name}: {table.Renamed:N0} row(s) renamed by the profile's conflict rules (they collided with existing rows)");
        }
        if (report.Files > 0)
        {
            ui.Line(report.DryRun
                ? $"{report.Files:N0} files ({report.FileBytes:N0} bytes) were written into the file stores and removed again"
                : $"{report.Files:N0} files ({report.FileBytes:N0} bytes) written into the file stores");
        }
        ui.Line($"{report.Inserted:N0} rows inserted, {report.Matched:N0} matched to existing rows, in {report.Seconds:0.0} s");
        ui.Line(report.DryRun ? "Dry run complete: nothing was written" : "Import complete");
    }

    /// <summary>Every conflict, up to 50 lines, with the count beyond.</summary>
    public void ShowConflicts(ImportReport report)
    {
        foreach (var c in report.Conflicts.Take(ConflictLines))
        {
            var values = string.Join(", ", c.Values.Select(v => v ?? "NULL"));
            var what = c.Kind == "existing" ? "already exists in the target" : $"appears in {c.Rows} incoming rows";
            ui.Line($"conflict: {c.Table} {c.Constraint} ({string.Join(", ", c.Columns)}) = ({values}) {what}");
        }
        var shown = Math.Min(report.Conflicts.Count, ConflictLines);
        if (report.ConflictCount > shown)
        {
            ui.Line($"... and {report.ConflictCount - shown} more conflict(s)");
        }
    }

    /// <summary>Writes the report as JSON to <paramref name="path"/> (complete or not at all); nothing when null.</summary>
    public static async Task WriteAsync(string? path, ImportReport report, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            return;
        }
        await AtomicFile.WriteAsync(path, overwrite: true, async stream =>
        {
            await JsonSerializer.SerializeAsync(stream, report, ReportJson.Options, cancellationToken);
            return 0;
        }, label: "--report");
    }
}

/// <summary>How reports are written as JSON: camelCase, indented, stable.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };
}
