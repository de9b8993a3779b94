using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

public class SqliteValueConverterTests
{
    private static object? Convert(object value, FerryType type) => SqliteValueConverter.Convert(value, type, "t", "c");

    private static string Error(object value, FerryType type) => Assert.Throws<FerryException>(() => Convert(value, type)).Message;

    [Fact]
    public void Null_is_null_for_every_type()
    {
        foreach (var type in Enum.GetValues<FerryType>())
        {
            Assert.Null(Convert(DBNull.Value, type));
        }
    }

    [Fact]
    public void Int_from_integer_integral_real_and_integer_text()
    {
        Assert.Equal(5L, Convert(5L, FerryType.Int));
        Assert.Equal(-3L, Convert(-3.0, FerryType.Int));
        Assert.Equal(long.MinValue, Convert("-9223372036854775808", FerryType.Int));
        Assert.Equal("t.c: value '1.5' is not an integer", Error(1.5, FerryType.Int));
        Assert.Equal("t.c: value '9.223372036854776E+18' is not an integer", Error(9223372036854775808.0, FerryType.Int));
        Assert.Equal("t.c: value ' 7' is not an integer", Error(" 7", FerryType.Int));
    }

    [Fact]
    public void Float_from_real_integer_and_numeric_text()
    {
        Assert.Equal(1.5, Convert(1.5, FerryType.Float));
        Assert.Equal(2.0, Convert(2L, FerryType.Float));
        Assert.Equal(-1e-3, Convert("-1e-3", FerryType.Float));
        Error("abc", FerryType.Float);
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(1L, true)]
    [InlineData(2L, true)]
    [InlineData("t", true)]
    [InlineData("F", false)]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    public void Bool_from_integer_and_text(object stored, bool expected) => Assert.Equal(expected, Convert(stored, FerryType.Bool));

    [Fact]
    public void Bool_rejects_other_text() => Assert.Equal("t.c: value 'yes' is not a boolean (0/1, true/false, t/f)", Error("yes", FerryType.Bool));

    [Fact]
    public void Decimal_keeps_numbers_exactly_and_numeric_text_verbatim()
    {
        Assert.Equal("12", Convert(12L, FerryType.Decimal));
        Assert.Equal("0.1", Convert(0.1, FerryType.Decimal));
        Assert.Equal("-12.3400", Convert("-12.3400", FerryType.Decimal));
        Assert.Equal("123456789012345678901234567890.5", Convert("123456789012345678901234567890.5", FerryType.Decimal));
        Error("12,5", FerryType.Decimal);
        Error("12\n", FerryType.Decimal);
        Error(double.PositiveInfinity, FerryType.Decimal);
    }

    [Fact]
    public void Text_from_text_numbers_and_utf8_blobs()
    {
        Assert.Equal("héllo", Convert("héllo", FerryType.Text));
        Assert.Equal("42", Convert(42L, FerryType.Text));
        Assert.Equal("0.5", Convert(0.5, FerryType.Text));
        Assert.Equal("é", Convert(new byte[] { 0xC3, 0xA9 }, FerryType.Text));
        Assert.Equal("t.c: value X'FF00' (2 bytes) is a blob that is not UTF-8 text", Error(new byte[] { 0xFF, 0x00 }, FerryType.Text));
    }

    [Fact]
    public void Bytes_from_blob_and_text()
    {
        Assert.Equal(new byte[] { 1, 2 }, Convert(new byte[] { 1, 2 }, FerryType.Bytes));
        Assert.Equal("é"u8.ToArray(), Convert("é", FerryType.Bytes));
        Error(1L, FerryType.Bytes);
    }

    [Theory]
    [InlineData(FerryType.Timestamp, "2024-05-01 10:00:00")]
    [InlineData(FerryType.Timestamp, "2024-05-01T10:00:00.123456")]
    [InlineData(FerryType.Timestamp, "2024-05-01 10:00")]
    [InlineData(FerryType.Timestamp, "2024-05-01")]
    [InlineData(FerryType.TimestampTz, "2024-05-01T10:00:00Z")]
    [InlineData(FerryType.TimestampTz, "2024-05-01 10:00:00.5+02:00")]
    [InlineData(FerryType.TimestampTz, "2024-05-01 10:00:00-0530")]
    [InlineData(FerryType.Date, "2024-05-01")]
    [InlineData(FerryType.Time, "10:00")]
    [InlineData(FerryType.Time, "23:59:59.999")]
    public void Dates_and_times_are_kept_verbatim(FerryType type, string stored) => Assert.Same(stored, Convert(stored, type));

    [Fact]
    public void Timestamps_that_are_not_iso_8601_are_errors_naming_the_column()
    {
        const string Suffix = "is not an ISO 8601 timestamp; Ferry does not guess epoch or local formats";
        Assert.Equal($"t.c: value '1714557600' {Suffix}", Error(1714557600L, FerryType.Timestamp));
        Assert.Equal($"t.c: value '05/01/2024 10:00' {Suffix}", Error("05/01/2024 10:00", FerryType.TimestampTz));
        Assert.Equal($"t.c: value '2460431.5' {Suffix}", Error(2460431.5, FerryType.Timestamp));
        Error("2024-05-01 10:00:00\n", FerryType.Timestamp);
        Error("2024-05-01 10:00", FerryType.Date);
        Error("10h00", FerryType.Time);
    }

    [Fact]
    public void Uuid_from_text_any_form_and_from_rfc_4122_blob()
    {
        const string Expected = "00112233-4455-6677-8899-aabbccddeeff";
        Assert.Equal(Expected, Convert("00112233-4455-6677-8899-AABBCCDDEEFF", FerryType.Uuid));
        Assert.Equal(Expected, Convert("00112233445566778899aabbccddeeff", FerryType.Uuid));
        Assert.Equal(Expected, Convert(System.Convert.FromHexString("00112233445566778899AABBCCDDEEFF"), FerryType.Uuid));
        Error("not-a-uuid", FerryType.Uuid);
        Error(new byte[15], FerryType.Uuid);
    }

    [Fact]
    public void Json_is_text_verbatim()
    {
        Assert.Equal("{ \"a\" : 1 }", Convert("{ \"a\" : 1 }", FerryType.Json));
        Assert.Equal("3", Convert(3L, FerryType.Json));
        Error(new byte[] { 1 }, FerryType.Json);
        Error("{ \"a\" : ", FerryType.Json);
        Error("not json", FerryType.Json);
    }
}
