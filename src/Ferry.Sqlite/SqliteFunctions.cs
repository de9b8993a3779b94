using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ferry.Sqlite;

/// <summary>
/// The SQL functions Ferry registers on each of its own connections (the application never needs them):
/// <c>ferry_sha256(text)</c> and <c>ferry_digest(kinds, v1, ..., vN)</c>, the ledger's row digest in one call.
/// Registered through SQLite's own API on UTF-8 bytes: Microsoft.Data.Sqlite's <c>CreateFunction</c> took about
/// 24 µs a call (a .NET string in, one out).
/// </summary>
internal static class SqliteFunctions
{
    /// <summary>Most values one <c>ferry_digest</c> call takes (SQLite's own limit is 127 arguments).</summary>
    public const int MaxDigestValues = 120;

    private const int Utf8Deterministic = raw.SQLITE_UTF8 | raw.SQLITE_DETERMINISTIC;
    private static readonly delegate_function_scalar Sha256Scalar = Sha256Hex;
    private static readonly delegate_function_scalar DigestScalar = Digest;

    // The tuple text of one row, built per thread (SQLite calls a scalar function on the thread that steps the
    // statement) and hashed in one call: an incremental hash's every append is a call into the crypto library.
    [ThreadStatic]
    private static byte[]? _text;

    // One SHA-256 object per thread, reused for every call: SHA256.HashData sets up the crypto library's context each
    // time, which costs more than hashing a row (0.7 against 1.0 µs for 120 bytes, bench/notes.md).
    [ThreadStatic]
    private static IncrementalHash? _sha256;

    public static void Register(SqliteConnection connection)
    {
        Create(connection, SqliteDialect.Sha256Function, 1, Sha256Scalar);
        Create(connection, SqliteDialect.DigestFunction, -1, DigestScalar);
    }

    private static void Create(SqliteConnection connection, string name, int arguments, delegate_function_scalar function)
    {
        var rc = raw.sqlite3_create_function(connection.Handle, name, arguments, Utf8Deterministic, null, function);
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite refused the function {name} ({rc})");
        }
    }

    // ferry_sha256(text): the SHA-256 of the text's UTF-8 as 64 lower-case hex digits; NULL for NULL.
    private static void Sha256Hex(sqlite3_context context, object userData, sqlite3_value[] args)
    {
        if (raw.sqlite3_value_type(args[0]) == raw.SQLITE_NULL)
        {
            raw.sqlite3_result_null(context);
            return;
        }
        // The function is declared UTF-8: a value's bytes are its text as UTF-8 (a number's as SQLite writes it).
        raw.sqlite3_value_text(args[0]);
        Span<byte> hash = stackalloc byte[32];
        Hash(raw.sqlite3_value_blob(args[0]), hash);
        Result(context, hash);
    }

    // ferry_digest(kinds, v1, ..., vN), kinds one letter per value ('t' text, 'b' bytes): exactly
    // ferry_sha256 of the tuple text SqliteDialect builds for those values (RowDigestText.Tuple), which SQLite would
    // assemble by CAST, length(), || and COALESCE, each allocating a new text: about half of a first import's ledger.
    private static void Digest(sqlite3_context context, object userData, sqlite3_value[] args)
    {
        var kinds = raw.sqlite3_value_blob(args[0]);
        if (kinds.Length != args.Length - 1)
        {
            raw.sqlite3_result_error(context, $"{SqliteDialect.DigestFunction}: {kinds.Length} kinds for {args.Length - 1} values");
            return;
        }
        var text = new TupleText(_text ??= new byte[4096]);
        for (var i = 1; i < args.Length; i++)
        {
            if (i > 1)
            {
                text.Append(","u8);
            }
            if (kinds[i - 1] == (byte)'b')
            {
                // lower(hex(x)): two digits a byte (a text or a number is hexed as its text, as hex() does). SQLite's
                // hex(NULL) is '' rather than NULL, so a NULL is "0:" here, as in the tuple text, not "~".
                var bytes = raw.sqlite3_value_blob(args[i]);
                text.AppendLength(2L * bytes.Length);
                text.AppendHex(bytes);
            }
            else if (raw.sqlite3_value_type(args[i]) == raw.SQLITE_NULL)
            {
                text.Append("~"u8);
            }
            else
            {
                // CAST(x AS TEXT), whose bytes || keeps whole, and length() of it (see CharactersBeforeNul).
                raw.sqlite3_value_text(args[i]);
                var value = raw.sqlite3_value_blob(args[i]);
                text.AppendLength(CharactersBeforeNul(value));
                text.Append(value);
            }
        }
        // A row of large values does not keep its buffer alive.
        _text = text.Buffer.Length <= 1 << 20 ? text.Buffer : null;
        Span<byte> digest = stackalloc byte[32];
        Hash(text.Written, digest);
        Result(context, digest);
    }

    /// <summary>
    /// What SQLite's <c>length()</c> says of a text: the characters before the first NUL, a character being a byte
    /// below 0xC0 or a byte from 0xC0 up with the continuation bytes (0x80–0xBF) after it (its own loop, so that
    /// invalid UTF-8 counts the same).
    /// </summary>
    internal static long CharactersBeforeNul(ReadOnlySpan<byte> text)
    {
        long count = 0;
        var i = 0;
        while (i < text.Length && text[i] != 0)
        {
            var c = text[i++];
            if (c >= 0xC0)
            {
                while (i < text.Length && (text[i] & 0xC0) == 0x80)
                {
                    i++;
                }
            }
            count++;
        }
        return count;
    }

    private static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        var sha256 = _sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha256.AppendData(data);
        sha256.GetHashAndReset(hash);
    }

    private static void Hex(ReadOnlySpan<byte> bytes, Span<byte> hex)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            hex[2 * i] = (byte)"0123456789abcdef"[bytes[i] >> 4];
            hex[2 * i + 1] = (byte)"0123456789abcdef"[bytes[i] & 15];
        }
    }

    private static void Result(sqlite3_context context, ReadOnlySpan<byte> hash)
    {
        Span<byte> hex = stackalloc byte[64];
        Hex(hash, hex);
        raw.sqlite3_result_text(context, hex);
    }

    // A growing buffer of UTF-8 (its array is kept for the next row).
    private struct TupleText(byte[] buffer)
    {
        private byte[] _buffer = buffer;
        private int _length;

        public readonly byte[] Buffer => _buffer;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, _length);

        public void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

        public void AppendLength(long length)
        {
            Span<byte> digits = stackalloc byte[20];
            length.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
            Append(digits[..written]);
            Append(":"u8);
        }

        public void AppendHex(ReadOnlySpan<byte> bytes) => Hex(bytes, Reserve(2 * bytes.Length));

        private Span<byte> Reserve(int count)
        {
            if (_length + count > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _length + count));
            }
            var span = _buffer.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }
}
