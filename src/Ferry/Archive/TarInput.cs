using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Ferry.Archive;

/// <summary>
/// Reads a tar stream member by member (POSIX ustar, with pax and GNU long-name headers), holding at most
/// one 512-byte header and one bounded extended header in memory. System.Formats.Tar's reader loads an
/// extended header whole whatever size it claims (a 1.5 GB pax header took 2.9 GB of memory), and an
/// archive is untrusted input, so Ferry reads its tar itself.
/// <para>A member's data is a stream over the tar, valid until <see cref="Next"/> is called again; the rest
/// of it is skipped then. The end of the archive is the first all-zero block (what follows it is the
/// caller's to check). Malformed headers are <see cref="TarFormatException"/>, an input that ends early
/// <see cref="EndOfStreamException"/>.</para>
/// </summary>
internal sealed class TarInput(Stream input)
{
    /// <summary>The largest pax or GNU extended header accepted: such headers hold a path or two, never data.</summary>
    public const int MaxExtendedHeader = 64 << 10;

    private const int Block = 512;
    private readonly byte[] _header = new byte[Block];
    private Segment? _open;
    private bool _ended;

    /// <summary>The next member, or null at the end of the archive (an all-zero header block).</summary>
    public TarMember? Next()
    {
        _open?.SkipRest();
        _open = null;
        if (_ended)
        {
            return null;
        }

        string? longName = null;
        string? paxPath = null;
        long? paxSize = null;
        while (true)
        {
            input.ReadExactly(_header);
            if (!_header.AsSpan().ContainsAnyExcept((byte)0))
            {
                _ended = true;
                return null;
            }

            CheckChecksum();
            var type = (char)_header[156];
            var size = Size();
            switch (type)
            {
                case 'x':
                    foreach (var (key, value) in PaxRecords(Extended(size, "pax")))
                    {
                        if (key == "path")
                        {
                            paxPath = value;
                        }
                        else if (key == "size")
                        {
                            paxSize = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                                ? s
                                : throw new TarFormatException($"a pax header gives the size '{value}'");
                        }
                    }

                    continue;
                case 'g':
                    // Global pax attributes (comments, times) change nothing Ferry reads.
                    Extended(size, "global pax");
                    continue;
                case 'L':
                    longName = Encoding.UTF8.GetString(Extended(size, "GNU long name")).TrimEnd('\0');
                    continue;
                case 'K':
                    Extended(size, "GNU long link");
                    continue;
            }

            var length = paxSize ?? size;
            _open = new Segment(input, length);
            return new TarMember(paxPath ?? longName ?? Name(), type, length, _open);
        }
    }

    private byte[] Extended(long size, string what)
    {
        if (size > MaxExtendedHeader)
        {
            throw new TarFormatException($"a {what} header claims {size:N0} bytes (at most {MaxExtendedHeader:N0} are accepted)");
        }

        var data = new byte[size];
        input.ReadExactly(data);
        Skip(input, Padding(size));
        return data;
    }

    /// <summary>pax records: <c>LENGTH KEY=VALUE\n</c>, LENGTH counting the whole record.</summary>
    private static IEnumerable<(string Key, string Value)> PaxRecords(byte[] data)
    {
        var records = new List<(string, string)>();
        var at = 0;
        while (at < data.Length)
        {
            var space = Array.IndexOf(data, (byte)' ', at);
            if (space < 0 || !int.TryParse(data.AsSpan(at, space - at), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space - at + 1 || at + length > data.Length || data[at + length - 1] != (byte)'\n')
            {
                throw new TarFormatException("a pax header holds a malformed record");
            }

            var record = Encoding.UTF8.GetString(data, space + 1, at + length - space - 2);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new TarFormatException("a pax header holds a record without a key");
            }

            records.Add((record[..equals], record[(equals + 1)..]));
            at += length;
        }

        return records;
    }

    private string Name()
    {
        var name = Text(0, 100);
        // POSIX ustar ("ustar\0" + "00") has a prefix field; GNU's "ustar  \0" uses those bytes for other things.
        if (_header.AsSpan(257, 6).SequenceEqual("ustar\0"u8))
        {
            var prefix = Text(345, 155);
            if (prefix.Length > 0)
            {
                name = prefix + "/" + name;
            }
        }

        return name;
    }

    private string Text(int offset, int length)
    {
        var field = _header.AsSpan(offset, length);
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private long Size()
    {
        var field = _header.AsSpan(124, 12);
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256: a big-endian two's complement number; only non-negative sizes that fit 63 bits.
            if (field[0] != 0x80 || field[1..4].ContainsAnyExcept((byte)0))
            {
                throw new TarFormatException("a tar header gives a size that does not fit");
            }

            return BinaryPrimitives.ReadInt64BigEndian(field[4..]) is var size and >= 0
                ? size
                : throw new TarFormatException("a tar header gives a negative size");
        }

        return Octal(field, "size");
    }

    private void CheckChecksum()
    {
        var stored = Octal(_header.AsSpan(148, 8), "checksum");
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : _header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        if (stored != unsigned && stored != signed)
        {
            throw new TarFormatException("a tar header's checksum does not match");
        }
    }

    // Octal digits, optionally led by spaces and ended by a space or NUL.
    private static long Octal(ReadOnlySpan<byte> field, string what)
    {
        var text = field.Trim((byte)' ');
        var end = text.IndexOfAny((byte)0, (byte)' ');
        if (end >= 0)
        {
            if (text[end..].ContainsAnyExcept((byte)0, (byte)' '))
            {
                throw new TarFormatException($"a tar header's {what} field is not an octal number");
            }

            text = text[..end];
        }

        long value = 0;
        foreach (var digit in text)
        {
            if (digit is < (byte)'0' or > (byte)'7' || value > (long.MaxValue >> 3))
            {
                throw new TarFormatException($"a tar header's {what} field is not an octal number");
            }

            value = (value << 3) | (long)(digit - '0');
        }

        return value;
    }

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    private static void Skip(Stream stream, long count)
    {
        if (count == 0)
        {
            return;
        }

        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(count, 1 << 16));
        try
        {
            while (count > 0)
            {
                var n = stream.Read(buffer, 0, (int)Math.Min(count, buffer.Length));
                if (n == 0)
                {
                    throw new EndOfStreamException();
                }

                count -= n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The data of one member: exactly its length, then its padding is skipped when the next member is read.</summary>
    private sealed class Segment(Stream inner, long size) : Stream
    {
        private readonly long _size = size;
        private long _left = size;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _size;

        public override long Position { get => _size - _left; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_left == 0 || buffer.IsEmpty)
            {
                return 0;
            }

            var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
            if (n == 0)
            {
                throw new EndOfStreamException();
            }

            _left -= n;
            return n;
        }

        public void SkipRest()
        {
            var rest = _left;
            _left = 0;
            Skip(inner, rest + Padding(_size));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>A tar member: its path, its type flag (<c>'0'</c> or <c>'\0'</c> for a regular file), its length and data.</summary>
internal sealed record TarMember(string Name, char Type, long Length, Stream Data)
{
    /// <summary>True for a regular file (ustar <c>'0'</c>, V7 <c>'\0'</c>).</summary>
    public bool IsFile => Type is '0' or '\0';
}

/// <summary>A tar header that is malformed (as opposed to compressed data that is: zlib's <see cref="InvalidDataException"/>).</summary>
internal sealed class TarFormatException(string message) : IOException(message);
