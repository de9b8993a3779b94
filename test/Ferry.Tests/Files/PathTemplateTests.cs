using Ferry.Files;

namespace Ferry.Tests.Files;

public sealed class PathTemplateTests
{
    private static Func<string, string?> Row(params (string Name, string? Value)[] values) =>
        name => values.First(v => v.Name == name).Value;

    [Theory]
    [InlineData("{id % 10}/{id / 10 % 20}/{id}", "1234", "4/3/1234")]
    [InlineData("{id % 10}/{id / 10 % 20}/{id}", "7", "7/0/7")]
    [InlineData("att/{id:08}", "42", "att/00000042")]
    [InlineData("{id:x}/{id:04X}", "255", "ff/00FF")]
    [InlineData("{(id + 1) * 2 - 3}", "10", "19")]
    [InlineData("{id - -2}", "1", "3")]
    [InlineData("{id / 3}-{id % 3}", "-7", "-2--1")]
    [InlineData("x{{y}}/{id}", "5", "x{y}/5")]
    [InlineData("{ id  %  10 }", "31", "1")]
    public void Integer_arithmetic_and_formats_truncate_toward_zero_as_in_c(string template, string id, string expected) =>
        Assert.Equal(expected, PathTemplate.Parse(template).Evaluate(Row(("id", id))));

    [Fact]
    public void A_column_alone_is_written_as_it_is_and_columns_are_listed_once()
    {
        var template = PathTemplate.Parse("{owner}/{id % 10}/{id}-{name}");

        Assert.Equal("ann/3/13-plan.txt", template.Evaluate(Row(("owner", "ann"), ("id", "13"), ("name", "plan.txt"))));
        Assert.Equal(["owner", "id", "name"], template.Columns);
        Assert.Equal(["id"], template.Integers);
    }

    [Fact]
    public void A_null_value_means_the_row_has_no_file() =>
        Assert.Null(PathTemplate.Parse("{a}/{b % 2}").Evaluate(Row(("a", "x"), ("b", null))));

    [Theory]
    [InlineData("", "the path template is empty")]
    [InlineData("static/name", "the path template uses no column: every row would name the same file")]
    [InlineData("{id", "'{' at character 1 is not closed by '}'")]
    [InlineData("a}b{id}", "'}' at character 2 closes nothing (write }} for a literal brace)")]
    [InlineData("{id %}", "an expression is missing at character 6 of the path template")]
    [InlineData("{(id}", "')' is missing at character 5 of the path template")]
    [InlineData("{id; DROP TABLE x}", "unexpected ';' at character 4 of the path template")]
    [InlineData("{id:5}", "unknown format '5' at character 5: use 0N (zero-padded to N digits), x, X, 0Nx or 0NX")]
    [InlineData("{id:0999}", "unknown format '0999' at character 5: use 0N (zero-padded to N digits), x, X, 0Nx or 0NX")]
    [InlineData("{99999999999999999999}", "the number is too large at character 2 of the path template")]
    public void A_bad_template_says_what_and_where(string template, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PathTemplate.Parse(template)).Message);

    [Fact]
    public void Deep_nesting_and_long_templates_are_refused()
    {
        Assert.Contains("nests too deeply", Assert.Throws<FormatException>(() => PathTemplate.Parse("{" + new string('(', 40) + "id" + new string(')', 40) + "}")).Message, StringComparison.Ordinal);
        Assert.Equal("the path template is longer than 1024 characters", Assert.Throws<FormatException>(() => PathTemplate.Parse("{id}" + new string('a', 1024))).Message);
    }

    [Theory]
    [InlineData("{id / zero}", "division by zero")]
    [InlineData("{id % zero}", "division by zero (%)")]
    [InlineData("{id * 9223372036854775807}", "2 * 9223372036854775807 overflows a 64-bit integer")]
    public void Evaluation_errors_are_format_errors(string template, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => PathTemplate.Parse(template).Evaluate(Row(("id", "2"), ("zero", "0")))).Message);

    [Fact]
    public void A_value_that_is_no_integer_is_named() =>
        Assert.Equal("column id holds 'abc', not an integer",
            Assert.Throws<FormatException>(() => PathTemplate.Parse("{id % 10}").Evaluate(Row(("id", "abc")))).Message);

    [Fact]
    public void Values_are_written_in_one_invariant_form()
    {
        Assert.Equal("12", PathTemplate.ValueText(12L));
        Assert.Equal("0a0b0c0d-0000-0000-0000-000000000001", PathTemplate.ValueText(Guid.Parse("0A0B0C0D-0000-0000-0000-000000000001")));
        Assert.Null(PathTemplate.ValueText(null));
        Assert.Throws<FormatException>(() => PathTemplate.ValueText(new byte[] { 1 }));
    }
}
