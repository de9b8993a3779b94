using Ferry.Schema;

namespace Ferry.MariaDb.Tests;

public sealed class MariaDbTypesTests
{
    [Theory]
    [InlineData("tinyint", "tinyint(1)", FerryType.Bool)]
    [InlineData("tinyint", "tinyint(1) unsigned", FerryType.Int)]
    [InlineData("tinyint", "tinyint(4)", FerryType.Int)]
    [InlineData("bit", "bit(1)", FerryType.Bool)]
    [InlineData("bit", "bit(8)", FerryType.Int)]
    [InlineData("bigint", "bigint(20) unsigned", FerryType.Int)]
    [InlineData("mediumint", "mediumint(9)", FerryType.Int)]
    [InlineData("year", "year(4)", FerryType.Int)]
    [InlineData("decimal", "decimal(40,10)", FerryType.Decimal)]
    [InlineData("float", "float", FerryType.Float)]
    [InlineData("double", "double", FerryType.Float)]
    [InlineData("varchar", "varchar(40)", FerryType.Text)]
    [InlineData("enum", "enum('a','b')", FerryType.Text)]
    [InlineData("set", "set('a','b')", FerryType.Text)]
    [InlineData("longtext", "longtext", FerryType.Text)]
    [InlineData("varbinary", "varbinary(16)", FerryType.Bytes)]
    [InlineData("longblob", "longblob", FerryType.Bytes)]
    [InlineData("date", "date", FerryType.Date)]
    [InlineData("time", "time(3)", FerryType.Time)]
    [InlineData("datetime", "datetime(6)", FerryType.Timestamp)]
    [InlineData("timestamp", "timestamp", FerryType.TimestampTz)]
    [InlineData("json", "json", FerryType.Json)]
    [InlineData("uuid", "uuid", FerryType.Uuid)]
    [InlineData("inet6", "inet6", FerryType.Text)]
    public void Maps_each_type_to_the_type_it_travels_as(string dataType, string columnType, FerryType expected) =>
        Assert.Equal(expected, MariaDbTypes.Map(dataType, columnType, isJson: false));

    [Fact]
    public void MariaDB_json_is_longtext_with_a_json_valid_check() =>
        Assert.Equal(FerryType.Json, MariaDbTypes.Map("longtext", "longtext", isJson: true));

    [Theory]
    [InlineData("tinyint", "tinyint(3) unsigned", 0L, 255L)]
    [InlineData("smallint", "smallint(6)", -32768L, 32767L)]
    [InlineData("int", "int(10) unsigned", 0L, 4294967295L)]
    [InlineData("bigint", "bigint(20) unsigned", 0L, long.MaxValue)]
    public void Integer_ranges_follow_the_declared_type(string dataType, string columnType, long min, long max)
    {
        var limits = MariaDbTypes.Limits(dataType, columnType, null);

        Assert.Equal((min, max), (limits.MinInteger, limits.MaxInteger));
    }

    [Theory]
    [InlineData("enum", "enum('red','green')", false, new[] { "red", "green" })]
    [InlineData("enum", "enum('Red','it''s','a,b','')", false, new[] { "Red", "it's", "a,b", "" })]
    [InlineData("set", "set('a','b','c')", true, new[] { "a", "b", "c" })]
    [InlineData("set", "set('Grüße','日本','👋')", true, new[] { "Grüße", "日本", "👋" })]
    public void Enum_and_set_members_are_read_as_information_schema_spells_them(string dataType, string columnType, bool isSet, string[] members)
    {
        var read = MariaDbTypes.Members(dataType, columnType);

        Assert.NotNull(read);
        Assert.Equal(isSet, read.IsSet);
        Assert.Equal(members, read.Names);
    }

    [Fact]
    public void Members_are_unescaped_as_the_server_escapes_them()
    {
        // What MariaDB 10.11 shows for ENUM('a\b', 'tab<TAB>here', 'nl<LF>x', 'cr<CR>', 'nul<NUL>', 'q'''): a backslash, LF, CR and NUL
        // escaped with a backslash, a quote doubled, a TAB as it is.
        var read = MariaDbTypes.Members("enum", "enum('a\\\\b','tab\there','nl\\nx','cr\\r','nul\\0','q''''')");

        Assert.Equal(["a\\b", "tab\there", "nl\nx", "cr\r", "nul\0", "q''"], read!.Names);
    }

    [Theory]
    [InlineData("varchar", "varchar(10)")]
    [InlineData("enum", "enum('a'")]
    [InlineData("enum", "enum('a',)")]
    [InlineData("enum", "enum('a)")]
    [InlineData("enum", "enum(a)")]
    [InlineData("enum", "enum('a') x")]
    [InlineData("set", "set")]
    public void Anything_else_has_no_members(string dataType, string columnType) =>
        Assert.Null(MariaDbTypes.Members(dataType, columnType));

    [Fact]
    public void Decimal_and_varchar_limits_come_from_the_declaration()
    {
        Assert.Equal((40, 10), (MariaDbTypes.Limits("decimal", "decimal(40,10)", null).Precision, MariaDbTypes.Limits("decimal", "decimal(40,10)", null).Scale));
        Assert.Equal(40, MariaDbTypes.Limits("varchar", "varchar(40)", 40).MaxLength);
    }

    [Theory]
    [InlineData("point")]
    [InlineData("geometry")]
    [InlineData("polygon")]
    public void Spatial_types_are_unsupported(string dataType) => Assert.True(MariaDbTypes.IsUnsupported(dataType));
}
