using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Archive;

/// <summary>
/// Decodes JSON Lines rows by the manifest column types into an <see cref="IRowValueSink"/>; a value of
/// the wrong JSON kind is an <see cref="ArchiveException"/> naming member and line. One per reader: not thread-safe.
/// </summary>
internal sealed class RowDecoder
{
    // Unescaped text of a string that held JSON escapes; grows to the longest such value, then is reused.
    private byte[] _scratch = new byte[256];

    /// <summary>Decodes one line into <paramref name="sink"/>, ending with <see cref="IRowValueSink.EndRow"/>.</summary>
    public void Decode(ManifestTable table, ReadOnlySpan<byte> line, IRowValueSink sink, string member, long lineNumber)
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

                if (reader.TokenType == JsonTokenType.Null)
                {
                    sink.Null(i);
                }
                else
                {
                    ReadValue(ref reader, i, table, columns[i], sink, member, lineNumber);
                }
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
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // JsonException for bad syntax, InvalidOperationException for a bad escape. A sink reports its
            // own failures with other exception types (a DbException), which pass through.
            throw Bad(member, lineNumber, $"invalid JSON ({OneLine(e.Message)})");
        }

        sink.EndRow();
    }

    private void ReadValue(ref Utf8JsonReader reader, int index, ManifestTable table, ManifestColumn column, IRowValueSink sink, string member, long lineNumber)
    {
        switch (column.Type)
        {
            case FerryType.Int:
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var l))
                {
                    sink.Integer(index, l);
                    return;
                }

                break;
            case FerryType.Float:
                // A number too large for a double would read as infinity: infinity is written "Infinity".
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    sink.Real(index, d);
                    return;
                }

                if (reader.TokenType == JsonTokenType.String && SpecialDouble(ref reader) is { } special)
                {
                    sink.Real(index, special);
                    return;
                }

                break;
            case FerryType.Bool:
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    sink.Boolean(index, reader.GetBoolean());
                    return;
                }

                break;
            case FerryType.Bytes:
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    var encoded = reader.ValueSpan;
                    Grow(Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
                    if (Base64.DecodeFromUtf8(encoded, _scratch, out var consumed, out var written) == OperationStatus.Done
                        && consumed == encoded.Length)
                    {
                        sink.Bytes(index, _scratch.AsSpan(0, written));
                        return;
                    }
                }
                else if (reader.TokenType == JsonTokenType.String && reader.TryGetBytesFromBase64(out var bytes))
                {
                    sink.Bytes(index, bytes);
                    return;
                }

                break;
            default:
                if (reader.TokenType == JsonTokenType.String)
                {
                    var text = Utf8(ref reader, column, member, lineNumber);
                    if (ValueGrammar.Problem(column.Type, text) is { } problem)
                    {
                        throw Invalid(table, column, member, lineNumber, text, problem);
                    }

                    sink.Text(index, text);
                    return;
                }

                break;
        }

        throw Bad(member, lineNumber, $"column {column.Name} ({column.Type.ToName()}) holds an invalid {Kind(reader.TokenType)} value");
    }

    /// <summary>The string's unescaped UTF-8, checked: the reader itself does not validate UTF-8 sequences.</summary>
    private ReadOnlySpan<byte> Utf8(ref Utf8JsonReader reader, ManifestColumn column, string member, long lineNumber)
    {
        ReadOnlySpan<byte> text;
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
        }
        else
        {
            // Unescaping never lengthens a string.
            Grow(reader.ValueSpan.Length);
            text = _scratch.AsSpan(0, reader.CopyString(_scratch));
        }

        return System.Text.Unicode.Utf8.IsValid(text)
            ? text
            : throw Bad(member, lineNumber, $"column {column.Name} holds text that is not valid UTF-8");
    }

    private void Grow(int length)
    {
        if (_scratch.Length < length)
        {
            _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        }
    }

    private static double? SpecialDouble(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("NaN"u8) ? double.NaN
        : reader.ValueTextEquals("Infinity"u8) ? double.PositiveInfinity
        : reader.ValueTextEquals("-Infinity"u8) ? double.NegativeInfinity
        : null;

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "number",
        JsonTokenType.String => "string",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        _ => "JSON",
    };

    private static ArchiveException Invalid(ManifestTable table, ManifestColumn column, string member, long lineNumber, ReadOnlySpan<byte> text, string problem) =>
        new($"the archive holds an invalid value: table {ArchiveText.Show(table.Name)}, column {ArchiveText.Show(column.Name)}, " +
            $"{member} line {lineNumber:N0}: {ArchiveText.Show(System.Text.Encoding.UTF8.GetString(text[..Math.Min(text.Length, 200)]))} is {problem}");

    private static ArchiveException Bad(string member, long lineNumber, string detail) =>
        new($"the archive is damaged or was altered: {member} line {lineNumber}: {detail}");

    internal static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
