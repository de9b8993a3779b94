using System.Globalization;
using System.Text;
using Ferry.Engines;

namespace Ferry.Testing;

/// <summary>An <see cref="IRowValueSink"/> that writes down each value as "column:value" (text as itself, binary as hex, NULL as null) and each row's end as "end".</summary>
public sealed class RecordingRowSink : IRowValueSink
{
    public List<string> Values { get; } = [];

    public void Null(int column) => Values.Add($"{column}:null");

    public void Integer(int column, long value) => Values.Add($"{column}:{value}");

    public void Real(int column, double value) => Values.Add($"{column}:{value.ToString(CultureInfo.InvariantCulture)}");

    public void Boolean(int column, bool value) => Values.Add($"{column}:{value}");

    public void Text(int column, ReadOnlySpan<byte> utf8) => Values.Add($"{column}:{Encoding.UTF8.GetString(utf8)}");

    public void Bytes(int column, ReadOnlySpan<byte> value) => Values.Add($"{column}:{Convert.ToHexString(value)}");

    public void EndRow() => Values.Add("end");
}
