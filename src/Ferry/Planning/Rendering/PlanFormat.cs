namespace Ferry.Planning.Rendering;

/// <summary>The forms <c>ferry plan</c> prints a plan in.</summary>
public enum PlanFormat
{
    /// <summary>Aligned text for people.</summary>
    Text,
    /// <summary>Indented JSON for scripts.</summary>
    Json,
    /// <summary>A Mermaid flowchart.</summary>
    Mermaid,
    /// <summary>A Graphviz digraph.</summary>
    Dot,
}

/// <summary>Renders a plan report in any <see cref="PlanFormat"/>.</summary>
public static class PlanRenderer
{
    /// <summary>The format named <paramref name="name"/> (<c>text</c>, <c>json</c>, <c>mermaid</c>, <c>dot</c>).</summary>
    /// <exception cref="FerryException">Any other name (usage).</exception>
    public static PlanFormat ParseFormat(string name) => name switch
    {
        "text" => PlanFormat.Text,
        "json" => PlanFormat.Json,
        "mermaid" => PlanFormat.Mermaid,
        "dot" => PlanFormat.Dot,
        _ => throw new FerryException($"--format '{name}': expected text, json, mermaid or dot", ExitCodes.Usage),
    };

    /// <summary>The report as text in <paramref name="format"/>, ending with a newline.</summary>
    public static string Render(PlanReport report, PlanFormat format) => format switch
    {
        PlanFormat.Json => PlanJsonRenderer.Render(report),
        PlanFormat.Mermaid => PlanMermaidRenderer.Render(report),
        PlanFormat.Dot => PlanDotRenderer.Render(report),
        _ => PlanTextRenderer.RenderText(report),
    };
}
