using System.Formats.Tar;
using Ferry.Archive;

namespace Ferry.Tests.Archive;

public sealed class TarHeaderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(512)]
    [InlineData(70_000)]
    public void A_hand_built_header_reads_back_as_a_ustar_regular_file(int size)
    {
        var at = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        var content = Enumerable.Range(0, size).Select(i => (byte)i).ToArray();
        using var tar = new MemoryStream();
        tar.Write(TarHeader.RegularFile("files/sha256/abc", size, at));
        tar.Write(content);
        tar.Write(new byte[TarHeader.Padding(size)]);
        tar.Write(new byte[1024]);
        tar.Position = 0;

        using var reader = new TarReader(tar);
        var entry = reader.GetNextEntry()!;

        Assert.Equal(TarEntryFormat.Ustar, entry.Format);
        Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
        Assert.Equal("files/sha256/abc", entry.Name);
        Assert.Equal(size, entry.Length);
        Assert.Equal(at, entry.ModificationTime);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, entry.Mode);
        using var data = new MemoryStream();
        entry.DataStream?.CopyTo(data);
        Assert.Equal(content, data.ToArray());
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void Names_longer_than_ustar_allows_are_refused() =>
        Assert.Throws<ArgumentException>(() => TarHeader.RegularFile(new string('a', 101), 0, DateTimeOffset.UnixEpoch));
}
