using System.Globalization;
using Ferry.Schema;

namespace Ferry.Planning.Rendering;

/// <summary>
/// A plan report as plain text lines for people: the whole table list for <c>ferry plan</c>, or a
/// compact summary (a few lines, whatever the schema's size) that export prints before writing.
/// </summary>
public static partial class PlanTextRenderer
{
    private const int NamesShown = 10;

    /// <summary>The report's lines; <paramref name="compact"/> lists tables out of scope by name only and
    /// leaves out per-table lines and unfollowed edges that leave nothing behind.</summary>
    public static IReadOnlyList<string> Render(PlanReport report, bool compact = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>();
        var inScope = report.Tables.Where(t => t.InScope).ToList();
        var roles = string.Join(", ", new[] { PlanRole.Root, PlanRole.Owned, PlanRole.Referenced }
            .Select(r => (r, n: inScope.Count(t => t.Role == r))).Where(x => x.n > 0).Select(x => $"{x.n} {RoleName(x.r)}"));
        lines.Add($"plan: {report.Root} {string.Join(",", report.Ids)}: {inScope.Count} table(s) in scope ({roles}), {Rows(report.TotalRows)}");
        if (compact)
        {
            foreach (var role in new[] { PlanRole.Excluded, PlanRole.Ignored, PlanRole.NotReached })
            {
                var tables = report.Tables.Where(t => t.Role == role).ToList();
                if (tables.Count > 0)
                {
                    lines.Add($"{RoleName(role)} ({tables.Count}): {Shown(tables.Select(t => t.Reason is null ? t.Name : $"{t.Name} ({t.Reason})"))}");
                }
            }
        }
        else
        {
            lines.AddRange(TableLines(report));
        }
        lines.AddRange(EdgeLines(report, compact));
        // Export prints its warnings after the compact plan; ferry plan shows them here.
        if (!compact && report.Warnings.Count > 0)
        {
            lines.Add("warnings (export prints them too):");
            lines.AddRange(report.Warnings.Select(w => $"  {w}"));
        }
        return lines;
    }

    /// <summary>The report as one text with a newline after each line (what <c>ferry plan</c> prints).</summary>
    public static string RenderText(PlanReport report) => string.Concat(Render(report).Select(l => l + "\n"));

    /// <summary>The name of a role as people read it (<c>not reached</c>).</summary>
    public static string RoleName(PlanRole role) => role switch
    {
        PlanRole.NotReached => "not reached",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static IEnumerable<string> TableLines(PlanReport report)
    {
        var rows = report.Tables.Select(t => new[]
        {
            t.Name,
            RoleName(t.Role),
            t.Rows?.ToString("N0", CultureInfo.InvariantCulture) ?? "-",
            t.InScope ? PlanPaths.Describe(report.Root, t.Path, report.OwningEdges) : t.Reason ?? "",
        }).ToList();
        string[] header = ["table", "role", "rows", "path or reason"];
        var widths = Enumerable.Range(0, 3).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToList();
        string Line(string[] cells) =>
            $"{cells[0].PadRight(widths[0])}  {cells[1].PadRight(widths[1])}  {cells[2].PadLeft(widths[2])}  {cells[3]}".TrimEnd();
        return rows.Prepend(header).Select(Line);
    }

    private static string Shown(IEnumerable<string> names)
    {
        var all = names.ToList();
        var more = all.Count > NamesShown ? $" and {all.Count - NamesShown} more" : "";
        return string.Join(", ", all.Take(NamesShown)) + more;
    }

    private static string Rows(long n) => $"{n.ToString("N0", CultureInfo.InvariantCulture)} row{(n == 1 ? "" : "s")}";

    private static string Edge(ForeignKey edge) => $"{edge.Table}.{string.Join('+', edge.Columns)} → {edge.RefTable}";
}
