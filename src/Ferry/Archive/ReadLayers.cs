using System.Buffers.Binary;
using System.IO.Compression;
using Ferry.IO;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg;

namespace Ferry.Archive;

/// <summary>
/// Peels the layers under the tar stream: gzip when the input starts with <c>1f 8b</c>, otherwise an
/// OpenPGP symmetrically encrypted, integrity-protected message holding a ZLIB (or ZIP) Compressed Data
/// packet holding a Literal Data packet. Reads synchronously: BouncyCastle has no async API.
/// Throws library exceptions freely; <see cref="ArchiveReader"/> turns them into <see cref="ArchiveException"/>.
/// </summary>
internal sealed class ReadLayers : IDisposable
{
    private readonly PrefixedStream _input;
    private readonly CountingStream? _gzip;
    private readonly PgpPbeEncryptedData? _encrypted;
    private readonly Stream? _compressedBody;
    private readonly Stream? _decompressed;
    private readonly PgpObjectFactory? _literalPackets;

    private ReadLayers(PrefixedStream input, Stream tar, PgpPbeEncryptedData? encrypted = null, Stream? compressedBody = null,
        Stream? decompressed = null, PgpObjectFactory? literalPackets = null)
    {
        _input = input;
        Tar = tar;
        _gzip = tar as CountingStream;
        _encrypted = encrypted;
        _compressedBody = compressedBody;
        _decompressed = decompressed;
        _literalPackets = literalPackets;
    }

    /// <summary>The tar stream.</summary>
    public Stream Tar { get; }

    public bool Encrypted => _encrypted is not null;

    public static ReadLayers Open(Stream input, Func<char[]?> password)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = input.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        var prefixed = new PrefixedStream(magic[..read].ToArray(), input);
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return new ReadLayers(prefixed, new CountingStream(new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: true)));
        }

        var packets = new PgpObjectFactory(prefixed);
        var first = packets.NextPgpObject();
        while (first is PgpMarker)
        {
            first = packets.NextPgpObject();
        }

        if (first is not PgpEncryptedDataList list || list.Count == 0 || list[0] is not PgpPbeEncryptedData encrypted
            || !encrypted.IsIntegrityProtected())
        {
            throw NotAnArchive();
        }

        var passphrase = password()
            ?? throw new ArchiveException("the archive is encrypted: give --password-file F or set FERRY_PASSWORD");
        Stream clear;
        try
        {
            clear = encrypted.GetDataStreamUtf8(passphrase);
        }
        catch (PgpException e)
        {
            throw NotAnArchive(e);
        }

        var compressed = new PgpObjectFactory(clear).NextPgpObject() as PgpCompressedData ?? throw NotAnArchive();
        var body = compressed.GetInputStream();
        Stream decompressed = compressed.Algorithm switch
        {
            CompressionAlgorithmTag.ZLib => new ZLibStream(body, CompressionMode.Decompress, leaveOpen: true),
            CompressionAlgorithmTag.Zip => new DeflateStream(body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw NotAnArchive(),
        };
        var literalPackets = new PgpObjectFactory(decompressed);
        var literal = literalPackets.NextPgpObject() as PgpLiteralData ?? throw NotAnArchive();
        return new ReadLayers(prefixed, literal.GetInputStream(), encrypted, body, decompressed, literalPackets);
    }

    /// <summary>
    /// After the tar's end: checks that only zero padding remains in the tar stream, that nothing follows
    /// the literal packet or the message, and the OpenPGP integrity check (MDC) or the gzip CRC.
    /// Returns null when all holds, else what is wrong.
    /// </summary>
    public string? VerifyEnd()
    {
        var buffer = new byte[1 << 16];
        int n;
        while ((n = Tar.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, n).ContainsAnyExcept((byte)0))
            {
                return "data follows the end of the tar";
            }
        }

        if (_encrypted is not null)
        {
            if (_literalPackets!.NextPgpObject() is not null)
            {
                return "a packet follows the literal data";
            }

            Drain(_decompressed!, buffer);
            Drain(_compressedBody!, buffer);
            if (!_encrypted.Verify())
            {
                return "the integrity check (MDC) failed";
            }
        }

        if (_input.Read(buffer) > 0)
        {
            return "data follows the end of the archive";
        }

        // zlib checks the gzip trailer (CRC-32, ISIZE) when it is complete, but .NET reports no error when
        // the input ends inside it or carries stray bytes after it: so the input's last 4 bytes must be ISIZE.
        if (_gzip is not null
            && (_input.Tail.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(_input.Tail[4..]) != (uint)_gzip.Count))
        {
            return "the gzip trailer is missing or wrong";
        }

        return null;
    }

    public void Dispose()
    {
        _decompressed?.Dispose();
        if (_encrypted is null)
        {
            Tar.Dispose();
        }
    }

    private static void Drain(Stream stream, byte[] buffer)
    {
        while (stream.Read(buffer) > 0)
        {
        }
    }

    private static ArchiveException NotAnArchive(Exception? inner = null) =>
        new("wrong password or not a Ferry archive", inner);
}
