using System.Formats.Tar;
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
                using var hashing = new HashingStream(tar.DataStream ?? Stream.Null, tar.Length);
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

    // Loads the next index chunk and parses its lines into chunk; false when the next member is not one.
    private bool NextIndexChunk(List<FileReference> chunk)
    {
        var entry = _pending ??= _tar.GetNextEntry() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        if (!ArchiveFormat.TryParseFileIndexMemberPath(entry.Name, out var number) || !IsFile(entry))
        {
            return false;
        }

        if (number != _indexChunks + 1)
        {
            throw Damaged($"member {entry.Name} is out of order (expected chunk {_indexChunks + 1})");
        }

        _pending = null;
        _indexChunks++;
        LoadMember(entry, _member, int.MaxValue);
        if (_member.Count == 0 || _member.WrittenSpan[^1] != (byte)'\n')
        {
            throw Damaged($"member {entry.Name} does not end with a line feed");
        }

        var offset = 0;
        while (offset < _member.Count)
        {
            var rest = _member.WrittenSpan[offset..];
            var end = rest.IndexOf((byte)'\n');
            FileReference reference;
            try
            {
                reference = FileReference.Parse(rest[..end]);
            }
            catch (FormatException e)
            {
                throw Damaged($"{entry.Name} line {chunk.Count + 1}: {e.Message}");
            }

            if (!FileColumns.Contains(new ManifestFileColumn(reference.Store, reference.Table, reference.Column)))
            {
                throw Damaged($"{entry.Name} line {chunk.Count + 1}: {reference.Table}.{reference.Column} of store {reference.Store} is not a file column of the manifest");
            }

            if (reference.Sha256 is { } sha && _indexedContents.TryGetValue(sha, out var bytes) && bytes != reference.Bytes)
            {
                throw Damaged($"{entry.Name} line {chunk.Count + 1}: content {sha} is listed with two sizes");
            }

            if (reference.Sha256 is { } digest)
            {
                _indexedContents[digest] = reference.Bytes!.Value;
            }

            chunk.Add(reference);
            offset += end + 1;
        }

        _readFiles.Add(new TrailerFile(entry.Name, Convert.ToHexStringLower(SHA256.HashData(_member.WrittenSpan)), _member.Count, chunk.Count));
        return true;
    }

    // The next content member and its digest; null when the next member is not one.
    private (TarEntry Entry, string Sha256)? NextContent()
    {
        var entry = _pending ??= _tar.GetNextEntry() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        if (entry.Name == ArchiveFormat.TrailerMember && IsFile(entry))
        {
            return null;
        }

        if (!ArchiveFormat.TryParseFileContentMemberPath(entry.Name, out var sha) || !IsFile(entry))
        {
            throw Damaged($"unexpected member {entry.Name}");
        }

        _pending = null;
        if (!_indexedContents.TryGetValue(sha, out var bytes))
        {
            throw Damaged($"member {entry.Name} is not listed in the file index");
        }

        if (!_readContents.Add(sha))
        {
            throw Damaged($"member {entry.Name} appears twice");
        }

        if (bytes != entry.Length)
        {
            throw Damaged($"member {entry.Name} holds {entry.Length} bytes, the file index says {bytes}");
        }

        return (entry, sha);
    }

    private bool EndContent(string name, string sha, long length, HashingStream content)
    {
        content.CopyTo(Stream.Null);
        if (content.BytesRead != length)
        {
            throw Truncated($"member {name} ended after {content.BytesRead} of {length} bytes");
        }

        if (content.Digest() != sha)
        {
            throw Damaged($"{name} does not match its SHA-256 digest");
        }

        _readFiles.Add(new TrailerFile(name, sha, length, 0));
        return true;
    }

    // Before the trailer: whatever part of the files section the caller did not read is read and checked.
    private void SkipFiles()
    {
        if (Manifest.Files is null)
        {
            return;
        }

        var chunk = new List<FileReference>();
        while (!_indexDone && NextIndexChunk(chunk))
        {
            chunk.Clear();
        }

        _indexDone = true;
        while (NextContent() is var (entry, sha))
        {
            using var hashing = new HashingStream(entry.DataStream ?? Stream.Null, entry.Length);
            EndContent(entry.Name, sha, entry.Length, hashing);
        }
    }

    private void CompareFiles(Trailer trailer)
    {
        if ((trailer.Files is null) != (Manifest.Files is null))
        {
            throw Damaged(trailer.Files is null ? "the trailer lists no files, the manifest declares file columns" : "the trailer lists files, the manifest declares no file columns");
        }

        var listed = trailer.Files ?? [];
        if (listed.Count != _readFiles.Count)
        {
            throw Damaged($"the trailer lists {listed.Count} file members, the archive holds {_readFiles.Count}");
        }

        foreach (var (expected, read) in listed.Zip(_readFiles))
        {
            if (expected != read)
            {
                throw Damaged(expected.Path != read.Path
                    ? $"the trailer lists {expected.Path} where the archive holds {read.Path}"
                    : $"{read.Path} does not match its SHA-256 digest, size or reference count in the trailer");
            }
        }

        if (_indexedContents.Keys.FirstOrDefault(sha => !_readContents.Contains(sha)) is { } absent)
        {
            throw Damaged($"the file index lists content {absent}, which the archive does not hold");
        }
    }

    /// <summary>The manifest's file columns must name columns of its tables, and only from format version 2 on.</summary>
    private static void CheckFileColumns(Manifest manifest)
    {
        if (manifest.Files is not { } files)
        {
            return;
        }

        if (manifest.FormatVersion < ArchiveFormat.Version)
        {
            throw Damaged($"the manifest declares file columns, which format version {manifest.FormatVersion} does not have");
        }

        foreach (var file in files)
        {
            if (manifest.Tables.FirstOrDefault(t => t.Name == file.Table) is not { } table || table.Columns.All(c => c.Name != file.Column))
            {
                throw Damaged($"the manifest declares files in {file.Table}.{file.Column}, which is not a column of its tables");
            }
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

    /// <summary>
    /// A read-only pass-through that hashes and counts what is read, and never asks the member for more
    /// than it holds: at its end the tar's stream would pass a zero-length read down to BouncyCastle,
    /// which takes it for a premature end of the packet.
    /// </summary>
    private sealed class HashingStream(Stream inner, long length) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long BytesRead { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public string Digest() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var wanted = (int)Math.Min(buffer.Length, length - BytesRead);
            if (wanted <= 0)
            {
                return 0;
            }

            var read = inner.Read(buffer[..wanted]);
            _hash.AppendData(buffer[..read]);
            BytesRead += read;
            return read;
        }

        // The layers below are synchronous (BouncyCastle): reading completes synchronously.
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
