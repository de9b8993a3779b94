using System.Buffers;

namespace Ferry.Archive;

/// <summary>
/// A reusable, growable byte buffer: the one chunk a writer holds, or the one member a reader holds.
/// It grows to the largest chunk seen and is then reused, so memory does not grow with rows.
/// </summary>
internal sealed class ChunkBuffer(int initialCapacity) : IBufferWriter<byte>
{
    private byte[] _buffer = new byte[Math.Max(initialCapacity, 256)];

    public int Count { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Count);

    /// <summary>The buffer and its count, for a read-only <see cref="MemoryStream"/> over the written bytes.</summary>
    public byte[] Array => _buffer;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - Count);
        Count += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(Count);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(Count);
    }

    public void Clear() => Count = 0;

    /// <summary>Keeps only the bytes from <paramref name="start"/> on, moved to the front.</summary>
    public void RemoveStart(int start)
    {
        _buffer.AsSpan(start, Count - start).CopyTo(_buffer);
        Count -= start;
    }

    /// <summary>Makes room for <paramref name="size"/> more bytes.</summary>
    public void Ensure(int size)
    {
        size = Math.Max(size, 1);
        if (_buffer.Length - Count >= size)
        {
            return;
        }

        var capacity = (int)Math.Min(Math.Max((long)_buffer.Length * 2, (long)Count + size), System.Array.MaxLength);
        if (capacity - Count < size)
        {
            throw new InvalidOperationException("a chunk cannot exceed 2 GiB");
        }

        System.Array.Resize(ref _buffer, capacity);
    }
}
