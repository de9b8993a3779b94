namespace Ferry.Archive;

/// <summary>
/// The bottom of the writer's synchronous layer stack (BouncyCastle and zlib write synchronously):
/// collects their output so the writer can copy it to the real output asynchronously after each
/// member. Holds at most one member's compressed bytes.
/// </summary>
internal sealed class SpoolStream : Stream
{
    private readonly ChunkBuffer _buffer = new(1 << 16);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Copies what was written since the last drain to <paramref name="output"/>, then forgets it.</summary>
    public async Task DrainAsync(Stream output, CancellationToken ct)
    {
        if (_buffer.Count > 0)
        {
            await output.WriteAsync(_buffer.Array.AsMemory(0, _buffer.Count), ct);
            _buffer.Clear();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        buffer.CopyTo(_buffer.GetSpan(buffer.Length));
        _buffer.Advance(buffer.Length);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
