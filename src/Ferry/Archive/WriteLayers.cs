using System.IO.Compression;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Ferry.Archive;

/// <summary>
/// The layers under the tar stream, outermost last: either gzip, or OpenPGP symmetric encryption
/// (AES-256, SEIPD with MDC, S2K iterated+salted SHA-256) around a ZLIB Compressed Data packet around
/// a binary Literal Data packet. The compressed packet body is produced by <see cref="ZLibStream"/>
/// (native zlib), much faster than BouncyCastle's managed zlib. Everything lands in a <see cref="SpoolStream"/>.
/// </summary>
internal sealed class WriteLayers : IDisposable
{
    private const int PacketBuffer = 1 << 16;

    private readonly PgpEncryptedDataGenerator? _encryption;
    private readonly BcpgOutputStream? _compressedPacket;
    private readonly Stream _compressor;
    private readonly PgpLiteralDataGenerator? _literal;
    private bool _finished;

    private WriteLayers(SpoolStream spool, Stream tar, Stream compressor, PgpEncryptedDataGenerator? encryption,
        BcpgOutputStream? compressedPacket, PgpLiteralDataGenerator? literal)
    {
        Spool = spool;
        Tar = tar;
        _compressor = compressor;
        _encryption = encryption;
        _compressedPacket = compressedPacket;
        _literal = literal;
    }

    /// <summary>Where the layers' output collects.</summary>
    public SpoolStream Spool { get; }

    /// <summary>The stream the tar is written to.</summary>
    public Stream Tar { get; }

    public static WriteLayers Open(char[]? password, CompressionLevel level)
    {
        var spool = new SpoolStream();
        if (password is null)
        {
            var gzip = new GZipStream(spool, level, leaveOpen: true);
            return new WriteLayers(spool, gzip, gzip, null, null, null);
        }

        var encryption = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, true, new SecureRandom());
        encryption.AddMethodUtf8(password, HashAlgorithmTag.Sha256);
        // A buffer makes every layer use partial body lengths: the size is not known in advance.
        var encrypted = encryption.Open(spool, new byte[PacketBuffer]);
        var compressedPacket = new BcpgOutputStream(encrypted, PacketTag.CompressedData, new byte[PacketBuffer]);
        compressedPacket.WriteByte((byte)CompressionAlgorithmTag.ZLib);
        var zlib = new ZLibStream(compressedPacket, level, leaveOpen: true);
        var literal = new PgpLiteralDataGenerator();
        var literalStream = literal.Open(
            zlib, PgpLiteralData.Binary, ArchiveFormat.LiteralName, DateTime.UtcNow, new byte[PacketBuffer]);
        return new WriteLayers(spool, literalStream, zlib, encryption, compressedPacket, literal);
    }

    /// <summary>Closes every layer, innermost first, so the spool holds the complete message.</summary>
    public void Finish()
    {
        _finished = true;
        _literal?.Close();
        _compressor.Dispose();
        _compressedPacket?.Finish();
        _encryption?.Close();
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // Abandoned: release native zlib state; what was written is an incomplete archive anyway.
            _compressor.Dispose();
        }
    }
}
