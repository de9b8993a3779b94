using Ferry.Profiles;

namespace Ferry.Tests.Profiles;

/// <summary>A requirement holds when its first row's first column is true or a non-zero number, as each engine returns it.</summary>
public class RequirementsTests
{
    [Theory]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("t", true)]
    [InlineData("1", true)]
    [InlineData("63.5", true)]
    [InlineData("-1", true)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("0.0", false)]
    [InlineData("yes", false)]
    [InlineData(null, false)]
    public void First_column_of_the_first_row(string? value, bool holds) =>
        Assert.Equal(holds, Requirements.Holds([[value, "ignored"], ["0"]]));

    [Fact]
    public void No_row_does_not_hold() => Assert.False(Requirements.Holds([]));
}
