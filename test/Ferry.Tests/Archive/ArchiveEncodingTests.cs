using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Ferry.Archive;
using Ferry.Schema;
using static Ferry.Tests.Archive.ArchiveSamples;

namespace Ferry.Tests.Archive;

/// <summary>Pins the bytes of data members and the JSON of manifest and trailer, as docs/format.md shows them.</summary>
public class ArchiveEncodingTests
{
    [Fact]
    public async Task Rows_are_written_as_the_specification_shows()
    {
        var table = Table("t", ("id", FerryType.Int), ("name", FerryType.Text), ("score", FerryType.Float),
            ("photo", FerryType.Bytes), ("born", FerryType.Date), ("at", FerryType.TimestampTz), ("ok", FerryType.Bool));
        object?[][] rows =
        [
            [42L, "Zoë \"Z\"\n2nd line", -0.0, new byte[] { 0, 1, 2, 255 }, "1990-01-31", "2024-05-01 10:00:00+00:00", true],
            [-1L, "", 0.1 + 0.2, Array.Empty<byte>(), null, null, false],
            [0L, "<&>\0\u001f", double.MaxValue, null, null, null, null],
            [1L, "😀", double.Epsilon, null, null, null, null],
            [2L, null, double.NegativeInfinity, null, null, null, null],
        ];

        var members = await MembersOf(await WriteAsync(Manifest(table), [Async(rows)], null));

        Assert.Equal(["manifest.json", "data/0001-t/000001.jsonl", "trailer.json"], members.Keys);
        Assert.Equal(
            """
            [42,"Zoë \"Z\"\n2nd line",-0,"AAEC/w==","1990-01-31","2024-05-01 10:00:00+00:00",true]
            [-1,"",0.30000000000000004,"",null,null,false]
            [0,"<&>\u0000\u001F",1.7976931348623157E+308,null,null,null,null]
            [1,"\uD83D\uDE00",5E-324,null,null,null,null]
            [2,null,"-Infinity",null,null,null,null]

            """.ReplaceLineEndings("\n"),
            members["data/0001-t/000001.jsonl"]);
        Assert.StartsWith("{\n  \"format\": \"ferry-archive\",\n  \"formatVersion\": 1,\n  \"tool\": ", members["manifest.json"], StringComparison.Ordinal);
        Assert.Contains("\"type\": \"timestamptz\"", members["manifest.json"], StringComparison.Ordinal);
        Assert.Contains("\"nulledReferences\": {}", members["trailer.json"], StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> MembersOf(byte[] plainArchive)
    {
        using var input = new MemoryStream(plainArchive);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        var members = new Dictionary<string, string>();
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            using var text = new StreamReader(entry.DataStream!, Encoding.UTF8);
            members.Add(entry.Name, await text.ReadToEndAsync());
        }

        return members;
    }
}
