using System.Runtime.InteropServices;

namespace Ferry.Cli.Output;

/// <summary>
/// Writes to a Unix file descriptor with plain <c>write(2)</c> calls, as a C program's stdout does: the
/// kernel's file offset is the only position, so bytes land after what is already in the file, in the
/// order they were written, whatever else shares the descriptor (<c>2&gt;&amp;1</c>, a shell's
/// <c>{ echo; ferry; } &gt; f</c>, <c>&gt;&gt; log</c> with <c>O_APPEND</c>). A <see cref="FileStream"/> on
/// descriptor 1 keeps a position of its own and writes with <c>pwrite</c> there, overwriting what others
/// wrote; the console stream drops writes to a closed pipe, so <c>export -o - | head</c> would succeed.
/// Here a closed pipe is an <see cref="IOException"/> ("Broken pipe"): the runtime ignores SIGPIPE.
/// </summary>
public sealed partial class DescriptorStream(int descriptor) : Stream
{
    /// <summary>A stream for a descriptor that was closed at start: every write fails, as it would have.</summary>
    public static Stream Closed() => new ClosedStream();

    private const int Eintr = 4;
    private const int Eagain = 11;
    private const int Epipe = 32;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            nint written;
            fixed (byte* bytes = buffer)
            {
                written = SysWrite(descriptor, bytes, buffer.Length);
            }
            if (written < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eintr)
                {
                    continue;
                }
                if (errno == Eagain)
                {
                    // A non-blocking descriptor that is full (a pipe set O_NONBLOCK by another process): wait and retry.
                    Thread.Sleep(1);
                    continue;
                }
                throw new IOException(errno == Epipe ? "Broken pipe" : Marshal.GetPInvokeErrorMessage(errno), errno);
            }
            buffer = buffer[(int)written..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Writes to a terminal, pipe or file block briefly at most; a blocking call keeps the order of writes simple.
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private static readonly List<Microsoft.Win32.SafeHandles.SafeFileHandle> _placeholders = [];

    /// <summary>
    /// True when <paramref name="descriptor"/> was closed when the process started (<c>ferry ... &gt;&amp;-</c>). It is then
    /// taken by /dev/null, so that no file Ferry opens later (an archive, a SQLite database) can become descriptor 1 and
    /// receive what is meant for stdout.
    /// </summary>
    public static bool ClosedAtStart(int descriptor)
    {
        if (Fcntl(descriptor, 1 /* F_GETFD */) != -1 || Marshal.GetLastPInvokeError() != 9 /* EBADF */)
        {
            return false;
        }
        // open(2) returns the lowest free descriptor: this one, as the ones below it are open.
        lock (_placeholders)
        {
            _placeholders.Add(File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite));
        }
        return true;
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int descriptor, int command);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint SysWrite(int descriptor, byte* buffer, nint count);
}

/// <summary>stdout closed by the caller: writes fail with "Bad file descriptor", as write(2) on it would.</summary>
internal sealed class ClosedStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new IOException("Bad file descriptor (stdout is closed)");
}
