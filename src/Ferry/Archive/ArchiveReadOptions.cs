namespace Ferry.Archive;

/// <summary>
/// What a reader accepts from an archive, which is untrusted input: whether it may be unencrypted, and the
/// limits that bound the memory and work it can cost whatever it holds.
/// </summary>
public sealed record ArchiveReadOptions
{
    /// <summary>The default largest row: 32 MiB of JSON (a 24 MiB binary value in base64).</summary>
    public const long DefaultMaxRowBytes = 32L << 20;

    /// <summary>The largest manifest (or trailer) accepted: a manifest of 2,000 tables of 50 columns is about 12 MiB.</summary>
    public const long MaxManifestBytes = 32L << 20;

    /// <summary>The defaults: OpenPGP only, rows up to 32 MiB, no limit on the whole archive.</summary>
    public static ArchiveReadOptions Default { get; } = new();

    /// <summary>
    /// Accept a plain <c>.tar.gz</c> (<c>--allow-plaintext</c>). Off by default: an unencrypted archive has no
    /// integrity protection, so anyone who can swap the file can change what is imported.
    /// </summary>
    public bool AllowPlaintext { get; init; }

    /// <summary>
    /// The largest row (one JSON line) accepted, and so the largest data member beyond Ferry's 8 MiB chunks:
    /// data members are held in memory whole (two at a time), so this bounds the reader's memory.
    /// </summary>
    public long MaxRowBytes { get; init; } = DefaultMaxRowBytes;

    /// <summary>
    /// The most bytes the archive may expand to (the tar stream, after decryption and decompression); null
    /// for no limit. serve sets its <c>--max-size</c> here as well as on the bytes received.
    /// </summary>
    public long? MaxExpandedBytes { get; init; }

    /// <summary>
    /// The most file references (lines of the file index) accepted: an import holds each one in memory until it
    /// commits (about 300 bytes each), so this bounds that memory. 1,000,000 by default.
    /// </summary>
    public long MaxFileReferences { get; init; } = 1_000_000;

    /// <summary>The largest data member or file-index chunk accepted: a chunk of Ferry's size, or one row.</summary>
    public long MaxMemberBytes => Math.Max(MaxRowBytes, ArchiveFormat.ChunkBytes);
}
