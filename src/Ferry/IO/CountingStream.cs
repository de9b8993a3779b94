namespace Ferry.IO;

/// <summary>
/// A read-only pass-through that counts the bytes read (gzip's ISIZE check, what push has sent)
/// and, given a limit, fails with <see cref="SizeLimitExceededException"/> as soon as more than
/// that has come (serve's <c>--max-size</c>), or with the exception <paramref name="tooMuch"/> makes.
/// Disposing it disposes the inner stream.
/// </summary>
public sealed class CountingStream(Stream inner, long limit = long.MaxValue, Func<long, Exception>? tooMuch = null) : Stream
{
    private long _count;

    /// <summary>Bytes read so far; safe to read from another thread (progress).</summary>
    public long Count => Interlocked.Read(ref _count);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private int Counted(int read) =>
        Interlocked.Add(ref _count, read) > limit ? throw tooMuch?.Invoke(limit) ?? new SizeLimitExceededException(limit) : read;
}

/// <summary>More bytes came than a <see cref="CountingStream"/> accepts.</summary>
public sealed class SizeLimitExceededException(long limit) : IOException($"more than {limit:N0} bytes")
{
    public long Limit { get; } = limit;
}
