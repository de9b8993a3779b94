using System.Security.Cryptography;

namespace Ferry.Archive;

// Format version 2's files section, after the data members: the index chunks, then each distinct
// content once. Content is streamed in pieces, so a file is never held in memory.
public sealed partial class ArchiveWriter
{
    private const int ContentPiece = 1 << 20;

    private readonly List<TrailerFile> _files = [];
    private readonly HashSet<string> _contents = new(StringComparer.Ordinal);
    private long _indexReferences;
    private int _indexChunk;
    private bool _writingContents;

    /// <summary>
    /// Adds a line to the file index, after every table and before any content. The reference's
    /// (store, table, column) must be one of the manifest's <see cref="Manifest.Files"/>. Index chunks
    /// of at most <see cref="ArchiveWriterOptions.ChunkBytes"/> are written as they fill.
    /// </summary>
    public async Task WriteFileReferenceAsync(FileReference reference, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var manifest = EnsureFilesSection();
        if (_writingContents)
        {
            throw new InvalidOperationException("the file index is complete once a content is written");
        }

        if (!manifest.Files!.Any(f => f.Is(reference.Store, reference.Table, reference.Column)))
        {
            throw new ArgumentException($"{reference.Table}.{reference.Column} of store {reference.Store} is not a file column of the manifest", nameof(reference));
        }

        reference.WriteLine(_chunk);
        _indexReferences++;
        if (_chunk.Count >= _options.ChunkBytes)
        {
            await FlushFileIndexAsync(ct);
        }
    }

    /// <summary>
    /// Writes the content member <c>files/sha256/{sha256}</c>, streaming <paramref name="length"/>
    /// bytes from <paramref name="content"/> (each content once, after the whole index). The bytes are
    /// hashed as they are written: content of another length or digest (a file that changed since
    /// it was hashed) throws <see cref="InvalidDataException"/>, leaving an incomplete archive.
    /// </summary>
    public async Task WriteFileAsync(string sha256, long length, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        EnsureFilesSection();
        if (!ArchiveFormat.IsSha256(sha256))
        {
            throw new ArgumentException("expected 64 lower-case hex digits", nameof(sha256));
        }

        if (length > TarHeader.MaxSize)
        {
            throw new InvalidDataException($"{length:N0} bytes: the archive holds files of at most {TarHeader.MaxSize:N0} bytes");
        }

        if (!_contents.Add(sha256))
        {
            throw new InvalidOperationException($"content {sha256} is already written");
        }

        await FlushFileIndexAsync(ct);
        await SettleAsync();
        _writingContents = true;
        var path = ArchiveFormat.FileContentMemberPath(sha256);
        _layers.Tar.Write(TarHeader.RegularFile(path, length, _memberTime));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[(int)Math.Min(ContentPiece, Math.Max(length, 1))];
        long written = 0;
        while (written < length)
        {
            var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - written)), ct);
            if (read == 0)
            {
                throw new InvalidDataException($"the content ended after {written:N0} of {length:N0} bytes");
            }

            hash.AppendData(buffer, 0, read);
            _layers.Tar.Write(buffer, 0, read);
            written += read;
            await _layers.Spool.DrainAsync(_output, ct);
        }

        if (await content.ReadAsync(buffer.AsMemory(0, 1), ct) != 0)
        {
            throw new InvalidDataException($"the content is longer than {length:N0} bytes");
        }

        _layers.Tar.Write(new byte[TarHeader.Padding(length)]);
        await _layers.Spool.DrainAsync(_output, ct);
        if (Convert.ToHexStringLower(hash.GetHashAndReset()) != sha256)
        {
            throw new InvalidDataException("the content does not match its SHA-256 digest");
        }

        _files.Add(new TrailerFile(path, sha256, length, 0));
    }

    // The pending index lines, if any, become the next index chunk.
    private async Task FlushFileIndexAsync(CancellationToken ct)
    {
        if (_indexReferences == 0)
        {
            return;
        }

        var path = ArchiveFormat.FileIndexMemberPath(++_indexChunk);
        var digest = Convert.ToHexStringLower(SHA256.HashData(_chunk.WrittenSpan));
        await WriteMemberAsync(path, _chunk.Array, _chunk.Count, ct);
        _files.Add(new TrailerFile(path, digest, _chunk.Count, _indexReferences));
        _chunk.Clear();
        _indexReferences = 0;
    }

    private Manifest EnsureFilesSection()
    {
        EnsureOpen();
        var manifest = _manifest ?? throw new InvalidOperationException("write the manifest first");
        if (manifest.Files is null)
        {
            throw new InvalidOperationException("the manifest declares no file columns");
        }

        if (_tableRows.Count != manifest.Tables.Count)
        {
            throw new InvalidOperationException("files follow the data: write every table first");
        }

        return manifest;
    }
}
