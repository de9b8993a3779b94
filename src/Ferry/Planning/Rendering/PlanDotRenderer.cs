using System.Text;

namespace Ferry.Planning.Rendering;

/// <summary>
/// A plan report as a Graphviz <c>digraph</c>: one box per table filled with its role's colour, an
/// arrow per foreign key from the table that holds it to the table it points at; cut and unfollowed
/// edges are dashed, tables not reached have a dashed border. <c>dot -Tsvg plan.dot</c> draws it.
/// </summary>
public static class PlanDotRenderer
{
    /// <summary>The DOT text, ending with a newline.</summary>
    public static string Render(PlanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append("digraph plan {\n");
        text.Append("  rankdir=LR;\n");
        text.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
        text.Append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (var table in report.Tables)
        {
            var style = PlanGraphStyle.Of(table.Role);
            var (name, detail) = PlanGraphStyle.NodeText(table);
            var dashed = table.Role == PlanRole.NotReached ? ", style=\"rounded,filled,dashed\"" : "";
            text.Append($"  {Id(table.Name)} [label=\"{Escape(name)}\\n{Escape(detail)}\", fillcolor=\"{style.Fill}\", color=\"{style.Stroke}\", fontcolor=\"{style.Text}\"{dashed}];\n");
        }
        foreach (var edge in report.Edges)
        {
            var dashed = PlanGraphStyle.Dashed(edge) ? ", style=dashed" : "";
            text.Append($"  {Id(edge.Key.Table)} -> {Id(edge.Key.RefTable)} [label=\"{Escape(PlanGraphStyle.EdgeText(edge))}\"{dashed}];\n");
        }
        text.Append("}\n");
        return text.ToString();
    }

    private static string Id(string name) => $"\"{Escape(name)}\"";

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
