using System.Globalization;

namespace Ferry.Planning.Rendering;

/// <summary>What the graph renderers share: a colour per role, and how an edge is labelled and drawn.</summary>
internal static class PlanGraphStyle
{
    /// <summary>Every role with its class name, fill, border and text colours, in role order.</summary>
    public static readonly IReadOnlyList<(PlanRole Role, string Class, string Fill, string Stroke, string Text)> Roles =
    [
        (PlanRole.Root, "root", "#f6c343", "#8a6d00", "#000000"),
        (PlanRole.Owned, "owned", "#8fd19e", "#2f7d45", "#000000"),
        (PlanRole.Referenced, "referenced", "#9ec5fe", "#2d63b3", "#000000"),
        (PlanRole.Excluded, "excluded", "#f1aeb5", "#a52834", "#000000"),
        (PlanRole.Ignored, "ignored", "#dee2e6", "#6c757d", "#495057"),
        (PlanRole.NotReached, "notreached", "#ffffff", "#adb5bd", "#6c757d"),
    ];

    /// <summary>The style of <paramref name="role"/>.</summary>
    public static (PlanRole Role, string Class, string Fill, string Stroke, string Text) Of(PlanRole role) => Roles.First(r => r.Role == role);

    /// <summary>Node text: the name, then the role with the rows in scope or the reason.</summary>
    public static (string Name, string Detail) NodeText(PlanReportTable table)
    {
        var detail = PlanTextRenderer.RoleName(table.Role);
        if (table.Rows is { } rows)
        {
            detail += $" · {rows.ToString("N0", CultureInfo.InvariantCulture)} row{(rows == 1 ? "" : "s")}";
        }
        if (table.Reason is not null)
        {
            detail += $": {table.Reason}";
        }
        return (table.Name, detail);
    }

    /// <summary>Cut and unfollowed edges (and edges into excluded tables) are drawn dashed.</summary>
    public static bool Dashed(PlanReportEdge edge) => edge.Kind is PlanEdgeKind.NotFollowed or PlanEdgeKind.IntoExcluded || edge.Cut > 0;

    /// <summary>The edge's columns, then what happens to it: <c>place_id · not followed, 0 left behind · 1 cut</c>.</summary>
    public static string EdgeText(PlanReportEdge edge)
    {
        var parts = new List<string> { string.Join('+', edge.Key.Columns) };
        if (edge.Kind == PlanEdgeKind.NotFollowed)
        {
            parts.Add(edge.LeftBehind is { } rows ? $"not followed, {rows.ToString("N0", CultureInfo.InvariantCulture)} left behind" : "not followed, not counted");
        }
        if (edge.Cut > 0 || edge.Kind == PlanEdgeKind.IntoExcluded)
        {
            parts.Add($"{edge.Cut.ToString("N0", CultureInfo.InvariantCulture)} cut");
        }
        if (edge.CycleBreak)
        {
            parts.Add("cycle break");
        }
        return string.Join(" · ", parts);
    }
}
