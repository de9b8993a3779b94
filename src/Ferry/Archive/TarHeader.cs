using System.Text;

namespace Ferry.Archive;

/// <summary>
/// The 512-byte POSIX ustar header of a regular file, built by hand so that a file's content can be
/// streamed into the tar in pieces (<see cref="System.Formats.Tar.TarWriter"/> writes a member in one
/// synchronous call, which would spool a whole large file in memory). Pure.
/// </summary>
internal static class TarHeader
{
    /// <summary>Tar's block size: headers are one block, content is padded to whole blocks.</summary>
    public const int Block = 512;

    /// <summary>The largest member ustar can describe: 11 octal digits of size.</summary>
    public const long MaxSize = (1L << 33) - 1;

    /// <summary>The header of a regular file: mode 0644, owner 0:0, <paramref name="size"/> bytes, modified at <paramref name="modified"/>.</summary>
    public static byte[] RegularFile(string name, long size, DateTimeOffset modified)
    {
        var nameBytes = Encoding.ASCII.GetBytes(name);
        if (nameBytes.Length > 100 || name.Any(c => c > 127))
        {
            throw new ArgumentException($"a ustar member name has at most 100 ASCII characters: {name}", nameof(name));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxSize);
        var header = new byte[Block];
        nameBytes.CopyTo(header, 0);
        Octal(header, 100, 8, 0b110_100_100);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, Math.Max(0, modified.ToUnixTimeSeconds()));
        header[156] = (byte)'0';
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        // The checksum is computed with its own field as eight spaces, then written as 6 digits, NUL, space.
        "        "u8.CopyTo(header.AsSpan(148));
        var sum = header.Sum(b => (long)b);
        Octal(header, 148, 7, sum);
        header[155] = (byte)' ';
        return header;
    }

    /// <summary>Zero bytes that pad <paramref name="size"/> bytes of content to a whole block.</summary>
    public static int Padding(long size) => (int)((Block - (size % Block)) % Block);

    // width - 1 octal digits, zero-padded, then NUL.
    private static void Octal(byte[] header, int offset, int width, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(digits).CopyTo(header, offset);
        header[offset + width - 1] = 0;
    }
}
