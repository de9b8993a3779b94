using System.Text;
using Ferry.Engines;

namespace Ferry.Archive;

/// <summary>
/// Fills one reused array with the in-memory values of <see cref="Schema.FerryType"/>: what
/// <see cref="ArchiveReader.ReadTableAsync"/> yields.
/// </summary>
internal sealed class ObjectRowSink(object?[] row) : IRowValueSink
{
    public object?[] Row => row;

    public void Null(int column) => row[column] = null;

    public void Integer(int column, long value) => row[column] = value;

    public void Real(int column, double value) => row[column] = value;

    public void Boolean(int column, bool value) => row[column] = value;

    public void Text(int column, ReadOnlySpan<byte> utf8) => row[column] = Encoding.UTF8.GetString(utf8);

    public void Bytes(int column, ReadOnlySpan<byte> value) => row[column] = value.ToArray();

    public void EndRow()
    {
    }
}
