using System.Text.Json;
using Ferry.Schema;

namespace Ferry.Archive;

/// <summary>
/// Decodes one JSON Lines row into the in-memory values of <see cref="FerryType"/>, by the manifest
/// column types; a value of the wrong JSON kind is an <see cref="ArchiveException"/> naming member and line.
/// </summary>
internal static class RowDecoder
{
    public static void Decode(ManifestTable table, ReadOnlySpan<byte> line, object?[] row, string member, long lineNumber)
    {
        var columns = table.Columns;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                throw Bad(member, lineNumber, "a row must be a JSON array");
            }

            for (var i = 0; i < columns.Count; i++)
            {
                if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
                {
                    throw Bad(member, lineNumber, $"the row has {i} values for {columns.Count} columns");
                }

                row[i] = reader.TokenType == JsonTokenType.Null ? null : ReadValue(ref reader, columns[i], member, lineNumber);
            }

            if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
            {
                throw Bad(member, lineNumber, $"the row has more than {columns.Count} values");
            }

            if (reader.Read())
            {
                throw Bad(member, lineNumber, "text follows the row");
            }
        }
        catch (Exception e) when (e is not ArchiveException)
        {
            // JsonException for bad syntax, InvalidOperationException for invalid UTF-8 in a string.
            throw Bad(member, lineNumber, $"invalid JSON ({OneLine(e.Message)})");
        }
    }

    private static object ReadValue(ref Utf8JsonReader reader, ManifestColumn column, string member, long lineNumber)
    {
        switch (column.Type)
        {
            case FerryType.Int:
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l))
                {
                    return l;
                }

                break;
            case FerryType.Float:
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d))
                {
                    return d;
                }

                if (reader.TokenType == JsonTokenType.String)
                {
                    if (reader.ValueTextEquals("NaN"u8))
                    {
                        return double.NaN;
                    }

                    if (reader.ValueTextEquals("Infinity"u8))
                    {
                        return double.PositiveInfinity;
                    }

                    if (reader.ValueTextEquals("-Infinity"u8))
                    {
                        return double.NegativeInfinity;
                    }
                }

                break;
            case FerryType.Bool:
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    return reader.GetBoolean();
                }

                break;
            case FerryType.Bytes:
                if (reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes))
                {
                    return bytes;
                }

                break;
            default:
                if (reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString()!;
                }

                break;
        }

        throw Bad(member, lineNumber, $"column {column.Name} ({column.Type.ToName()}) holds an invalid {Kind(reader.TokenType)} value");
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "number",
        JsonTokenType.String => "string",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        _ => "JSON",
    };

    private static ArchiveException Bad(string member, long lineNumber, string detail) =>
        new($"the archive is damaged or was altered: {member} line {lineNumber}: {detail}");

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
