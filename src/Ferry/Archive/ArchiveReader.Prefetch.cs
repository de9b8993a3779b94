using System.Security.Cryptography;

namespace Ferry.Archive;

// Reading ahead: while the caller decodes one data member, a pool thread reads the next one (decrypts,
// inflates, hashes). The layers are the same work either way; on a second core they overlap the
// decoding and the database's load instead of preceding them. Only one thread touches the tar at a
// time: every step that reads it settles the read-ahead first.
public sealed partial class ArchiveReader
{
    private Task<Fetched>? _ahead;
    private ChunkBuffer _spare = new(1 << 16);
    private Fetched? _pendingLoad;

    /// <summary>The next tar entry and, for a data member, its bytes and digest.</summary>
    private sealed record Fetched(TarMember? Entry, ChunkBuffer? Buffer, string? Sha256);

    /// <summary>Starts reading the next member into the spare buffer, which nothing else uses until it is settled.</summary>
    private void ReadAhead()
    {
        var into = _spare;
        _ahead = Task.Run(() => Fetch(into));
    }

    // A data member is loaded whole, as NextMemberOf would; any other entry only has its header read.
    private Fetched Fetch(ChunkBuffer into)
    {
        var entry = _tar.Next();
        if (entry is null || !IsFile(entry) || !ArchiveFormat.TryParseRowMemberPath(entry.Name, out _, out _, out _) || entry.Length > _options.MaxMemberBytes)
        {
            return new Fetched(entry, null, null);
        }

        LoadLimited(entry, into);
        return new Fetched(entry, into, Convert.ToHexStringLower(SHA256.HashData(into.WrittenSpan)));
    }

    /// <summary>Waits for the read-ahead and makes its entry the pending one; a failure to read surfaces here.</summary>
    private void Settle()
    {
        if (_ahead is not { } ahead)
        {
            return;
        }

        _ahead = null;
        var fetched = ahead.GetAwaiter().GetResult();
        _pending = fetched.Entry;
        _pendingLoad = fetched.Buffer is null ? null : fetched;
    }

    /// <summary>The next entry, read ahead or now; it stays pending until <see cref="Take"/>.</summary>
    private TarMember? Peek()
    {
        Settle();
        return _pending ??= _tar.Next();
    }

    private void Take()
    {
        _pending = null;
        _pendingLoad = null;
    }

    /// <summary>Puts the pending data member's bytes into <see cref="_member"/> and returns its digest.</summary>
    private string TakeData(TarMember entry)
    {
        var loaded = _pendingLoad;
        Take();
        if (loaded is not null && ReferenceEquals(loaded.Entry, entry))
        {
            // The decoded member's buffer becomes the spare one: the caller is done with it.
            (_member, _spare) = (loaded.Buffer!, _member);
            return loaded.Sha256!;
        }

        LoadLimited(entry, _member);
        return Convert.ToHexStringLower(SHA256.HashData(_member.WrittenSpan));
    }

    /// <summary>Waits for a read-ahead still running, ignoring its failure: the reader is being disposed.</summary>
    private void AbandonReadAhead()
    {
        try
        {
            _ahead?.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nothing reads further: a damaged archive has already been or will never be reported.
        }

        _ahead = null;
    }
}
