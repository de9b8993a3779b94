using System.Globalization;
using System.Text;

namespace Ferry.Bench;

/// <summary>A two-panel SVG line chart, written by hand: time and peak RSS against N (log scale), one line per engine and step.</summary>
internal static class Chart
{
    private const int _width = 460, _height = 320, _left = 60, _top = 40, _plotW = 360, _plotH = 220;
    private static readonly string[] _colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

    public static string Svg(List<Result> results)
    {
        var time = new List<(string, List<(double, double)>)>();
        var memory = new List<(string, List<(double, double)>)>();
        foreach (var engine in results.Select(r => r.Engine).Distinct())
        {
            var rows = results.Where(r => r.Engine == engine && r.Tenant is null).OrderBy(r => r.Size).ToList();
            time.Add(($"{engine} export", rows.Select(r => ((double)r.Size, r.ExportS)).ToList()));
            time.Add(($"{engine} import", rows.Select(r => ((double)r.Size, r.ImportS)).ToList()));
            time.Add(($"{engine} baseline (a)", rows.Select(r => ((double)r.Size, r.BaselineCopyS)).ToList()));
            memory.Add(($"{engine} export", rows.Select(r => ((double)r.Size, r.ExportRssMb)).ToList()));
            memory.Add(($"{engine} import", rows.Select(r => ((double)r.Size, r.ImportRssMb)).ToList()));
        }
        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{2 * _width}\" height=\"{_height + 20 * time.Count / 2 + 20}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        Panel(svg, 0, "Time (s, median)", time);
        Panel(svg, _width, "Peak RSS of the Ferry process (MB, median)", memory);
        return svg.Append("</svg>\n").ToString();
    }

    private static void Panel(StringBuilder svg, int x0, string title, List<(string Name, List<(double N, double Y)> Points)> lines)
    {
        string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
        var all = lines.SelectMany(l => l.Points).ToList();
        if (all.Count == 0)
        {
            return;
        }
        var (minN, maxN) = (Math.Log10(all.Min(p => p.N)), Math.Log10(all.Max(p => p.N)));
        if (maxN - minN < 0.5) { minN -= 0.5; maxN += 0.5; }
        var maxY = all.Max(p => p.Y) * 1.1;
        double X(double n) => x0 + _left + (Math.Log10(n) - minN) / (maxN - minN) * _plotW;
        double Y(double y) => _top + _plotH - y / maxY * _plotH;
        svg.Append($"<text x=\"{x0 + _left}\" y=\"20\" font-weight=\"bold\">{title}</text>\n");
        svg.Append($"<path d=\"M{x0 + _left},{_top} V{_top + _plotH} H{x0 + _left + _plotW}\" stroke=\"black\" fill=\"none\"/>\n");
        for (var i = 0; i <= 4; i++)
        {
            var v = maxY * i / 4;
            svg.Append($"<text x=\"{x0 + _left - 6}\" y=\"{F(Y(v) + 4)}\" text-anchor=\"end\">{F(v)}</text>\n");
            svg.Append($"<line x1=\"{x0 + _left}\" x2=\"{x0 + _left + _plotW}\" y1=\"{F(Y(v))}\" y2=\"{F(Y(v))}\" stroke=\"#ddd\"/>\n");
        }
        foreach (var n in all.Select(p => p.N).Distinct())
        {
            var label = n >= 1_000_000 ? $"{n / 1_000_000:0.#}M" : $"{n / 1000:0}k";
            svg.Append($"<text x=\"{F(X(n))}\" y=\"{_top + _plotH + 16}\" text-anchor=\"middle\">N = {label}</text>\n");
        }
        for (var i = 0; i < lines.Count; i++)
        {
            var (name, points) = lines[i];
            var color = _colors[i % _colors.Length];
            var dash = name.Contains("baseline", StringComparison.Ordinal) ? " stroke-dasharray=\"5,4\"" : "";
            svg.Append($"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash} points=\"{string.Join(" ", points.Select(p => $"{F(X(p.N))},{F(Y(p.Y))}"))}\"/>\n");
            points.ForEach(p => svg.Append($"<circle cx=\"{F(X(p.N))}\" cy=\"{F(Y(p.Y))}\" r=\"3\" fill=\"{color}\"/>\n"));
            var ly = _top + _plotH + 36 + 18 * i;
            svg.Append($"<line x1=\"{x0 + _left}\" x2=\"{x0 + _left + 24}\" y1=\"{ly - 4}\" y2=\"{ly - 4}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>\n");
            svg.Append($"<text x=\"{x0 + _left + 30}\" y=\"{ly}\">{name}</text>\n");
        }
    }
}
