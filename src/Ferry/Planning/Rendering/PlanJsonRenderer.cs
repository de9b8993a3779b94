using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ferry.Schema;

namespace Ferry.Planning.Rendering;

/// <summary>
/// A plan report as indented JSON, for scripts: <c>root</c>, <c>ids</c>, <c>tables</c> (name, role,
/// rows or null, path as text and as edges, reason), <c>edges</c> (table, columns, refTable, kind,
/// nullable, cut, leftBehind or null, cycleBreak, follow: null, or for an edge that leaves rows behind what
/// following it would do, tried; partitions: null, or for a key only partitions declare the leaf partitions
/// that do and their total), <c>cycleBreaks</c>, <c>undeclared</c> (columns named like references that
/// nothing declares: table, column, likelyTable, likelyColumn, rows, existing) and <c>warnings</c> (what
/// export prints). Roles and kinds are
/// kebab-case (<c>not-reached</c>, <c>not-followed</c>, <c>into-excluded</c>, <c>owns-referenced</c>).
/// </summary>
public static class PlanJsonRenderer
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The report as JSON text ending with a newline.</summary>
    public static string Render(PlanReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("root", report.Root);
            json.WriteStartArray("ids");
            report.Ids.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteNumber("totalRows", report.TotalRows);
            json.WriteStartArray("tables");
            foreach (var table in report.Tables)
            {
                WriteTable(json, report, table);
            }
            json.WriteEndArray();
            json.WriteStartArray("edges");
            foreach (var edge in report.Edges)
            {
                json.WriteStartObject();
                WriteKey(json, edge.Key);
                json.WriteString("kind", Kebab(edge.Kind.ToString()));
                json.WriteBoolean("nullable", edge.Key.Nullable);
                json.WriteNumber("cut", edge.Cut);
                WriteCount(json, "leftBehind", edge.LeftBehind);
                json.WriteBoolean("cycleBreak", edge.CycleBreak);
                WriteFollow(json, edge.Follow);
                if (edge.Key.Partitions is { } partitions)
                {
                    json.WriteStartObject("partitions");
                    json.WriteStartArray("declaredOn");
                    partitions.DeclaredOn.ToList().ForEach(json.WriteStringValue);
                    json.WriteEndArray();
                    json.WriteNumber("total", partitions.Total);
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("partitions");
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteKeys(json, "cycleBreaks", report.CycleBreaks);
            json.WriteStartArray("undeclared");
            foreach (var u in report.Undeclared)
            {
                json.WriteStartObject();
                json.WriteString("table", u.Table);
                json.WriteString("column", u.Column);
                WriteText(json, "likelyTable", u.LikelyTable);
                WriteText(json, "likelyColumn", u.LikelyColumn);
                json.WriteNumber("rows", u.Values);
                json.WriteNumber("existing", u.Existing);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("warnings");
            report.Warnings.ToList().ForEach(json.WriteStringValue);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTable(Utf8JsonWriter json, PlanReport report, PlanReportTable table)
    {
        json.WriteStartObject();
        json.WriteString("name", table.Name);
        json.WriteString("role", Kebab(table.Role.ToString()));
        WriteCount(json, "rows", table.Rows);
        if (table.InScope)
        {
            json.WriteString("path", PlanPaths.Describe(report.Root, table.Path, report.OwningEdges));
        }
        else
        {
            json.WriteNull("path");
        }
        WriteKeys(json, "via", table.Path);
        if (table.Reason is null)
        {
            json.WriteNull("reason");
        }
        else
        {
            json.WriteString("reason", table.Reason);
        }
        json.WriteEndObject();
    }

    private static void WriteKeys(Utf8JsonWriter json, string name, IEnumerable<ForeignKey> keys)
    {
        json.WriteStartArray(name);
        foreach (var key in keys)
        {
            json.WriteStartObject();
            WriteKey(json, key);
            if (name == "cycleBreaks" && LoadOrder.Unchecked(key))
            {
                // A NOT NULL key that is not DEFERRABLE: the target writes it unchecked for a moment.
                json.WriteBoolean("unchecked", true);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteKey(Utf8JsonWriter json, ForeignKey key)
    {
        json.WriteString("name", key.Name);
        json.WriteString("table", key.Table);
        json.WriteStartArray("columns");
        key.Columns.ToList().ForEach(json.WriteStringValue);
        json.WriteEndArray();
        json.WriteString("refTable", key.RefTable);
    }

    private static void WriteFollow(Utf8JsonWriter json, FollowHint? follow)
    {
        if (follow is null)
        {
            json.WriteNull("follow");
            return;
        }
        json.WriteStartObject("follow");
        json.WriteString("option", follow.Option);
        json.WriteBoolean("works", follow.Works);
        WriteCount(json, "addedRows", follow.Works ? follow.AddedRows : null);
        WriteText(json, "problem", follow.Problem);
        json.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter json, string name, string? text)
    {
        if (text is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, text);
        }
    }

    private static void WriteCount(Utf8JsonWriter json, string name, long? count)
    {
        if (count is { } n)
        {
            json.WriteNumber(name, n);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}
