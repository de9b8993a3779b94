using Ferry.Files;

namespace Ferry.Tests.Files;

public sealed class ImportedNameTests
{
    private static readonly byte[] Random = Enumerable.Range(0, 16).Select(i => (byte)(i * 17)).ToArray();

    [Theory]
    [InlineData("2024/05/sunrise.jpg", "imported/00112233445566778899aabbccddeeff.jpg")]
    [InlineData("Sunrise.JPEG", "imported/00112233445566778899aabbccddeeff.JPEG")]
    [InlineData("archive.tar.gz", "imported/00112233445566778899aabbccddeeff.gz")]
    [InlineData("plan", "imported/00112233445566778899aabbccddeeff")]
    [InlineData(".hidden", "imported/00112233445566778899aabbccddeeff")]
    [InlineData("dir.d/plan", "imported/00112233445566778899aabbccddeeff")]
    [InlineData("a.j pg", "imported/00112233445566778899aabbccddeeff")]
    [InlineData("a.ëxt", "imported/00112233445566778899aabbccddeeff")]
    [InlineData("a.12345678901234567", "imported/00112233445566778899aabbccddeeff")]
    [InlineData("a.", "imported/00112233445566778899aabbccddeeff")]
    [InlineData("dir\\photo.png", "imported/00112233445566778899aabbccddeeff.png")]
    public void The_name_is_random_hex_with_the_plain_extension_of_the_source(string source, string expected) =>
        Assert.Equal(expected, ImportedName.For(source, Random));

    [Fact]
    public void Every_name_is_new() =>
        Assert.Equal(1000, Enumerable.Range(0, 1000).Select(_ => ImportedName.For("a.jpg")).Distinct().Count());
}
