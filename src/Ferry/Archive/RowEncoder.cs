using System.Text.Encodings.Web;
using System.Text.Json;
using Ferry.Schema;

namespace Ferry.Archive;

/// <summary>
/// Writes rows as JSON Lines into a <see cref="ChunkBuffer"/>: one JSON array per line, values in
/// manifest column order, encoded by column type as <c>docs/format.md</c> specifies.
/// </summary>
internal sealed class RowEncoder
{
    // Relaxed escaping keeps non-ASCII text as UTF-8; the output is JSON, never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly ChunkBuffer _buffer;
    private readonly Utf8JsonWriter _json;

    public RowEncoder(ChunkBuffer buffer)
    {
        _buffer = buffer;
        _json = new Utf8JsonWriter(buffer, WriterOptions);
    }

    /// <summary>Appends one row and its line feed.</summary>
    public void Write(ManifestTable table, object?[] row)
    {
        var columns = table.Columns;
        if (row.Length != columns.Count)
        {
            throw new InvalidOperationException(
                $"table {table.Name}: a row has {row.Length} values for {columns.Count} columns");
        }

        _json.Reset(_buffer);
        _json.WriteStartArray();
        for (var i = 0; i < row.Length; i++)
        {
            WriteValue(table, columns[i], row[i]);
        }

        _json.WriteEndArray();
        _json.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    private void WriteValue(ManifestTable table, ManifestColumn column, object? value)
    {
        switch (value)
        {
            case null:
                _json.WriteNullValue();
                break;
            case long l when column.Type == FerryType.Int:
                _json.WriteNumberValue(l);
                break;
            case double d when column.Type == FerryType.Float:
                if (double.IsFinite(d))
                {
                    _json.WriteNumberValue(d);
                }
                else
                {
                    _json.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }

                break;
            case bool b when column.Type == FerryType.Bool:
                _json.WriteBooleanValue(b);
                break;
            case byte[] bytes when column.Type == FerryType.Bytes:
                _json.WriteBase64StringValue(bytes);
                break;
            case string s when column.Type is not (FerryType.Int or FerryType.Float or FerryType.Bool or FerryType.Bytes):
                _json.WriteStringValue(s);
                break;
            default:
                throw new InvalidOperationException(
                    $"column {table.Name}.{column.Name} is {column.Type.ToName()} but a row holds a {value.GetType().Name}");
        }
    }
}
