using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ferry.Archive;

/// <summary>
/// One line of the file index: the value <paramref name="Path"/> of <paramref name="Table"/>.<paramref name="Column"/>
/// names a file of store <paramref name="Store"/> whose content is the member <c>files/sha256/{Sha256}</c>.
/// <paramref name="Sha256"/> and <paramref name="Bytes"/> are null for a file that was missing at export
/// (<c>missing: warn</c>): the rows keep the path, no content travels.
/// </summary>
public sealed record FileReference(string Store, string Table, string Column, string Path, string? Sha256, long? Bytes)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>True when the file was missing at export.</summary>
    public bool Missing => Sha256 is null;

    /// <summary>Appends the index line (a JSON object and a line feed) to <paramref name="output"/>.</summary>
    internal void WriteLine(ChunkBuffer output)
    {
        using (var json = new Utf8JsonWriter(output, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("store", Store);
            json.WriteString("table", Table);
            json.WriteString("column", Column);
            json.WriteString("path", Path);
            if (Sha256 is null)
            {
                json.WriteNull("sha256");
                json.WriteNull("bytes");
            }
            else
            {
                json.WriteString("sha256", Sha256);
                json.WriteNumber("bytes", Bytes ?? 0);
            }

            json.WriteEndObject();
        }

        output.GetSpan(1)[0] = (byte)'\n';
        output.Advance(1);
    }

    /// <summary>Parses one index line (without its line feed); throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static FileReference Parse(ReadOnlySpan<byte> line)
    {
        try
        {
            using var document = JsonDocument.Parse(line.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("an index line must be a JSON object");
            }

            string Text(string name) =>
                root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
                    ? s
                    : throw new FormatException($"\"{name}\" must be a non-empty string");

            var sha = root.TryGetProperty("sha256", out var digest) ? digest : default;
            var bytes = root.TryGetProperty("bytes", out var size) ? size : default;
            if (sha.ValueKind == JsonValueKind.Null && bytes.ValueKind == JsonValueKind.Null)
            {
                return new FileReference(Text("store"), Text("table"), Text("column"), Text("path"), null, null);
            }

            if (sha.ValueKind != JsonValueKind.String || !ArchiveFormat.IsSha256(sha.GetString()))
            {
                throw new FormatException("\"sha256\" must be 64 lower-case hex digits, or null with \"bytes\" null");
            }

            if (bytes.ValueKind != JsonValueKind.Number || !bytes.TryGetInt64(out var length) || length < 0)
            {
                throw new FormatException("\"bytes\" must be a non-negative integer");
            }

            return new FileReference(Text("store"), Text("table"), Text("column"), Text("path"), sha.GetString(), length);
        }
        catch (JsonException e)
        {
            throw new FormatException(RowDecoder.OneLine(e.Message), e);
        }
    }
}
