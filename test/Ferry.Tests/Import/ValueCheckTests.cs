using System.Text;
using Ferry.Import;
using Ferry.Schema;

namespace Ferry.Tests.Import;

/// <summary>Values against the target column they go into: its type where the archive's differs, and its declared limits.</summary>
public class ValueCheckTests
{
    private static Column Target(FerryType type, string sqlType, ValueLimits? limits = null) =>
        new("c", sqlType, type, true) { Limits = limits ?? ValueLimits.None };

    private static string? Text(FerryType from, Column target, string value) =>
        ValueCheck.For(from, target)?.Text(Encoding.UTF8.GetBytes(value));

    [Theory]
    [InlineData("12.34", null)]
    [InlineData("-99999999.99", null)]
    [InlineData("12.340000", null)]
    [InlineData("123456789.1", "9 digits before the decimal point, more than NUMERIC(10,2) holds (8)")]
    [InlineData("1.234", "3 digits after the decimal point, more than NUMERIC(10,2) keeps (2)")]
    [InlineData("1e999999999", "1000000000 digits before the decimal point, more than NUMERIC(10,2) holds (8)")]
    [InlineData("NaN", "NaN or infinity, which a NUMERIC with a precision cannot hold")]
    public void Decimals_must_fit_precision_and_scale(string value, string? problem)
    {
        var target = Target(FerryType.Decimal, "numeric(10,2)", new ValueLimits(Precision: 10, Scale: 2));

        Assert.Equal(problem, Text(FerryType.Decimal, target, value));
    }

    [Theory]
    [InlineData("{3,1}", null)]
    [InlineData("{}", null)]
    [InlineData("{\"a b\",\"c\"}", null)]
    [InlineData("{3,NULL}", "an SQL array that does not read as a JSON array once its braces are brackets (a NULL element, or uuid or text elements, which PostgreSQL prints unquoted), as the target's JSON array needs")]
    [InlineData("{a,b}", "an SQL array that does not read as a JSON array once its braces are brackets (a NULL element, or uuid or text elements, which PostgreSQL prints unquoted), as the target's JSON array needs")]
    [InlineData("[3,1]", "not SQL array text ({1,2}), as the archive says this column holds")]
    [InlineData("{", "not SQL array text ({1,2}), as the archive says this column holds")]
    public void Sql_array_text_going_into_a_json_array_must_read_as_one(string value, string? problem)
    {
        Assert.Equal(problem, ValueCheck.ForSqlArray(Target(FerryType.Json, "json")).Text(Encoding.UTF8.GetBytes(value)));
        Assert.Equal(problem, ValueCheck.ForSqlArray(Target(FerryType.Text, "TEXT")).Text(Encoding.UTF8.GetBytes(value)));
    }

    [Fact]
    public void A_sqlite_decimal_without_precision_must_stay_a_finite_double()
    {
        var target = Target(FerryType.Decimal, "NUMERIC", new ValueLimits(MaxMagnitude: double.MaxValue));

        Assert.Null(Text(FerryType.Decimal, target, "1e300"));
        Assert.Equal("beyond the range of NUMERIC in this engine", Text(FerryType.Decimal, target, "1e400"));
        Assert.Equal("NaN or infinity, which this engine's decimal columns cannot hold", Text(FerryType.Decimal, target, "Infinity"));
    }

    [Fact]
    public void Integers_must_fit_the_columns_range()
    {
        var check = ValueCheck.For(FerryType.Int, Target(FerryType.Int, "smallint", new ValueLimits(MinInteger: short.MinValue, MaxInteger: short.MaxValue)))!;

        Assert.Null(check.Integer(-32768));
        Assert.Equal("out of the range of smallint", check.Integer(32768));
        Assert.Null(ValueCheck.For(FerryType.Int, Target(FerryType.Int, "bigint")));
    }

    [Fact]
    public void A_float_going_into_an_integer_column_must_be_whole()
    {
        var check = ValueCheck.For(FerryType.Float, Target(FerryType.Int, "bigint"))!;

        Assert.Null(check.Real(42.0));
        Assert.Equal("not a whole number that fits an integer column (it would be rounded)", check.Real(1.5));
        Assert.Equal("not a whole number that fits an integer column (it would be rounded)", check.Real(double.NaN));
    }

    [Fact]
    public void Sqlite_real_columns_refuse_nan_which_they_would_store_as_null()
    {
        var check = ValueCheck.For(FerryType.Float, Target(FerryType.Float, "REAL", new ValueLimits(MaxMagnitude: double.MaxValue, NaN: false)))!;

        Assert.Equal("NaN, which this engine stores as NULL", check.Real(double.NaN));
        Assert.Null(check.Real(double.PositiveInfinity));
        Assert.Null(check.Real(-0.0));
    }

    [Fact]
    public void Text_must_not_hold_nul_and_must_fit_a_declared_length()
    {
        var varchar = Target(FerryType.Text, "character varying(3)", new ValueLimits(MaxLength: 3));

        Assert.Null(Text(FerryType.Text, varchar, "Zoë"));
        Assert.Equal("4 characters, longer than character varying(3) allows", Text(FerryType.Text, varchar, "Zoës"));
        Assert.StartsWith("text with a NUL character (U+0000)", Text(FerryType.Text, Target(FerryType.Text, "TEXT"), "a\0b"), StringComparison.Ordinal);
        Assert.Null(Text(FerryType.Text, Target(FerryType.Text, "TEXT"), "any text at all ✓"));
    }

    [Theory]
    [InlineData(FerryType.Date, "DATE", "not a date", "not a date (YYYY-MM-DD)")]
    [InlineData(FerryType.Date, "DATE", "2024-02-29", null)]
    [InlineData(FerryType.Timestamp, "DATETIME", "yesterday", "not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][±HH:MM])")]
    [InlineData(FerryType.Uuid, "uuid", "0b7e6f2c-3d1e-4a5b-9c8d-7e6f5a4b3c2d", null)]
    [InlineData(FerryType.Uuid, "uuid", "0b7e6f2c", "not a UUID")]
    [InlineData(FerryType.Int, "INTEGER", "12", null)]
    [InlineData(FerryType.Int, "INTEGER", "12.5", "not a whole number")]
    [InlineData(FerryType.Bool, "BOOLEAN", "yes", null)]
    [InlineData(FerryType.Bool, "BOOLEAN", "maybe", "not a boolean (true/false, t/f, 1/0, yes/no)")]
    [InlineData(FerryType.Json, "JSON", "{\"a\":1}", null)]
    [InlineData(FerryType.Json, "JSON", "{\"a\":", "not a JSON document")]
    public void Text_going_into_a_typed_column_must_parse_as_that_type(FerryType type, string sqlType, string value, string? problem)
    {
        Assert.Equal(problem, Text(FerryType.Text, Target(type, sqlType), value));
    }

    [Fact]
    public void Json_with_an_escaped_nul_is_refused_and_an_escaped_backslash_u_is_not()
    {
        var json = Target(FerryType.Json, "jsonb");

        Assert.Equal("JSON with a NUL character (\\u0000), which PostgreSQL's jsonb cannot store", Text(FerryType.Json, json, "{\"a\":\"x\\u0000\"}"));
        Assert.Null(Text(FerryType.Json, json, "{\"a\":\"\\\\u0000\"}"));
    }

    private static Column Members(bool isSet, params string[] names) =>
        Target(FerryType.Text, isSet ? "set(…)" : "enum(…)", new ValueLimits(Members: new ValueMembers(names, isSet)));

    [Theory]
    [InlineData("red", null)]
    [InlineData("it's", null)]
    [InlineData("a,b", null)]
    [InlineData("", "not one of the column's members (allowed: 'red', 'Green', 'it's', 'a,b')")]
    [InlineData("green", "not one of the column's members (allowed: 'red', 'Green', 'it's', 'a,b')")]
    [InlineData("red ", "not one of the column's members (allowed: 'red', 'Green', 'it's', 'a,b')")]
    public void An_enum_takes_its_members_exactly(string value, string? problem)
    {
        Assert.Equal(problem, Text(FerryType.Text, Members(false, "red", "Green", "it's", "a,b"), value));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("a", null)]
    [InlineData("c,a", null)]
    [InlineData("a,a", null)]
    [InlineData("a,x,y,x", "a set of members holding 'x', 'y', which the column's set does not have (allowed: 'a', 'b', 'c')")]
    [InlineData("A", "a set of members holding 'A', which the column's set does not have (allowed: 'a', 'b', 'c')")]
    [InlineData("a,", "a set of members holding '', which the column's set does not have (allowed: 'a', 'b', 'c')")]
    public void A_set_takes_any_list_of_its_members(string value, string? problem)
    {
        Assert.Equal(problem, Text(FerryType.Text, Members(true, "a", "b", "c"), value));
    }

    [Fact]
    public void Numbers_and_booleans_going_into_an_enum_must_be_members_by_their_text()
    {
        var digits = Members(false, "1", "2", "10");

        Assert.Null(ValueCheck.For(FerryType.Int, digits)!.Integer(10));
        Assert.Equal("not one of the column's members (allowed: '1', '2', '10')", ValueCheck.For(FerryType.Int, digits)!.Integer(3));
        Assert.Null(ValueCheck.For(FerryType.Float, digits)!.Real(2.0));
        Assert.NotNull(ValueCheck.For(FerryType.Float, digits)!.Real(2.5));
        Assert.Null(ValueCheck.For(FerryType.Bool, digits)!.Boolean(true));
        Assert.NotNull(ValueCheck.For(FerryType.Bool, digits)!.Boolean(false));
    }

    [Fact]
    public void A_long_list_of_members_is_shown_in_part()
    {
        var many = Members(false, Enumerable.Range(1, 30).Select(i => $"m{i}").ToArray());

        Assert.EndsWith("'m19', 'm20' and 10 more)", Text(FerryType.Text, many, "m31"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_characters_a_column_would_not_store_are_named()
    {
        Assert.Equal(["日 (U+65E5)", "本 (U+672C)"], Importer.Lacking("Grüße 日本", "Grüße ??"));
        Assert.Equal(["👋 (U+1F44B)"], Importer.Lacking("a👋b👋", "a?b?"));
        Assert.Equal(["\\u0080 (U+0080)"], Importer.Lacking("x\u0080", "x?"));
        Assert.Empty(Importer.Lacking("abc", "ab"));
    }

    [Fact]
    public void Nothing_is_checked_where_nothing_can_go_wrong()
    {
        Assert.Null(ValueCheck.For(FerryType.Int, Target(FerryType.Int, "INTEGER")));
        Assert.Null(ValueCheck.For(FerryType.Bool, Target(FerryType.Int, "INTEGER")));
        Assert.Null(ValueCheck.For(FerryType.Bytes, Target(FerryType.Bytes, "BLOB")));
        Assert.Null(ValueCheck.For(FerryType.Date, Target(FerryType.Date, "date")));
        Assert.Null(ValueCheck.For(FerryType.Int, null));
    }
}
