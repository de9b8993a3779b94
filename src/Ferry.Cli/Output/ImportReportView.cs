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
        var dry = report.DryRun;
        if (dry)
        {
            ui.Line("Dry run: everything below was done inside the transaction and then rolled back; nothing was written");
        }
        if (report.Update)
        {
            ShowUpdate(report);
        }
        else
        {
            var rows = report.Tables
                .Select(t => (IReadOnlyList<string>)[t.Name, t.ArchiveRows.ToString("N0"), t.Inserted.ToString("N0"), t.Matched.ToString("N0"), t.NulledReferences.ToString("N0")])
                .Append(["total", report.ArchiveRows.ToString("N0"), report.Inserted.ToString("N0"), report.Matched.ToString("N0"), report.NulledReferences.ToString("N0")])
                .ToList();
            ui.Table(["table", "in archive", dry ? "would insert" : "inserted", dry ? "would match" : "matched", "set NULL"], rows);
        }
        foreach (var table in report.Tables.Where(t => t.Renamed > 0))
        {
            ui.Line($"{table.Name}: {table.Renamed:N0} row(s) {(dry ? "would be" : "were")} renamed by the profile's conflict rules (they collided with existing rows)");
        }
        foreach (var table in report.Tables)
        {
            foreach (var (column, count) in table.FreshValues.Where(f => f.Value > 0))
            {
                ui.Line($"{table.Name}.{column}: {count:N0} value(s) {(dry ? "would be" : "were")} replaced by fresh ones from the target's sequence " +
                        "(it feeds the column there); references to them follow");
            }
        }
        if (report.Files > 0)
        {
            ui.Line(dry
                ? $"{report.Files:N0} files ({report.FileBytes:N0} bytes) were written into the file stores and removed again"
                : $"{report.Files:N0} files ({report.FileBytes:N0} bytes) written into the file stores");
        }
        if (report.LedgerEarlier > 0)
        {
            ui.Line($"warning: the target had imported this tenant {report.LedgerEarlier} time(s) before: its rows {(dry ? "would be" : "were")} written again as " +
                    "new rows (--update updates them in place instead); the ledger maps each source row to its newest copy");
        }
        if (report.LedgerImport > 0)
        {
            ui.Line($"Ledger: import {report.LedgerImport} of tenant {report.Tenant[..Math.Min(12, report.Tenant.Length)]} recorded ({report.LedgerRows:N0} rows); `ferry forget` removes it");
        }
        if (report.Update)
        {
            var deleted = report.Sync ? $"{report.Deleted:N0} {(dry ? "would be " : "")}deleted, " : "";
            var counts = $"{report.Inserted:N0} rows {(dry ? "would be " : "")}inserted, {report.Updated:N0} {(dry ? "would be " : "")}updated, {deleted}{report.Unchanged:N0} unchanged " +
                         $"(not written), {report.Matched:N0} matched to existing rows";
            ui.Line(dry ? $"Dry run complete: {counts} ({report.Seconds:0.0} s); nothing was written"
                : report.NothingChanged ? $"Nothing changed since the last import: nothing was written ({report.Unchanged:N0} rows unchanged, {report.Seconds:0.0} s)"
                : $"{counts}, in {report.Seconds:0.0} s");
            return;
        }
        ui.Line(dry
            ? $"Dry run complete: {report.Inserted:N0} rows would be inserted and {report.Matched:N0} matched to existing rows ({report.Seconds:0.0} s); nothing was written"
            : $"{report.Inserted:N0} rows inserted, {report.Matched:N0} matched to existing rows, in {report.Seconds:0.0} s");
        if (!dry)
        {
            ui.Line("Import complete");
        }
    }

    /// <summary>Every conflict, up to 50 lines, with the count beyond.</summary>
    // --update: per table, what was inserted, updated, left alone, and changed on both sides.
    private void ShowUpdate(ImportReport report)
    {
        var dry = report.DryRun;
        static string N(long n) => n.ToString("N0");
        // The deleted column only under --sync: without it nothing is ever deleted.
        IReadOnlyList<string> Row(string name, long archive, long inserted, long updated, long unchanged, long deleted, long conflicting, long matched, long nulled) =>
            report.Sync
                ? [name, N(archive), N(inserted), N(updated), N(unchanged), N(deleted), N(conflicting), N(matched), N(nulled)]
                : [name, N(archive), N(inserted), N(updated), N(unchanged), N(conflicting), N(matched), N(nulled)];
        var rows = report.Tables
            .Select(t => Row(t.Name, t.ArchiveRows, t.Inserted, t.Updated, t.Unchanged, t.Deleted, t.Conflicting, t.Matched, t.NulledReferences))
            .Append(Row("total", report.ArchiveRows, report.Inserted, report.Updated, report.Unchanged, report.Deleted, report.Conflicting, report.Matched, report.NulledReferences))
            .ToList();
        IReadOnlyList<string> head = ["table", "in archive", dry ? "would insert" : "inserted", dry ? "would update" : "updated", "unchanged"];
        ui.Table([.. head, .. report.Sync ? [dry ? "would delete" : "deleted"] : Array.Empty<string>(), "conflicting", "matched", "set NULL"], rows);
        if (report.Conflicting > 0)
        {
            ui.Line(report.Prefer == "source"
                ? $"{report.Conflicting:N0} row(s) changed both at the source and in the target {(dry ? "would be" : "were")} overwritten with the source's{(report.Sync ? ", or deleted where the source deleted them" : "")} (--prefer source)"
                : $"{report.Conflicting:N0} row(s) changed both at the source and in the target kept the target's version (--prefer target)");
        }
    }

    public void ShowConflicts(ImportReport report)
    {
        foreach (var c in report.Conflicts.Take(ConflictLines))
        {
            var values = string.Join(", ", c.Values.Select(v => v ?? "NULL"));
            if (c.Kind == "ambiguous")
            {
                ui.Line($"conflict: {c.Table} ({string.Join(", ", c.Columns)}) = ({values}) matches {c.Rows} rows in the target, " +
                        $"which {c.Constraint} does not tell apart (a profile identity's where or prefer can)");
                continue;
            }
            if (c.Kind == "vanished")
            {
                ui.Line($"conflict: {c.Table} ({string.Join(", ", c.Columns)}) = ({values}) vanished at the source but was changed in the target since the last import " +
                        "(--prefer source deletes it, --prefer target keeps it as the target's own)");
                continue;
            }
            if (c.Kind == "referenced")
            {
                ui.Line($"conflict: {c.Table} ({string.Join(", ", c.Columns)}) = ({values}) vanished at the source, but {c.Rows:N0} row(s) that stay in the target " +
                        $"still reference it ({c.Constraint}); --sync does not delete or change the target's own rows: remove those references, or import without --sync");
                continue;
            }
            if (c.Kind == "updated")
            {
                ui.Line($"conflict: {c.Table} {c.Constraint} ({string.Join(", ", c.Columns)}) = ({values}) is the new value of a row this import updates, and another target row holds it");
                continue;
            }
            if (c.Kind is "changed" or "unrecorded")
            {
                ui.Line(c.Kind == "changed"
                    ? $"conflict: {c.Table} ({string.Join(", ", c.Columns)}) = ({values}) changed both at the source and in the target since the last import (--prefer source or target decides)"
                    : $"conflict: {c.Table} ({string.Join(", ", c.Columns)}) = ({values}) exists in the target with other content, and the ledger does not say which side changed it (--prefer source or target decides)");
                continue;
            }
            var what = c.Kind == "existing" ? "already exists in the target" : $"appears in {c.Rows} incoming rows";
            ui.Line($"conflict: {c.Table} {c.Constraint} ({string.Join(", ", c.Columns)}) = ({values}) {what}");
        }
        var shown = Math.Min(report.Conflicts.Count, ConflictLines);
        if (report.ConflictCount > shown)
        {
            ui.Line($"... and {report.ConflictCount - shown} more conflict(s)");
        }
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
