using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ferry.Engines;

namespace Ferry.Import;

/// <summary>
/// The ledger's source digest of an archive row, version 2 (<c>docs/reimport.md</c>), computed by Ferry while the row
/// is staged: SHA-256 over the row's values as the archive gives them, before the profile's transforms, each value a
/// type tag and its bytes (integers and reals as 8 bytes little-endian, booleans as one byte, text as its UTF-8 and
/// binary values as their bytes, both after a 4-byte little-endian length; NULL a tag alone). The ledger holds it as
/// <c>2:</c> and 64 lower-case hex digits (<see cref="TextLength"/>), which tells it apart from a version 1 digest
/// (64 hex digits, computed by the target's SQL over the staged row).
/// </summary>
internal sealed class SourceRowDigest : IDisposable
{
    /// <summary>The length of the digest's text: <c>2:</c> and 64 hex digits.</summary>
    public const int TextLength = 66;

    /// <summary>The length of a version 1 digest's text (64 hex digits), which the comparison recognises.</summary>
    public const int Version1Length = 64;

    private const byte NullTag = 0, IntegerTag = 1, RealTag = 2, BooleanTag = 3, TextTag = 4, BytesTag = 5;

    // One hash object for every row: a one-shot SHA256.HashData sets up OpenSSL's context for each call, which costs
    // more than hashing a row of a hundred bytes.
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[] _buffer = new byte[512];
    private int _length;

    // The length of the row finished last, whose values stay in the buffer until the next value (Replay).
    private int _finished;

    public void Null() => Tag(NullTag, 0);

    public void Integer(long value) => BinaryPrimitives.WriteInt64LittleEndian(Tag(IntegerTag, 8), value);

    public void Real(double value) => BinaryPrimitives.WriteInt64LittleEndian(Tag(RealTag, 8), BitConverter.DoubleToInt64Bits(value));

    public void Boolean(bool value) => Tag(BooleanTag, 1)[0] = value ? (byte)1 : (byte)0;

    public void Text(ReadOnlySpan<byte> utf8) => Sized(TextTag, utf8);

    public void Bytes(ReadOnlySpan<byte> value) => Sized(BytesTag, value);

    /// <summary>Adds one value of the object form a bulk load enumerates (<c>long</c>, <c>double</c>, <c>bool</c>, <c>string</c>, <c>byte[]</c>, null).</summary>
    public void Value(object? value)
    {
        switch (value)
        {
            case null:
                Null();
                break;
            case long l:
                Integer(l);
                break;
            case double d:
                Real(d);
                break;
            case bool b:
                Boolean(b);
                break;
            case string s:
                var bytes = Encoding.UTF8.GetByteCount(s);
                var into = Tag(TextTag, 4 + bytes);
                BinaryPrimitives.WriteInt32LittleEndian(into, bytes);
                Encoding.UTF8.GetBytes(s, into[4..]);
                break;
            case byte[] b:
                Bytes(b);
                break;
            default:
                throw new InvalidOperationException($"an archive value of type {value.GetType().Name} has no source digest");
        }
    }

    /// <summary>Writes the digest of the values added since the last call (<see cref="TextLength"/> ASCII bytes) and starts the next row.</summary>
    public void Finish(Span<byte> text)
    {
        Span<byte> hash = stackalloc byte[32];
        _hash.AppendData(_buffer.AsSpan(0, _length));
        _hash.GetHashAndReset(hash);
        _finished = _length;
        _length = 0;
        text[0] = (byte)'2';
        text[1] = (byte)':';
        for (var i = 0; i < hash.Length; i++)
        {
            text[2 + (2 * i)] = Hex[hash[i] >> 4];
            text[3 + (2 * i)] = Hex[hash[i] & 0xF];
        }
    }

    /// <summary>The digest of the values added since the last call, as text; starts the next row.</summary>
    public string Finish()
    {
        Span<byte> text = stackalloc byte[TextLength];
        Finish(text);
        return Encoding.ASCII.GetString(text);
    }

    /// <summary>
    /// Passes the values of the row finished last (<see cref="Finish(Span{byte})"/>, no value added since) to
    /// <paramref name="sink"/>, as columns 0, 1, ... in the order they were added; not <see cref="IRowValueSink.EndRow"/>.
    /// Returns how many values.
    /// </summary>
    public int Replay(IRowValueSink sink)
    {
        var row = _buffer.AsSpan(0, _finished);
        var column = 0;
        while (!row.IsEmpty)
        {
            var tag = row[0];
            row = row[1..];
            switch (tag)
            {
                case NullTag:
                    sink.Null(column);
                    break;
                case IntegerTag:
                    sink.Integer(column, BinaryPrimitives.ReadInt64LittleEndian(row));
                    row = row[8..];
                    break;
                case RealTag:
                    sink.Real(column, BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(row)));
                    row = row[8..];
                    break;
                case BooleanTag:
                    sink.Boolean(column, row[0] != 0);
                    row = row[1..];
                    break;
                default:
                    var length = BinaryPrimitives.ReadInt32LittleEndian(row);
                    var value = row.Slice(4, length);
                    if (tag == TextTag)
                    {
                        sink.Text(column, value);
                    }
                    else
                    {
                        sink.Bytes(column, value);
                    }
                    row = row[(4 + length)..];
                    break;
            }
            column++;
        }
        return column;
    }

    public void Dispose() => _hash.Dispose();

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    private void Sized(byte tag, ReadOnlySpan<byte> value)
    {
        var into = Tag(tag, 4 + value.Length);
        BinaryPrimitives.WriteInt32LittleEndian(into, value.Length);
        value.CopyTo(into[4..]);
    }

    // Appends the tag and returns the next `size` bytes to fill.
    private Span<byte> Tag(byte tag, int size)
    {
        if (_length + 1 + size > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + 1 + size));
        }
        _buffer[_length] = tag;
        var span = _buffer.AsSpan(_length + 1, size);
        _length += 1 + size;
        return span;
    }

    /// <summary>
    /// Passes each row on to <paramref name="inner"/> with one more value at <paramref name="column"/> (after the
    /// row's own): its digest, as text. With <paramref name="unchanged"/>, a row the ledger recorded as it is now is not
    /// passed on (<see cref="UnchangedRows"/>); the values of each row are then held until its end, and the others passed
    /// on from the digest's buffer.
    /// </summary>
    public sealed class Sink(IRowValueSink inner, int column, UnchangedRows? unchanged = null) : IRowValueSink, IDisposable
    {
        private readonly SourceRowDigest _digest = new();

        // Under `unchanged`: the row's key, when it is an integer.
        private long? _key;

        /// <summary>Rows not passed on, found unchanged (<see cref="UnchangedRows"/>).</summary>
        public long Skipped { get; private set; }

        public void Dispose() => _digest.Dispose();

        public void Null(int c)
        {
            _digest.Null();
            if (unchanged is null)
            {
                inner.Null(c);
            }
        }

        public void Integer(int c, long value)
        {
            _digest.Integer(value);
            if (unchanged is null)
            {
                inner.Integer(c, value);
            }
            else if (c == unchanged.KeyColumn)
            {
                _key = value;
            }
        }

        public void Real(int c, double value)
        {
            _digest.Real(value);
            if (unchanged is null)
            {
                inner.Real(c, value);
            }
        }

        public void Boolean(int c, bool value)
        {
            _digest.Boolean(value);
            if (unchanged is null)
            {
                inner.Boolean(c, value);
            }
        }

        public void Text(int c, ReadOnlySpan<byte> utf8)
        {
            _digest.Text(utf8);
            if (unchanged is null)
            {
                inner.Text(c, utf8);
            }
        }

        public void Bytes(int c, ReadOnlySpan<byte> value)
        {
            _digest.Bytes(value);
            if (unchanged is null)
            {
                inner.Bytes(c, value);
            }
        }

        public void EndRow()
        {
            Span<byte> text = stackalloc byte[TextLength];
            _digest.Finish(text);
            if (unchanged is not null)
            {
                var key = _key;
                _key = null;
                if (key is { } k && unchanged.Skip(k, text))
                {
                    Skipped++;
                    return;
                }
                _digest.Replay(inner);
            }
            inner.Text(column, text);
            inner.EndRow();
        }
    }
}
