using Ferry.Engines;

namespace Ferry.Tests.Planning;

public class JsonKeyPathTests
{
    [Theory]
    [InlineData("$.place_id", "$.place_id", false, 0)]
    [InlineData("$.a.users[*]", "$.a.users[*]", true, 1)]
    [InlineData("$[*]", "$[*]", true, 1)]
    [InlineData("$.package.tags[*].id", "$.package.tags[*].id", false, 1)]
    [InlineData("$.rows[*].cells[*]", "$.rows[*].cells[*]", true, 2)]
    [InlineData("$.history[0].user-id", "$.history[0].user-id", false, 0)]
    [InlineData("$[12][*]", "$[12][*]", true, 1)]
    public void Parses_members_indexes_and_wildcards_at_any_depth(string path, string text, bool endsInEvery, int wildcards)
    {
        var parsed = JsonKeyPath.Parse(path);
        Assert.Equal(text, parsed.ToString());
        Assert.Equal(endsInEvery, parsed.EndsInEvery);
        Assert.Equal(wildcards, parsed.Wildcards);
        Assert.Equal(parsed, JsonKeyPath.Parse(parsed.ToString()));
    }

    [Fact]
    public void Steps_are_data_never_text()
    {
        var steps = JsonKeyPath.Parse("$.a[3][*].b").Steps;
        Assert.Equal([JsonStep.Member("a"), JsonStep.At(3), JsonStep.Every, JsonStep.Member("b")], steps);
    }

    [Theory]
    [InlineData("place_id", "does not start with $")]
    [InlineData("$", "has no step after $")]
    [InlineData("$..a", "member name at position 2")]
    [InlineData("$.a b", "' ' at position 3")]
    [InlineData("$.a[-1]", "neither [*] nor [N]")]
    [InlineData("$.a[01]", "neither [*] nor [N]")]
    [InlineData("$.a[?(@.x)]", "neither [*] nor [N]")]
    [InlineData("$.a[*", "neither [*] nor [N]")]
    [InlineData("$.'a'", "member name at position 2")]
    [InlineData("$.1a", "member name at position 2")]
    [InlineData("$.a\"b", "'\"' at position 3")]
    public void Rejects_what_is_not_in_the_grammar_saying_where(string path, string why)
    {
        var e = Assert.Throws<FormatException>(() => JsonKeyPath.Parse(path));
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.False(JsonKeyPath.IsValid(path));
    }

    [Fact]
    public void Refuses_paths_deeper_than_the_limit()
    {
        var deep = "$" + string.Concat(Enumerable.Repeat(".a", JsonKeyPath.MaxSteps + 1));
        Assert.Contains("more than", Assert.Throws<FormatException>(() => JsonKeyPath.Parse(deep)).Message, StringComparison.Ordinal);
        Assert.True(JsonKeyPath.IsValid("$" + string.Concat(Enumerable.Repeat(".a", JsonKeyPath.MaxSteps))));
    }

    [Theory]
    [InlineData("$.place_id", "", "$.\"place_id\"")]
    [InlineData("$[*]", "$", "$")]
    [InlineData("$.package.tags[*].id", "$.\"package\".\"tags\"", "$.\"id\"")]
    [InlineData("$.rows[*].cells[2][*]", "$.\"rows\" $.\"cells\"[2]", "$")]
    [InlineData("$.history[1].by", "", "$.\"history\"[1].\"by\"")]
    public void Is_cut_at_each_wildcard_into_the_steps_to_each_array_and_a_tail(string path, string arrays, string tail)
    {
        var (cut, rest) = JsonKeyPath.Parse(path).Cut();

        Assert.Equal(arrays, string.Join(" ", cut.Select(JsonKeyPath.Text)));
        Assert.Equal(tail, JsonKeyPath.Text(rest));
    }
}
