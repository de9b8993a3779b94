using System.Text;

namespace Ferry.Planning.Rendering;

/// <summary>
/// A plan report as a Mermaid flowchart: one node per table, coloured by role (a <c>classDef</c> per
/// role), an arrow per foreign key from the table that holds it to the table it points at; cut and
/// unfollowed edges are dashed.
/// </summary>
public static class PlanMermaidRenderer
{
    /// <summary>The Mermaid text, ending with a newline.</summary>
    public static string Render(PlanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var style in PlanGraphStyle.Roles)
        {
            var dashed = style.Role == PlanRole.NotReached ? ",stroke-dasharray:4 4" : "";
            text.Append($"  classDef {style.Class} fill:{style.Fill},stroke:{style.Stroke},color:{style.Text}{dashed}\n");
        }
        var ids = report.Tables.Select((t, i) => (t.Name, Id: $"t{i + 1}")).ToDictionary(x => x.Name, x => x.Id, StringComparer.Ordinal);
        foreach (var table in report.Tables)
        {
            var (name, detail) = PlanGraphStyle.NodeText(table);
            text.Append($"  {ids[table.Name]}[\"{Escape(name)}<br/>{Escape(detail)}\"]:::{PlanGraphStyle.Of(table.Role).Class}\n");
        }
        foreach (var edge in report.Edges)
        {
            var arrow = PlanGraphStyle.Dashed(edge) ? "-.->" : "-->";
            text.Append($"  {ids[edge.Key.Table]} {arrow}|\"{Escape(PlanGraphStyle.EdgeText(edge))}\"| {ids[edge.Key.RefTable]}\n");
        }
        return text.ToString();
    }

    // Mermaid's entity codes: a quote or angle bracket in a name would end the label or read as HTML.
    private static string Escape(string text) =>
        text.Replace("&", "#amp;", StringComparison.Ordinal)
            .Replace("\"", "#quot;", StringComparison.Ordinal)
            .Replace("<", "#lt;", StringComparison.Ordinal)
            .Replace(">", "#gt;", StringComparison.Ordinal);
}
