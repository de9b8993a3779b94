using Ferry.Schema;

namespace Ferry.MariaDb.Tests;

public sealed class MariaDbStagedValueTests
{
    [Theory]
    [InlineData(FerryType.Date, "2024-02-29", "2024-02-29")]
    [InlineData(FerryType.Timestamp, "2024-05-01 10:00:00.123456", "2024-05-01 10:00:00.123456")]
    [InlineData(FerryType.Timestamp, "2024-05-01T10:00:00", "2024-05-01 10:00:00")]
    [InlineData(FerryType.Timestamp, "2024-05-01", "2024-05-01 00:00:00")]
    [InlineData(FerryType.TimestampTz, "2024-05-01 10:00:00+02:00", "2024-05-01 08:00:00")]
    [InlineData(FerryType.TimestampTz, "2024-05-01 00:30:00.5-01", "2024-05-01 01:30:00.5")]
    [InlineData(FerryType.TimestampTz, "1999-12-31 23:59:59Z", "1999-12-31 23:59:59")]
    [InlineData(FerryType.TimestampTz, "1999-12-31 23:00:00-05:30", "2000-01-01 04:30:00")]
    [InlineData(FerryType.Decimal, "-12.3400", "-12.3400")]
    [InlineData(FerryType.Text, "Infinity", "Infinity")]
    public void Values_take_the_form_MariaDB_reads(FerryType type, string archive, string staged)
    {
        Assert.Equal(staged, MariaDbStagedValue.Convert(type, archive, out var reason));
        Assert.Null(reason);
    }

    [Theory]
    [InlineData(FerryType.Date, "0044-03-15 BC", "a date MariaDB cannot hold")]
    [InlineData(FerryType.Date, "infinity", "a date MariaDB cannot hold")]
    [InlineData(FerryType.Date, "12024-01-01", "a date MariaDB cannot hold")]
    [InlineData(FerryType.Timestamp, "-infinity", "a timestamp MariaDB cannot hold")]
    [InlineData(FerryType.TimestampTz, "1000-01-01 00:30:00+01:00", "years run from 1000 to 9999")]
    [InlineData(FerryType.Decimal, "NaN", "no NaN or infinity")]
    public void Values_MariaDB_cannot_hold_are_refused_with_the_reason(FerryType type, string archive, string reason)
    {
        Assert.Null(MariaDbStagedValue.Convert(type, archive, out var why));
        Assert.Contains(reason, why, StringComparison.Ordinal);
    }
}
