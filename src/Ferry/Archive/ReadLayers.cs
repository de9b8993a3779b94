using System.Buffers.Binary;
using System.IO.Compression;
using Ferry.IO;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;

namespace Ferry.Archive;

/// <summary>
/// Peels the layers under the tar stream: an OpenPGP message encrypted with a password, integrity-protected
/// (MDC), holding a ZLIB, ZIP or uncompressed Compressed Data packet holding a Literal Data packet; or, only
/// when the caller allows plaintext, a gzip member. Everything else is refused with a message that says
/// which it is: not OpenPGP, encrypted to a public key, without integrity protection, a weak cipher, a wrong
/// password. Reads synchronously: BouncyCastle has no async API. Throws <see cref="ArchiveException"/> for
/// what it recognises and library exceptions for damage found later; <see cref="ArchiveReader"/> turns those
/// into <see cref="ArchiveException"/> with <see cref="InputPosition"/>.
/// </summary>
internal sealed class ReadLayers : IDisposable
{
    /// <summary>Ciphers accepted for the data. IDEA, TripleDES, CAST5, Blowfish, SAFER and DES are not.</summary>
    private static readonly HashSet<SymmetricKeyAlgorithmTag> StrongCiphers =
    [
        SymmetricKeyAlgorithmTag.Aes128, SymmetricKeyAlgorithmTag.Aes192, SymmetricKeyAlgorithmTag.Aes256,
        SymmetricKeyAlgorithmTag.Camellia128, SymmetricKeyAlgorithmTag.Camellia192, SymmetricKeyAlgorithmTag.Camellia256,
        SymmetricKeyAlgorithmTag.Twofish,
    ];

    private readonly PrefixedStream _input;
    private readonly CountingStream? _gzip;
    private readonly PgpPbeEncryptedData? _encrypted;
    private readonly Stream? _compressedBody;
    private readonly Stream? _decompressed;
    private readonly PgpObjectFactory? _literalPackets;

    private ReadLayers(PrefixedStream input, Stream tar, ArchiveReadOptions options, SymmetricKeyAlgorithmTag? cipher = null,
        PgpPbeEncryptedData? encrypted = null, Stream? compressedBody = null, Stream? decompressed = null, PgpObjectFactory? literalPackets = null)
    {
        _input = input;
        _gzip = tar as CountingStream;
        // The tar's bytes are counted against the limit on what the archive expands to (serve's --max-size).
        Tar = options.MaxExpandedBytes is { } limit
            ? new CountingStream(tar, limit, max => new ArchiveException($"the archive expands to more than {max:N0} bytes, the limit (--max-size); refused"))
            : tar;
        Cipher = cipher;
        _encrypted = encrypted;
        _compressedBody = compressedBody;
        _decompressed = decompressed;
        _literalPackets = literalPackets;
    }

    /// <summary>The tar stream.</summary>
    public Stream Tar { get; }

    public bool Encrypted => _encrypted is not null;

    /// <summary>The cipher of an encrypted archive (<c>AES-256</c>); null for a plain one.</summary>
    public SymmetricKeyAlgorithmTag? Cipher { get; }

    /// <summary>How many bytes of the input have been read: where damage was found, give or take a buffer.</summary>
    public long InputPosition => _input.Total;

    public static ReadLayers Open(Stream input, Func<char[]?> password, ArchiveReadOptions options)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = input.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        var prefixed = new PrefixedStream(magic[..read].ToArray(), input);
        if (read == 0)
        {
            throw new ArchiveException("the archive is empty");
        }

        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            if (!options.AllowPlaintext)
            {
                throw new ArchiveException(
                    "the archive is not encrypted (a plain .tar.gz): nothing shows that it was not altered; " +
                    "give --allow-plaintext to accept it anyway, or export it again without --no-encrypt");
            }

            return new ReadLayers(prefixed, new CountingStream(new GZipStream(prefixed, CompressionMode.Decompress, leaveOpen: true)), options);
        }

        // Every OpenPGP packet starts with bit 7 set; text, zip files, tar and the like do not.
        if ((magic[0] & 0x80) == 0)
        {
            throw NotOpenPgp(magic[..read]);
        }

        object? first;
        try
        {
            var packets = new PgpObjectFactory(prefixed);
            first = packets.NextPgpObject();
            while (first is PgpMarker)
            {
                first = packets.NextPgpObject();
            }
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException)
        {
            throw NotOpenPgp(magic[..read], e);
        }

        var encrypted = first switch
        {
            PgpEncryptedDataList list => list.GetEncryptedDataObjects().OfType<PgpPbeEncryptedData>().FirstOrDefault()
                ?? throw new ArchiveException("the archive is encrypted to a public key; Ferry archives are encrypted with a password"),
            PgpCompressedData or PgpLiteralData or PgpOnePassSignatureList or PgpSignatureList =>
                throw new ArchiveException("the archive is an OpenPGP message that is not encrypted; Ferry archives are encrypted with a password"),
            _ => throw NotOpenPgp(magic[..read]),
        };
        if (!encrypted.IsIntegrityProtected())
        {
            throw new ArchiveException(
                "the archive's encryption has no integrity protection (OpenPGP data without MDC), so it could have been altered undetected; refused");
        }

        var session = SessionKeyPacket.Find(prefixed.Head);
        if (session is not { Version: 4 })
        {
            throw new ArchiveException(session is null
                ? "the archive's OpenPGP session-key packet cannot be read"
                : $"the archive uses OpenPGP session-key packets of version {session.Version}, which Ferry does not read (version 4 only)");
        }

        CheckCipher(session.Algorithm);
        var passphrase = password()
            ?? throw new ArchiveException("the archive is encrypted: give --password-file F or set FERRY_PASSWORD");
        Stream clear;
        SymmetricKeyAlgorithmTag cipher;
        try
        {
            cipher = session.DataAlgorithm(passphrase);
            CheckCipher(cipher);
            clear = encrypted.GetDataStreamUtf8(passphrase);
        }
        catch (PgpDataValidationException)
        {
            // The two check bytes after the random prefix did not repeat: the key is wrong.
            throw new ArchiveException("wrong password");
        }
        catch (Exception e) when (e is PgpException or IOException or ArgumentException or InvalidOperationException
                                      or Org.BouncyCastle.Crypto.CryptoException or Org.BouncyCastle.Security.SecurityUtilityException)
        {
            throw Damaged(prefixed, e);
        }

        var inner = new PgpObjectFactory(clear).NextPgpObject();
        if (inner is PgpLiteralData uncompressed)
        {
            // gpg --compress-algo none: no Compressed Data packet at all.
            return new ReadLayers(prefixed, uncompressed.GetInputStream(), options, cipher, encrypted);
        }

        var compressed = inner as PgpCompressedData
            ?? throw new ArchiveException("wrong password, or the archive is damaged: its decrypted data is not an OpenPGP packet Ferry reads");
        var body = compressed.GetInputStream();
        Stream decompressed = compressed.Algorithm switch
        {
            CompressionAlgorithmTag.ZLib => new ZLibStream(body, CompressionMode.Decompress, leaveOpen: true),
            CompressionAlgorithmTag.Zip => new DeflateStream(body, CompressionMode.Decompress, leaveOpen: true),
            CompressionAlgorithmTag.Uncompressed => body,
            _ => throw new ArchiveException($"the archive is compressed with {compressed.Algorithm}, which Ferry does not read (ZLIB, ZIP or none)"),
        };
        var literalPackets = new PgpObjectFactory(decompressed);
        var literal = literalPackets.NextPgpObject() as PgpLiteralData
            ?? throw new ArchiveException("the archive is damaged: its compressed data holds no OpenPGP literal data packet");
        return new ReadLayers(prefixed, literal.GetInputStream(), options, cipher, encrypted, body, decompressed, literalPackets);
    }

    /// <summary>The cipher's usual name: <c>AES-256</c>, <c>CAST5</c>.</summary>
    public static string CipherName(SymmetricKeyAlgorithmTag cipher) => cipher switch
    {
        SymmetricKeyAlgorithmTag.Aes128 => "AES-128",
        SymmetricKeyAlgorithmTag.Aes192 => "AES-192",
        SymmetricKeyAlgorithmTag.Aes256 => "AES-256",
        SymmetricKeyAlgorithmTag.Camellia128 => "Camellia-128",
        SymmetricKeyAlgorithmTag.Camellia192 => "Camellia-192",
        SymmetricKeyAlgorithmTag.Camellia256 => "Camellia-256",
        SymmetricKeyAlgorithmTag.TripleDes => "3DES",
        SymmetricKeyAlgorithmTag.Null => "no cipher",
        _ => Enum.IsDefined(cipher) ? cipher.ToString().ToUpperInvariant() : $"cipher {(int)cipher}",
    };

    private static void CheckCipher(SymmetricKeyAlgorithmTag cipher)
    {
        if (!StrongCiphers.Contains(cipher))
        {
            throw new ArchiveException(
                $"the archive is encrypted with {CipherName(cipher)}, which Ferry refuses as too weak; " +
                "it accepts AES, Camellia and Twofish (e.g. gpg --symmetric --cipher-algo AES256)");
        }
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
            if (_literalPackets is not null && _literalPackets.NextPgpObject() is not null)
            {
                return "a packet follows the literal data";
            }

            if (_decompressed is not null)
            {
                Drain(_decompressed, buffer);
                Drain(_compressedBody!, buffer);
            }

            if (!_encrypted.Verify())
            {
                return "the integrity check (MDC) failed: the archive was altered or damaged";
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

    private static ArchiveException NotOpenPgp(ReadOnlySpan<byte> magic, Exception? inner = null) =>
        new($"not a Ferry archive: the input is not an OpenPGP message (it starts with {Convert.ToHexString(magic).ToLowerInvariant()})", inner);

    private static ArchiveException Damaged(PrefixedStream input, Exception e) =>
        new($"the archive is damaged near byte {input.Total:N0}: {RowDecoder.OneLine(e.Message)}", e);
}
