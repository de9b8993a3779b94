using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Ferry.Archive;

/// <summary>One content of the files section, handed to the caller of <see cref="ArchiveReader.ReadFileContentsAsync"/>.</summary>
/// <param name="Sha256">The content's SHA-256 (its member name); checked once <paramref name="Content"/> is read.</param>
/// <param name="Bytes">The content's size.</param>
/// <param name="Content">The bytes, readable once, only during the callback.</param>
public sealed record FileContent(string Sha256, long Bytes, Stream Content);

// Format version 2's files section: the index chunks, then the contents, each checked as it is read
// and listed for the trailer comparison.
public sealed partial class ArchiveReader
{
    private readonly List<TrailerFile> _readFiles = [];
    private readonly Dictionary<string, long> _indexedContents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _contentNames = new(StringComparer.Ordinal);
    private long _fileReferences;
    private readonly HashSet<string> _readContents = new(StringComparer.Ordinal);
    private int _indexChunks;
    private bool _indexDone;

    /// <summary>The file columns the archive carries files for (none for a version 1 archive).</summary>
    public IReadOnlyList<ManifestFileColumn> FileColumns => Manifest.Files ?? [];

    /// <summary>
    /// After every table was read: yields the file index, one reference per line, in archive order.
    /// Enumerate it fully, then call <see cref="ReadFileContentsAsync"/>. Nothing read is verified
    /// against the trailer before <see cref="VerifyAsync"/>; a malformed line throws <see cref="ArchiveException"/>.
    /// </summary>
    public async IAsyncEnumerable<FileReference> ReadFileIndexAsync([EnumeratorCancellation] CancellationToken ct)
    {
        EnsureFilesNext();
        if (_indexDone)
        {
            throw new InvalidOperationException("the file index is already read");
        }

        var chunk = new List<FileReference>();
        var completed = false;
        _busy = true;
        try
        {
            while (Guard(() => NextIndexChunk(chunk)))
            {
                foreach (var reference in chunk)
                {
                    ct.ThrowIfCancellationRequested();
                    yield return reference;
                }

                chunk.Clear();
            }

            _indexDone = true;
            completed = true;
            await Task.CompletedTask;
        }
        finally
        {
            _busy = false;
            _broken |= !completed;
        }
    }

    /// <summary>
    /// After the index: calls <paramref name="write"/> for every content member in archive order, with a
    /// stream of its bytes. Each content's SHA-256 and size are checked when the callback returns (what
    /// it did not read is read and hashed); a mismatch, a content the index does not list, or one listed
    /// twice throws <see cref="ArchiveException"/>. <see cref="VerifyAsync"/> then checks the trailer.
    /// </summary>
    public async Task ReadFileContentsAsync(Func<FileContent, CancellationToken, Task> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(write);
        EnsureFilesNext();
        if (!_indexDone)
        {
            throw new InvalidOperationException("read the file index first");
        }

        _busy = true;
        var completed = false;
        try
        {
            while (Guard(NextContent) is { } entry)
            {
                ct.ThrowIfCancellationRequested();
                var (tar, sha) = entry;
                using var hashing = new HashingStream(tar.Data, tar.Length);
                try
                {
                    await write(new FileContent(sha, tar.Length, hashing), ct);
                }
                catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException)
                {
                    throw Truncated($"member {tar.Name}: {RowDecoder.OneLine(e.Message)}", e);
                }

                Guard(() => EndContent(tar.Name, sha, tar.Length, hashing));
            }

            completed = true;
        }
        finally
        {
            _busy = false;
            _broken |= !completed;
        }
    }

    private void EnsureFilesNext()
    {
        EnsureUsable();
        if (Manifest.Files is null)
        {
            throw new InvalidOperationException("the archive carries no files");
        }

        if (_nextTable != Manifest.Tables.Count)
        {
            throw new InvalidOperationException($"read table {Manifest.Tables[_nextTable].Name} and those after it first");
        }

        if (_verified)
        {
            throw new InvalidOperationException("the archive is already verified");
        }
    }
}
