namespace Ferry.Engines;

/// <summary>
/// Receives the values of rows one at a time, straight from the archive's bytes: a bulk loader that
/// binds UTF-8 itself (SQLite) takes rows this way without an object per value. The spans are valid
/// only during the call. Columns arrive in order, each exactly once, then <see cref="EndRow"/>.
/// </summary>
public interface IRowValueSink
{
    void Null(int column);

    void Integer(int column, long value);

    void Real(int column, double value);

    void Boolean(int column, bool value);

    /// <summary>Text of any text-like type (text, decimal, dates, UUID, JSON), as valid UTF-8.</summary>
    void Text(int column, ReadOnlySpan<byte> utf8);

    void Bytes(int column, ReadOnlySpan<byte> value);

    /// <summary>Called after the last value of each row.</summary>
    void EndRow();
}

/// <summary>
/// Rows for a bulk load that can also be pushed into an <see cref="IRowValueSink"/>. Enumerate it or
/// push it, once; either way every row is read and checked the same.
/// </summary>
public interface IRowValueSource : IAsyncEnumerable<object?[]>
{
    /// <summary>Pushes every row into <paramref name="sink"/>; returns how many.</summary>
    Task<long> PushAsync(IRowValueSink sink, CancellationToken cancellationToken);
}
