using System.Buffers;
using System.Diagnostics;

namespace Ferry.Cli.Remote;

/// <summary>
/// The request body as the import reads it, timed by <see cref="UploadPace"/>: every read may wait only
/// as long as the limits allow, and one that would wait longer fails with <see cref="UploadTooSlowException"/>
/// (and so does every read after it), which ends the import and frees the slot. Only the time spent
/// waiting in a read counts, as with Kestrel's own rate, but here the import can still answer with a
/// report saying so (Kestrel aborts the whole HTTP/2 connection, report and all), and a stall after a
/// good start is caught within a window. <paramref name="aborted"/> (the client went away, the server
/// stops) cancels every read, also the synchronous ones the archive reader makes.
/// </summary>
public sealed class UploadGuard(Stream body, UploadLimits limits, CancellationToken aborted) : Stream
{
    private readonly UploadPace _pace = new(limits);
    private byte[] _first = [];
    private int _firstOffset;
    private bool _ended;

    /// <summary>Set once a limit was passed: what the log and the client are told.</summary>
    public string? Failure { get; private set; }

    /// <summary>Set when reading the body failed otherwise (the connection broke, the client went away).</summary>
    public string? Interrupted { get; private set; }

    /// <summary>Bytes received so far.</summary>
    public long Bytes => _pace.Bytes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Bytes; set => throw new NotSupportedException(); }

    /// <summary>
    /// Waits for the first bytes (which sends "100 Continue" to a client that asked for it) and keeps them
    /// for the first read; false when the body is empty.
    /// </summary>
    public async Task<bool> WaitForFirstBytesAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var read = await ReadAsync(buffer, cancellationToken);
        _first = buffer[..read];
        return read > 0;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            throw new UploadTooSlowException(Failure);
        }
        if (buffer.Length == 0)
        {
            return 0;
        }
        if (_firstOffset < _first.Length)
        {
            var n = Math.Min(buffer.Length, _first.Length - _firstOffset);
            _first.AsMemory(_firstOffset, n).CopyTo(buffer);
            _firstOffset += n;
            return n;
        }
        if (_ended)
        {
            return 0;
        }
        var (left, limit) = _pace.Allowance();
        if (left <= TimeSpan.Zero)
        {
            throw Trip(limit);
        }
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, aborted);
        timer.CancelAfter(left);
        var started = Stopwatch.GetTimestamp();
        int read;
        try
        {
            read = await body.ReadAsync(buffer, timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            _pace.Record(Stopwatch.GetElapsedTime(started), 0);
            throw Trip(limit);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Kestrel may fail the read before it signals RequestAborted: remember that the body broke.
            Interrupted ??= e.Message;
            throw;
        }
        _pace.Record(Stopwatch.GetElapsedTime(started), read);
        _ended = read == 0;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private UploadTooSlowException Trip(string limit)
    {
        Failure ??= _pace.Describe(limit);
        return new UploadTooSlowException(Failure);
    }
}

/// <summary>The client sent its archive too slowly, or stopped sending it: the import ends, nothing is written.</summary>
public sealed class UploadTooSlowException(string message) : IOException(message);
