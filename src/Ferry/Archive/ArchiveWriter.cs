using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Ferry.Archive;

/// <summary>Options of <see cref="ArchiveWriter"/>.</summary>
/// <param name="ChunkBytes">
/// Largest uncompressed size of a data member; a table's rows are split into members of at most this
/// size (a single row larger than this gets a member of its own). This is the writer's memory bound.
/// </param>
/// <param name="Compression">zlib/gzip level: <see cref="CompressionLevel.Fastest"/> by default.</param>
public sealed record ArchiveWriterOptions(int ChunkBytes = ArchiveFormat.ChunkBytes, CompressionLevel Compression = CompressionLevel.Fastest);

/// <summary>
/// Writes an archive (<c>docs/format.md</c>) to a stream: <see cref="WriteManifestAsync"/> once, then
/// <see cref="WriteTableAsync"/> for every manifest table in order, then <see cref="CompleteAsync"/>.
/// Memory stays flat whatever the number of rows: two chunks are buffered at a time, one being encoded
/// and one being written to the output on a pool thread.
/// Disposing without <see cref="CompleteAsync"/> releases resources and leaves an incomplete archive in
/// the output, which any reader rejects; the caller deletes it. Not thread-safe.
/// </summary>
public sealed partial class ArchiveWriter : IAsyncDisposable
{
    private const UnixFileMode MemberMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly Stream _output;
    private readonly ArchiveWriterOptions _options;
    private readonly WriteLayers _layers;
    private readonly TarWriter _tar;
    private ChunkBuffer _chunk;
    private RowEncoder _encoder;
    private readonly List<TrailerMember> _members = [];
    private readonly List<long> _tableRows = [];
    private readonly Dictionary<int, long> _keyRows = [];
    private Manifest? _manifest;
    private DateTimeOffset _memberTime;
    private bool _completed;
    private bool _disposed;

    private ArchiveWriter(Stream output, char[]? password, ArchiveWriterOptions options)
    {
        _output = output;
        _options = options;
        _layers = WriteLayers.Open(password, options.Compression);
        _tar = new TarWriter(_layers.Tar, TarEntryFormat.Ustar, leaveOpen: true);
        _chunk = new ChunkBuffer(Math.Min(options.ChunkBytes, 1 << 20) + 1024);
        _encoder = new RowEncoder(_chunk);
        _spareChunk = new ChunkBuffer(Math.Min(options.ChunkBytes, 1 << 20) + 1024);
        _spareEncoder = new RowEncoder(_spareChunk);
    }

    /// <summary>
    /// Starts an archive on <paramref name="output"/>, which stays open. With a <paramref name="password"/>
    /// the archive is an OpenPGP message; with null it is a plain gzip-compressed tar (<c>--no-encrypt</c>).
    /// The password array is used, not kept: the caller may clear it after <see cref="CompleteAsync"/>.
    /// </summary>
    public static ArchiveWriter Create(Stream output, char[]? password, ArchiveWriterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new ArchiveWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ChunkBytes, 1, nameof(options));
        if (password is { Length: 0 })
        {
            throw new ArgumentException("the password is empty", nameof(password));
        }

        return new ArchiveWriter(output, password, options);
    }

    /// <summary>
    /// Writes <c>manifest.json</c>, the first member. Call exactly once, before any table. The manifest's
    /// <see cref="Manifest.FormatVersion"/> must be <see cref="ArchiveFormat.Version"/>; table names must be unique.
    /// </summary>
    public async Task WriteManifestAsync(Manifest manifest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        EnsureOpen();
        if (_manifest is not null)
        {
            throw new InvalidOperationException("the manifest is already written");
        }

        if (manifest.FormatVersion < ArchiveFormat.VersionFor(manifest.Files, manifest.Incremental is not null) || manifest.FormatVersion > ArchiveFormat.Version)
        {
            throw new ArgumentException(
                $"the manifest must have format version {ArchiveFormat.VersionFor(manifest.Files)} to {ArchiveFormat.Version} for its files", nameof(manifest));
        }

        if (manifest.Tables.Count > 9999)
        {
            throw new ArgumentException("an archive holds at most 9999 tables", nameof(manifest));
        }

        if (manifest.Tables.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != manifest.Tables.Count)
        {
            throw new ArgumentException("the manifest names a table twice", nameof(manifest));
        }

        _manifest = manifest;
        _memberTime = manifest.CreatedAt;
        await WriteMemberAsync(ArchiveFormat.ManifestMember, ArchiveJson.SerializeManifest(manifest), ct);
    }

    /// <summary>
    /// Writes the rows of the next manifest table (each table once, in manifest order, empty ones too)
    /// and returns how many were written. Each row holds the values of the table's columns in manifest
    /// order, as the in-memory types of <see cref="Schema.FerryType"/>; the producer may reuse the array,
    /// since a row is encoded before the next is requested. A value of the wrong type throws
    /// <see cref="InvalidOperationException"/>, leaving an incomplete archive.
    /// </summary>
    public async Task<long> WriteTableAsync(ManifestTable table, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        EnsureOpen();
        var manifest = _manifest ?? throw new InvalidOperationException("write the manifest first");
        var index = _tableRows.Count;
        if (index >= manifest.Tables.Count || !string.Equals(manifest.Tables[index].Name, table.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                index >= manifest.Tables.Count
                    ? $"table {table.Name}: every manifest table is already written"
                    : $"table {table.Name} is out of order: the next manifest table is {manifest.Tables[index].Name}");
        }

        if (index > 0 && ArchiveFormat.HasKeys(manifest, manifest.Tables[index - 1]) && !_keyRows.ContainsKey(index - 1))
        {
            throw new InvalidOperationException($"write the keys of table {manifest.Tables[index - 1].Name} first");
        }

        var total = await WriteRowsAsync(index, table, rows, keys: false, ct);
        _tableRows.Add(total);
        return total;
    }

    /// <summary>
    /// Format version 4: writes the key rows of the table just written (its rows unchanged since the base export), right
    /// after its rows; each row holds the values of the table's primary key columns in key order. Only for a table with
    /// <see cref="ManifestTable.Changed"/> in an incremental manifest, and for each such table once, even with no key rows.
    /// </summary>
    public async Task<long> WriteKeysAsync(ManifestTable table, IAsyncEnumerable<object?[]> keys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keys);
        EnsureOpen();
        var manifest = _manifest ?? throw new InvalidOperationException("write the manifest first");
        var index = _tableRows.Count - 1;
        if (index < 0 || !string.Equals(manifest.Tables[index].Name, table.Name, StringComparison.Ordinal) || _keyRows.ContainsKey(index)
            || !ArchiveFormat.HasKeys(manifest, manifest.Tables[index]))
        {
            throw new InvalidOperationException($"the keys of table {table.Name} go right after its rows, once, and only in an incremental archive whose table names a changed-at column");
        }

        var total = await WriteRowsAsync(index, ArchiveFormat.KeyTable(manifest.Tables[index]), keys, keys: true, ct);
        _keyRows[index] = total;
        return total;
    }

    private async Task<long> WriteRowsAsync(int index, ManifestTable table, IAsyncEnumerable<object?[]> rows, bool keys, CancellationToken ct)
    {
        long total = 0;
        long chunkRows = 0;
        var chunk = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            var before = _chunk.Count;
            _encoder.Write(table, row);
            if (_chunk.Count > _options.ChunkBytes && before > 0)
            {
                // This row would overflow the chunk: emit the rows before it, keep it for the next chunk.
                await EmitChunkAsync(index, table.Name, ++chunk, before, chunkRows, keys, ct);
                chunkRows = 0;
            }

            chunkRows++;
            total++;
            if (_chunk.Count >= _options.ChunkBytes)
            {
                await EmitChunkAsync(index, table.Name, ++chunk, _chunk.Count, chunkRows, keys, ct);
                chunkRows = 0;
            }
        }

        if (chunkRows > 0)
        {
            await EmitChunkAsync(index, table.Name, ++chunk, _chunk.Count, chunkRows, keys, ct);
        }

        return total;
    }

    /// <summary>
    /// Writes <c>trailer.json</c> and closes the tar, compression and encryption layers, then flushes
    /// the output (which stays open). Every manifest table must have been written.
    /// <paramref name="nulledReferences"/> maps table → column → references cut to NULL on export; tables
    /// missing from it had none. Returns the trailer as written.
    /// </summary>
    public async Task<Trailer> CompleteAsync(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> nulledReferences, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nulledReferences);
        EnsureOpen();
        var manifest = _manifest ?? throw new InvalidOperationException("write the manifest first");
        if (_tableRows.Count != manifest.Tables.Count
            || (_tableRows.Count > 0 && ArchiveFormat.HasKeys(manifest, manifest.Tables[^1]) && !_keyRows.ContainsKey(_tableRows.Count - 1)))
        {
            throw new InvalidOperationException(
                $"table {manifest.Tables[_tableRows.Count].Name} and those after it are not written yet");
        }

        foreach (var name in nulledReferences.Keys)
        {
            if (!manifest.Tables.Any(t => string.Equals(t.Name, name, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"nulled references name table {name}, which is not in the manifest", nameof(nulledReferences));
            }
        }

        // The last data member may still be on its way: the trailer lists it.
        await SettleAsync();
        var empty = new Dictionary<string, long>();
        var tables = manifest.Tables
            .Select((t, i) => new TrailerTable(t.Name, _tableRows[i], nulledReferences.GetValueOrDefault(t.Name) ?? empty,
                _keyRows.TryGetValue(i, out var keys) ? keys : null))
            .ToList();
        await FlushFileIndexAsync(ct);
        var trailer = new Trailer(_members.ToList(), tables, manifest.Files is null ? null : _files.ToList());
        await WriteMemberAsync(ArchiveFormat.TrailerMember, ArchiveJson.SerializeTrailer(trailer), ct);
        _tar.Dispose();
        _layers.Finish();
        await _layers.Spool.DrainAsync(_output, ct);
        await _output.FlushAsync(ct);
        _completed = true;
        return trailer;
    }

    /// <summary>Releases resources; without <see cref="CompleteAsync"/> the output holds an incomplete archive.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            AbandonWriteBehind();
            _layers.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private Task WriteMemberAsync(string path, byte[] content, CancellationToken ct) =>
        WriteMemberAsync(path, content, content.Length, ct);

    private async Task WriteMemberAsync(string path, byte[] content, int length, CancellationToken ct)
    {
        await SettleAsync();
        await WriteMemberNowAsync(path, content, length, ct);
    }

    private async Task WriteMemberNowAsync(string path, byte[] content, int length, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        using (var data = new MemoryStream(content, 0, length, writable: false))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, path)
            {
                DataStream = data,
                ModificationTime = _memberTime,
                Mode = MemberMode,
            };
            // The layers below are synchronous and write into the spool; only the real output is async.
            _tar.WriteEntry(entry);
        }

        await _layers.Spool.DrainAsync(_output, ct);
    }

    private void EnsureOpen()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("the archive is already complete");
        }
    }
}
