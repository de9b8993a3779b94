using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Ferry.Archive;

/// <summary>
/// The first Symmetric-Key Encrypted Session Key packet of an OpenPGP message (RFC 4880 §5.3), parsed from the
/// message's first bytes to learn which cipher protects the data: BouncyCastle 1.8 keeps that to itself.
/// </summary>
internal sealed record SessionKeyPacket(int Version, SymmetricKeyAlgorithmTag Algorithm, S2k? S2k, byte[] EncryptedKey)
{
    private const int SymmetricKeyTag = 3;
    private const int MarkerTag = 10;
    private const int PublicKeyTag = 1;

    /// <summary>
    /// Finds the first SKESK packet among the leading session-key and marker packets of <paramref name="head"/>;
    /// null when the first packets hold none or <paramref name="head"/> ends inside them.
    /// </summary>
    public static SessionKeyPacket? Find(ReadOnlySpan<byte> head)
    {
        var at = 0;
        while (Header(head, ref at) is var (tag, length) && at + length <= head.Length)
        {
            var body = head.Slice(at, length);
            at += length;
            switch (tag)
            {
                case SymmetricKeyTag:
                    return Parse(body);
                case MarkerTag or PublicKeyTag:
                    continue;
                default:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// The cipher of the encrypted data: the packet's own, or, when it carries an encrypted session key, the
    /// one that key names (decrypting it costs one more run of the passphrase's S2K).
    /// </summary>
    public SymmetricKeyAlgorithmTag DataAlgorithm(char[] passphrase)
    {
        if (EncryptedKey.Length == 0 || S2k is null)
        {
            return Algorithm;
        }

        var key = PgpUtilities.MakeKeyFromPassPhraseUtf8(Algorithm, S2k, passphrase);
        var cipher = CipherUtilities.GetCipher(PgpUtilities.GetSymmetricCipherName(Algorithm) + "/CFB/NoPadding");
        cipher.Init(false, new ParametersWithIV(key, new byte[cipher.GetBlockSize()]));
        return (SymmetricKeyAlgorithmTag)cipher.DoFinal(EncryptedKey)[0];
    }

    // Version, algorithm, S2K specifier (RFC 4880 §3.7.1), then the optional encrypted session key.
    private static SessionKeyPacket? Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 2)
        {
            return null;
        }

        var version = body[0];
        var algorithm = (SymmetricKeyAlgorithmTag)body[1];
        if (version != 4 || body.Length < 4)
        {
            return new SessionKeyPacket(version, algorithm, null, []);
        }

        var (type, hash) = (body[2], (HashAlgorithmTag)body[3]);
        var at = 4;
        S2k? s2k = null;
        switch (type)
        {
            case 0:
                s2k = new S2k(hash);
                break;
            case 1 when body.Length >= at + 8:
                s2k = new S2k(hash, body.Slice(at, 8).ToArray());
                at += 8;
                break;
            case 3 when body.Length >= at + 9:
                s2k = new S2k(hash, body.Slice(at, 8).ToArray(), body[at + 8]);
                at += 9;
                break;
        }

        return new SessionKeyPacket(version, algorithm, s2k, s2k is null ? [] : body[at..].ToArray());
    }

    // An old- or new-format packet header with a definite length; null for anything else.
    private static (int Tag, int Length)? Header(ReadOnlySpan<byte> data, ref int at)
    {
        if (at >= data.Length || (data[at] & 0x80) == 0)
        {
            return null;
        }

        var first = data[at++];
        if ((first & 0x40) == 0)
        {
            // Old format: tag in bits 5-2, length type in bits 1-0 (3: indeterminate, not for these packets).
            var size = (first & 3) switch { 0 => 1, 1 => 2, 2 => 4, _ => 0 };
            if (size == 0 || at + size > data.Length)
            {
                return null;
            }

            long length = 0;
            for (var i = 0; i < size; i++)
            {
                length = (length << 8) | data[at++];
            }

            return length > int.MaxValue ? null : ((first >> 2) & 0xf, (int)length);
        }

        var tag = first & 0x3f;
        if (at >= data.Length)
        {
            return null;
        }

        var octet = data[at++];
        if (octet < 192)
        {
            return (tag, octet);
        }

        if (octet < 224)
        {
            return at < data.Length ? (tag, ((octet - 192) << 8) + data[at++] + 192) : null;
        }

        if (octet == 255 && at + 4 <= data.Length)
        {
            var length = ((long)data[at] << 24) | ((long)data[at + 1] << 16) | ((long)data[at + 2] << 8) | data[at + 3];
            at += 4;
            return length > int.MaxValue ? null : (tag, (int)length);
        }

        // A partial body length: session-key packets never have one.
        return null;
    }
}
