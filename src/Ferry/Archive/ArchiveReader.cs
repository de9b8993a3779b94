using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Security.Cryptography;
using Ferry.Engines;

namespace Ferry.Archive;

/// <summary>
/// Reads an archive (<c>docs/format.md</c>), streaming: <c>OpenAsync</c> reads up to the manifest,
/// <see cref="ReadTableAsync"/> yields each table's rows in manifest order, <see cref="VerifyAsync"/> checks
/// the trailer, every digest and count, and the OpenPGP integrity check (or the gzip CRC).
/// <para>Rows are yielded before the archive is verified: nothing read may be committed before
/// <see cref="VerifyAsync"/> returns.</para>
/// <para>Every failure to read is an <see cref="ArchiveException"/> with a one-line message; calling
/// methods out of order is an <see cref="InvalidOperationException"/>. The input is read synchronously
/// (BouncyCastle has no async API), so the tasks complete synchronously. Not thread-safe; the reader
/// itself reads the next data member on a pool thread while the caller consumes the current one, so
/// the input is read from another thread and up to two data members are held in memory.</para>
/// </summary>
public sealed partial class ArchiveReader : IAsyncDisposable
{
    private readonly ReadLayers _layers;
    private readonly ArchiveReadOptions _options;
    private readonly TarInput _tar;
    private ChunkBuffer _member = new(1 << 16);
    private readonly RowDecoder _decoder = new();
    private readonly List<TrailerMember> _read = [];
    private readonly long[] _tableRows;
    private readonly long[] _keyRows;
    private bool _keysDue;
    private TarMember? _pending;
    private int _nextTable;
    private bool _busy;
    private bool _broken;
    private bool _verified;
    private bool _disposed;

    private ArchiveReader(ReadLayers layers, TarInput tar, Manifest manifest, ArchiveReadOptions options)
    {
        _layers = layers;
        _options = options;
        _tar = tar;
        Manifest = manifest;
        _tableRows = new long[manifest.Tables.Count];
        _keyRows = new long[manifest.Tables.Count];
    }

    /// <summary>The manifest, read and validated by <c>OpenAsync</c>.</summary>
    public Manifest Manifest { get; }

    /// <summary>True for an OpenPGP archive, false for a plain tar.gz.</summary>
    public bool Encrypted => _layers.Encrypted;

    /// <summary>The cipher of an encrypted archive (<c>AES-256</c>), null for a plain one.</summary>
    public string? Cipher => _layers.Cipher is { } cipher ? ReadLayers.CipherName(cipher) : null;

    /// <summary>Opens an archive with <see cref="ArchiveReadOptions.Default"/>: OpenPGP only.</summary>
    public static Task<ArchiveReader> OpenAsync(Stream input, Func<char[]?> password, CancellationToken ct) =>
        OpenAsync(input, password, ArchiveReadOptions.Default, ct);

    /// <summary>
    /// Opens an archive and reads up to and including its manifest, which it validates. <paramref name="password"/>
    /// is called only when the archive is encrypted; returning null there throws <see cref="ArchiveException"/>
    /// asking for one. Every refusal is an <see cref="ArchiveException"/> that says which it is: not OpenPGP, a
    /// plain archive that <paramref name="options"/> does not allow, no integrity protection, a weak cipher, a
    /// wrong password, damage (with where), not a Ferry archive, a newer format version, an invalid manifest.
    /// <paramref name="input"/> stays open.
    /// </summary>
    public static Task<ArchiveReader> OpenAsync(Stream input, Func<char[]?> password, ArchiveReadOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        ct.ThrowIfCancellationRequested();
        ReadLayers? layers = null;
        try
        {
            layers = ReadLayers.Open(input, password, options);
            var tar = new TarInput(layers.Tar);
            var manifest = ReadManifest(tar, layers);
            var reader = new ArchiveReader(layers, tar, manifest, options);
            // The first data member is read while the caller opens the target and reads its schema.
            reader.ReadAhead();
            return Task.FromResult(reader);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var position = layers?.InputPosition;
            layers?.Dispose();
            // A FerryException (from the password callback, or ours) already says what to do.
            throw e as FerryException ?? Failure(e, position ?? 0);
        }
    }

    private static Manifest ReadManifest(TarInput tar, ReadLayers layers)
    {
        TarMember? entry;
        try
        {
            entry = tar.Next();
        }
        catch (Exception e) when (e is TarFormatException or InvalidDataException or EndOfStreamException)
        {
            // Decrypted data that passed the password's check bytes but is no tar: a tampered message, or a
            // 1-in-65,536 wrong password; either way the integrity check would fail at the end.
            throw new ArchiveException(layers.Encrypted
                ? "not a Ferry archive, or a wrong password: the decrypted data is not a tar stream"
                : "not a Ferry archive: the decompressed data is not a tar stream");
        }

        if (entry is null || entry.Name != ArchiveFormat.ManifestMember || !entry.IsFile)
        {
            throw new ArchiveException(entry is null
                ? "not a Ferry archive: its tar stream is empty"
                : $"not a Ferry archive: its first member is {ArchiveText.Show(entry.Name)}, not {ArchiveFormat.ManifestMember}");
        }

        Manifest manifest;
        try
        {
            manifest = ArchiveJson.DeserializeManifest(ReadSmallMember(entry, new ChunkBuffer(1 << 12)));
        }
        catch (JsonException e)
        {
            throw new ArchiveException($"the archive's manifest is invalid: {RowDecoder.OneLine(e.Message)}");
        }

        ManifestCheck.Validate(manifest);
        CheckFileColumns(manifest);
        return manifest;
    }

    /// <summary>
    /// Yields the rows of the next table in manifest order. Call it for every table, in order, empty ones
    /// too, and enumerate it fully before the next call. Values are the in-memory types of
    /// <see cref="Schema.FerryType"/> in manifest column order. The same array is reused for every row:
    /// copy what must outlive the next row. Digests are recorded here and checked by <see cref="VerifyAsync"/>.
    /// </summary>
    public async IAsyncEnumerable<object?[]> ReadTableAsync(ManifestTable table, [EnumeratorCancellation] CancellationToken ct)
    {
        // Rows hold the values of the manifest's table (Rows refuses any other table).
        var sink = new ObjectRowSink(new object?[_nextTable < Manifest.Tables.Count ? Manifest.Tables[_nextTable].Columns.Count : 0]);
        foreach (var _ in Rows(table, sink))
        {
            ct.ThrowIfCancellationRequested();
            yield return sink.Row;
        }

        await Task.CompletedTask;
    }

    /// <summary>
    /// Reads the next table in manifest order like <see cref="ReadTableAsync"/>, pushing each row into
    /// <paramref name="sink"/> as spans instead of objects; returns the number of rows. Runs synchronously.
    /// </summary>
    public Task<long> PushTableAsync(ManifestTable table, IRowValueSink sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sink);
        long rows = 0;
        foreach (var _ in Rows(table, sink))
        {
            if ((++rows & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }

        return Task.FromResult(rows);
    }

    /// <summary>
    /// Format version 4: yields the key rows of the table just read (its rows unchanged since the base export), each the
    /// values of its primary key columns in key order. Call it right after the table's rows, for every table that
    /// <see cref="ArchiveFormat.HasKeys"/> says has them, and for no other. The same array is reused for every row.
    /// </summary>
    public async IAsyncEnumerable<object?[]> ReadKeysAsync(ManifestTable table, [EnumeratorCancellation] CancellationToken ct)
    {
        var sink = new ObjectRowSink(new object?[table.PrimaryKey.Count]);
        foreach (var _ in Rows(table, sink, keys: true))
        {
            ct.ThrowIfCancellationRequested();
            yield return sink.Row;
        }

        await Task.CompletedTask;
    }

    /// <summary>Decodes the next table's rows (or the key rows of the table just read) into <paramref name="sink"/>, one step per row, member by member, recording each member for the trailer check.</summary>
    private IEnumerable<long> Rows(ManifestTable table, IRowValueSink sink, bool keys = false)
    {
        var number = keys ? BeginKeys(table) : BeginTable(table);
        var shape = keys ? ArchiveFormat.KeyTable(Manifest.Tables[number - 1]) : Manifest.Tables[number - 1];
        var chunk = 0;
        long total = 0;
        var completed = false;
        try
        {
            while (Guard(() => NextMemberOf(number, chunk + 1, keys)) is { } member)
            {
                chunk++;
                long rows = 0;
                var offset = 0;
                while (offset < _member.Count)
                {
                    offset = DecodeLine(shape, member.Name, offset, rows + 1, sink);
                    rows++;
                    yield return rows;
                }

                _read.Add(new TrailerMember(member.Name, Manifest.Tables[number - 1].Name, member.Sha256, rows, _member.Count));
                total += rows;
            }

            completed = true;
        }
        finally
        {
            if (completed)
            {
                (keys ? _keyRows : _tableRows)[number - 1] = total;
                _keysDue = !keys && ArchiveFormat.HasKeys(Manifest, Manifest.Tables[number - 1]);
            }

            _busy = false;
            _broken |= !completed;
        }
    }

    private int BeginKeys(ManifestTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        EnsureUsable();
        if (!_keysDue || !string.Equals(Manifest.Tables[_nextTable - 1].Name, table.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"table {table.Name} has no key rows to read now: they follow its rows in an incremental archive");
        }

        _busy = true;
        _keysDue = false;
        return _nextTable;
    }

    private int BeginTable(ManifestTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        EnsureUsable();
        if (_keysDue)
        {
            throw new InvalidOperationException($"read the key rows of table {Manifest.Tables[_nextTable - 1].Name} first");
        }

        if (_nextTable >= Manifest.Tables.Count || !string.Equals(Manifest.Tables[_nextTable].Name, table.Name, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                _nextTable >= Manifest.Tables.Count
                    ? $"table {table.Name}: every table is already read"
                    : $"table {table.Name} is out of order: the next table is {Manifest.Tables[_nextTable].Name}");
        }

        _busy = true;
        return ++_nextTable;
    }

    /// <summary>
    /// After every table was read: reads <c>trailer.json</c> and checks that nothing follows it, the
    /// OpenPGP integrity check (MDC) or the gzip CRC, and that every member's SHA-256, rows and bytes and
    /// every table's total match what was read. Any mismatch throws <see cref="ArchiveException"/>("the
    /// archive is damaged or was altered: …"). Returns the trailer (with the nulled-reference counts).
    /// </summary>
    public Task<Trailer> VerifyAsync(CancellationToken ct)
    {
        EnsureUsable();
        ct.ThrowIfCancellationRequested();
        if (_nextTable != Manifest.Tables.Count || _keysDue)
        {
            throw new InvalidOperationException(_keysDue
                ? $"read the key rows of table {Manifest.Tables[_nextTable - 1].Name} first"
                : $"read table {Manifest.Tables[_nextTable].Name} and those after it first");
        }

        if (_verified)
        {
            throw new InvalidOperationException("the archive is already verified");
        }

        _broken = true; // until it succeeds: nothing can be read after a failed verification
        var trailer = Guard(ReadTrailer);
        _broken = false;
        _verified = true;
        return Task.FromResult(trailer);
    }

    /// <summary>Reads and discards every table not read yet, then <see cref="VerifyAsync"/> (for <c>inspect</c>).</summary>
    public async Task<Trailer> ReadToEndAsync(CancellationToken ct)
    {
        while (_nextTable < Manifest.Tables.Count || _keysDue)
        {
            if (_keysDue)
            {
                await foreach (var _ in ReadKeysAsync(Manifest.Tables[_nextTable - 1], ct))
                {
                }

                continue;
            }

            await foreach (var _ in ReadTableAsync(Manifest.Tables[_nextTable], ct))
            {
            }
        }

        return await VerifyAsync(ct);
    }

    /// <summary>Releases the layers; the input stays open.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            AbandonReadAhead();
            _layers.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_busy)
        {
            throw new InvalidOperationException("the previous table is still being read");
        }

        if (_broken)
        {
            throw new InvalidOperationException("the archive cannot be read further: a table was not read to its end or reading failed");
        }
    }
}
