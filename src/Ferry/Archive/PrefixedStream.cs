namespace Ferry.Archive;

/// <summary>
/// A read-only stream that yields a few bytes already read (the format sniff), then the rest of the input,
/// and remembers the first <see cref="HeadSize"/> bytes it yielded (the OpenPGP session-key packets) and the
/// last 8 (the gzip trailer, once the input is drained).
/// </summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
{
    /// <summary>How many of the first bytes are kept: enough for the session-key packets of a message.</summary>
    public const int HeadSize = 4096;

    private readonly byte[] _tail = new byte[8];
    private readonly byte[] _head = new byte[HeadSize];
    private int _position;

    /// <summary>Bytes yielded so far.</summary>
    public long Total { get; private set; }

    /// <summary>The first (up to) <see cref="HeadSize"/> bytes yielded.</summary>
    public ReadOnlySpan<byte> Head => _head.AsSpan(0, (int)Math.Min(Total, HeadSize));

    /// <summary>The last (up to) 8 bytes yielded, oldest first.</summary>
    public ReadOnlySpan<byte> Tail => _tail.AsSpan(8 - (int)Math.Min(Total, 8));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (_position < prefix.Length && buffer.Length > 0)
        {
            n = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
        }
        else
        {
            n = inner.Read(buffer);
        }

        Remember(buffer[..n]);
        return n;
    }

    private void Remember(ReadOnlySpan<byte> read)
    {
        if (Total < HeadSize)
        {
            var keep = (int)Math.Min(read.Length, HeadSize - Total);
            read[..keep].CopyTo(_head.AsSpan((int)Total));
        }

        Total += read.Length;
        if (read.Length >= 8)
        {
            read[^8..].CopyTo(_tail);
        }
        else if (read.Length > 0)
        {
            _tail.AsSpan(read.Length).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(8 - read.Length));
        }
    }

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
