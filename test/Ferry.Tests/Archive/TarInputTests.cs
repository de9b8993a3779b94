using System.Formats.Tar;
using System.Text;
using Ferry.Archive;
using Ferry.Testing;

namespace Ferry.Tests.Archive;

/// <summary>Ferry's own tar reader: ustar, pax and GNU headers, bounded extended headers, damage as exceptions.</summary>
public class TarInputTests
{
    private static List<(string Name, char Type, string Data)> ReadAll(byte[] tar)
    {
        var input = new TarInput(new MemoryStream(tar));
        var members = new List<(string, char, string)>();
        while (input.Next() is { } member)
        {
            using var text = new StreamReader(member.Data, Encoding.UTF8, leaveOpen: true);
            members.Add((member.Name, member.Type, text.ReadToEnd()));
        }

        return members;
    }

    [Theory]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.V7)]
    public void Reads_what_system_formats_tar_writes(TarEntryFormat format)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, format, leaveOpen: true))
        {
            var longName = "data/0001-" + new string('n', 120) + "/000001.jsonl";
            foreach (var (name, data) in new[] { ("manifest.json", "{}"), (format == TarEntryFormat.V7 ? "short" : longName, "[1]\n"), ("empty", "") })
            {
                var type = format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile;
                TarEntry entry = format switch
                {
                    TarEntryFormat.Ustar => new UstarTarEntry(type, name),
                    TarEntryFormat.Pax => new PaxTarEntry(type, name),
                    TarEntryFormat.Gnu => new GnuTarEntry(type, name),
                    _ => new V7TarEntry(type, name),
                };
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(data));
                writer.WriteEntry(entry);
            }
        }

        var members = ReadAll(output.ToArray());

        Assert.Equal(3, members.Count);
        Assert.Equal(("manifest.json", "{}"), (members[0].Name, members[0].Data));
        Assert.Equal("[1]\n", members[1].Data);
        Assert.True(members.All(m => m.Type is '0' or '\0'));
        Assert.Equal(("empty", ""), (members[2].Name, members[2].Data));
    }

    [Fact]
    public void Skips_the_unread_rest_of_a_member()
    {
        var tar = HostileArchive.TarOf([new("a", new byte[5000]), new("b", "bee"u8.ToArray())]);
        var input = new TarInput(new MemoryStream(tar));

        Assert.Equal("a", input.Next()!.Name);
        var b = input.Next()!;

        Assert.Equal("b", b.Name);
        Assert.Equal(3, b.Length);
        Assert.Null(input.Next());
        Assert.Null(input.Next());
    }

    [Fact]
    public void A_bad_checksum_is_a_format_error()
    {
        var tar = HostileArchive.TarOf([new("a", "x"u8.ToArray())]);
        tar[10] ^= 1;

        var e = Assert.Throws<TarFormatException>(() => ReadAll(tar));

        Assert.Equal("a tar header's checksum does not match", e.Message);
    }

    [Theory]
    [InlineData('x', "pax")]
    [InlineData('g', "global pax")]
    [InlineData('L', "GNU long name")]
    [InlineData('K', "GNU long link")]
    public void Extended_headers_larger_than_the_limit_are_refused_before_reading(char type, string what)
    {
        var tar = HostileArchive.TarOf([new("x", [], type, ClaimedSize: 1L << 32)]);

        var e = Assert.Throws<TarFormatException>(() => ReadAll(tar));

        Assert.Equal($"a {what} header claims 4,294,967,296 bytes (at most 65,536 are accepted)", e.Message);
    }

    [Fact]
    public void Malformed_pax_records_are_refused()
    {
        var tar = HostileArchive.TarOf([new("PaxHeader", "99 path=x\n"u8.ToArray(), 'x'), new("a", [])]);

        Assert.Equal("a pax header holds a malformed record", Assert.Throws<TarFormatException>(() => ReadAll(tar)).Message);
    }

    [Fact]
    public void A_stream_that_ends_inside_a_member_is_an_end_of_stream()
    {
        var tar = HostileArchive.TarOf([new("a", new byte[2000])]);

        Assert.Throws<EndOfStreamException>(() => ReadAll(tar[..1200]));
        Assert.Throws<EndOfStreamException>(() => ReadAll(tar[..300]));
    }
}
