namespace Ferry.Cli.Remote;

/// <summary>
/// A read-only pass-through that counts the bytes read (what push has sent) and, given a limit,
/// fails with <see cref="SizeLimitExceededException"/> as soon as more than that has come (serve's <c>--max-size</c>).
/// </summary>
public sealed class CountingStream(Stream inner, long limit = long.MaxValue) : Stream
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Count; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

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

    private int Counted(int read)
    {
        return Interlocked.Add(ref _count, read) > limit ? throw new SizeLimitExceededException(limit) : read;
    }
}

/// <summary>The body is larger than the server accepts.</summary>
public sealed class SizeLimitExceededException(long limit) : IOException($"more than {limit:N0} bytes")
{
    public long Limit { get; } = limit;
}
