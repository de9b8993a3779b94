using Ferry.Engines;

namespace Ferry.Tests.Planning;

public class JsonKeyPathTests
{
    [Theory]
    [InlineData("$.place_id", "place_id", false)]
    [InlineData("$.a.users[*]", "a users", true)]
    [InlineData("$[*]", "", true)]
    [InlineData("$", "", false)]
    public void Parses_members_and_array(string path, string members, bool isArray)
    {
        var parsed = JsonKeyPath.Parse(path);
        Assert.Equal(members, string.Join(' ', parsed.Members));
        Assert.Equal(isArray, parsed.IsArray);
    }

    [Theory]
    [InlineData("place_id")]
    [InlineData("$.a[0]")]
    [InlineData("$.users[*].id")]
    [InlineData("$..a")]
    [InlineData("$.a b")]
    public void Rejects_what_it_cannot_rewrite(string path) => Assert.Throws<FormatException>(() => JsonKeyPath.Parse(path));
}
