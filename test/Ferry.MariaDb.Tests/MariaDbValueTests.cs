using Ferry.Schema;

namespace Ferry.MariaDb.Tests;

/// <summary>What each value read from MariaDB becomes in the archive, and which values are refused.</summary>
public sealed class MariaDbValueTests
{
    private static Column Col(FerryType type, string sqlType, bool nullable = true) => new("c", sqlType, type, nullable);

    [Fact]
    public void Unsigned_integers_up_to_the_signed_maximum_travel_as_integers()
    {
        Assert.Equal(long.MaxValue, MariaDbRowReader.Convert((ulong)long.MaxValue, Col(FerryType.Int, "bigint(20) unsigned"), "t", ZeroDates.Refuse));
        Assert.Equal(4294967295L, MariaDbRowReader.Convert(4294967295u, Col(FerryType.Int, "int(10) unsigned"), "t", ZeroDates.Refuse));
        Assert.Equal(-5L, MariaDbRowReader.Convert((sbyte)-5, Col(FerryType.Int, "tinyint(4)"), "t", ZeroDates.Refuse));
    }

    [Fact]
    public void A_BIGINT_UNSIGNED_above_the_signed_maximum_is_refused_by_name()
    {
        var e = Assert.Throws<FerryException>(() => MariaDbRowReader.Convert(ulong.MaxValue, Col(FerryType.Int, "bigint(20) unsigned"), "orders", ZeroDates.Refuse));

        Assert.Contains("table orders column c (bigint(20) unsigned) holds '18446744073709551615'", e.Message, StringComparison.Ordinal);
        Assert.Contains("9223372036854775807", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TINYINT_1_and_BIT_1_are_booleans_and_other_values_in_them_are_refused()
    {
        Assert.Equal(true, MariaDbRowReader.Convert((sbyte)1, Col(FerryType.Bool, "tinyint(1)"), "t", ZeroDates.Refuse));
        Assert.Equal(false, MariaDbRowReader.Convert(0UL, Col(FerryType.Bool, "bit(1)"), "t", ZeroDates.Refuse));
        var e = Assert.Throws<FerryException>(() => MariaDbRowReader.Convert((sbyte)2, Col(FerryType.Bool, "tinyint(1)"), "t", ZeroDates.Refuse));
        Assert.Contains("holds '2'", e.Message, StringComparison.Ordinal);
        Assert.Contains("neither 0 nor 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timestamps_read_in_UTC_carry_their_offset_and_datetimes_none()
    {
        Assert.Equal("2024-05-01 08:00:00+00:00", MariaDbRowReader.Convert("2024-05-01 08:00:00", Col(FerryType.TimestampTz, "timestamp"), "t", ZeroDates.Refuse));
        Assert.Equal("2024-05-01 08:00:00.123456", MariaDbRowReader.Convert("2024-05-01 08:00:00.123456", Col(FerryType.Timestamp, "datetime(6)"), "t", ZeroDates.Refuse));
    }

    [Theory]
    [InlineData("2024-05-01 10:00:00.000", "2024-05-01 10:00:00")]
    [InlineData("2024-05-01 10:00:00.500", "2024-05-01 10:00:00.5")]
    [InlineData("2024-05-01 10:00:00.123456", "2024-05-01 10:00:00.123456")]
    [InlineData("2024-05-01 10:00:00", "2024-05-01 10:00:00")]
    [InlineData("10:00:00.100", "10:00:00.1")]
    public void Fractions_lose_the_zeros_MariaDB_pads_them_with(string read, string travels) =>
        Assert.Equal(travels, MariaDbRowReader.TrimFraction(read));

    [Theory]
    [InlineData(FerryType.Date, "date", "0000-00-00")]
    [InlineData(FerryType.Date, "date", "2024-00-10")]
    [InlineData(FerryType.Date, "date", "2024-02-00")]
    [InlineData(FerryType.Timestamp, "datetime", "0000-00-00 00:00:00")]
    [InlineData(FerryType.TimestampTz, "timestamp", "0000-00-00 00:00:00")]
    public void Zero_dates_are_refused_unless_the_url_asks_for_null(FerryType type, string sqlType, string value)
    {
        var e = Assert.Throws<FerryException>(() => MariaDbRowReader.Convert(value, Col(type, sqlType), "events", ZeroDates.Refuse));
        Assert.Contains($"table events column c ({sqlType}) holds '{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("?zero-dates=null", e.Message, StringComparison.Ordinal);

        Assert.Null(MariaDbRowReader.Convert(value, Col(type, sqlType), "events", ZeroDates.Null));
        var notNull = Assert.Throws<FerryException>(() => MariaDbRowReader.Convert(value, Col(type, sqlType, nullable: false), "events", ZeroDates.Null));
        Assert.Contains("NOT NULL", notNull.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("25:00:00")]
    [InlineData("-01:00:00")]
    [InlineData("838:59:59")]
    public void A_TIME_beyond_a_time_of_day_is_refused(string value)
    {
        var e = Assert.Throws<FerryException>(() => MariaDbRowReader.Convert(value, Col(FerryType.Time, "time"), "t", ZeroDates.Refuse));

        Assert.Contains($"holds '{value}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Times_uuids_and_floats_are_normalised()
    {
        Assert.Equal("23:59:59.5", MariaDbRowReader.Convert("23:59:59.5", Col(FerryType.Time, "time(1)"), "t", ZeroDates.Refuse));
        Assert.Equal("6f9619ff-8b86-d011-b42d-00c04fc964ff", MariaDbRowReader.Convert("6F9619FF-8B86-D011-B42D-00C04FC964FF", Col(FerryType.Uuid, "uuid"), "t", ZeroDates.Refuse));
        Assert.Equal((double)1.5f, MariaDbRowReader.Convert(1.5f, Col(FerryType.Float, "float"), "t", ZeroDates.Refuse));
    }
}
