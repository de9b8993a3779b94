using System.Security.Cryptography;

namespace Ferry.Archive;

// Writing behind: a full data chunk is hashed, compressed, encrypted and sent to the output on a pool
// thread while the next chunk's rows are read and encoded into the other buffer. One chunk at most is
// in flight, so memory stays two chunks; every other write to the layers waits for it first.
public sealed partial class ArchiveWriter
{
    private ChunkBuffer _spareChunk;
    private RowEncoder _spareEncoder;
    private Task? _behind;

    /// <summary>
    /// Hands the first <paramref name="length"/> bytes of the current chunk to the write-behind as member
    /// <paramref name="chunk"/> of the table; the bytes after them (a row kept for the next chunk) move to
    /// the other buffer, which becomes the current one.
    /// </summary>
    private async Task EmitChunkAsync(int tableIndex, string tableName, int chunk, int length, long rows, bool keys, CancellationToken ct)
    {
        if (chunk > 999_999)
        {
            throw new InvalidOperationException($"table {tableName} needs more than 999999 chunks: raise the chunk size");
        }

        await SettleAsync();
        var full = _chunk;
        (_chunk, _spareChunk) = (_spareChunk, _chunk);
        (_encoder, _spareEncoder) = (_spareEncoder, _encoder);
        _chunk.Clear();
        if (full.Count > length)
        {
            full.WrittenSpan[length..].CopyTo(_chunk.GetSpan(full.Count - length));
            _chunk.Advance(full.Count - length);
        }

        var path = keys ? ArchiveFormat.KeysMemberPath(tableIndex + 1, tableName, chunk) : ArchiveFormat.DataMemberPath(tableIndex + 1, tableName, chunk);
        _behind = Task.Run(async () =>
        {
            var digest = Convert.ToHexStringLower(SHA256.HashData(full.Array.AsSpan(0, length)));
            await WriteMemberNowAsync(path, full.Array, length, ct);
            _members.Add(new TrailerMember(path, tableName, digest, rows, length));
        }, ct);
    }

    /// <summary>Waits for the chunk being written behind; its failure surfaces here.</summary>
    private async Task SettleAsync()
    {
        if (_behind is { } behind)
        {
            _behind = null;
            await behind;
        }
    }

    /// <summary>Waits for a chunk still being written, ignoring its failure: the writer is being disposed.</summary>
    private void AbandonWriteBehind()
    {
        try
        {
            _behind?.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The archive is incomplete either way; the caller deletes it.
        }

        _behind = null;
    }
}
