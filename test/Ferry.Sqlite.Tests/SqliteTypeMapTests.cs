using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

public class SqliteTypeMapTests
{
    [Theory]
    [InlineData("BOOLEAN", FerryType.Bool)]
    [InlineData("bool", FerryType.Bool)]
    [InlineData("TIMESTAMPTZ", FerryType.TimestampTz)]
    [InlineData("timestamp with time zone", FerryType.TimestampTz)]
    [InlineData("datetime(6)", FerryType.Timestamp)]
    [InlineData("TIMESTAMP", FerryType.Timestamp)]
    [InlineData("DATE", FerryType.Date)]
    [InlineData("TIME", FerryType.Time)]
    [InlineData("UUID", FerryType.Uuid)]
    [InlineData("GUID", FerryType.Uuid)]
    [InlineData("JSON", FerryType.Json)]
    [InlineData("jsonb", FerryType.Json)]
    [InlineData("INTEGER", FerryType.Int)]
    [InlineData("bigint", FerryType.Int)]
    [InlineData("VARCHAR(40)", FerryType.Text)]
    [InlineData("CLOB", FerryType.Text)]
    [InlineData("text", FerryType.Text)]
    [InlineData("BLOB", FerryType.Bytes)]
    [InlineData("bytea", FerryType.Bytes)]
    [InlineData("VARBINARY(16)", FerryType.Bytes)]
    [InlineData("REAL", FerryType.Float)]
    [InlineData("FLOAT", FerryType.Float)]
    [InlineData("double precision", FerryType.Float)]
    [InlineData("NUMERIC(10,2)", FerryType.Decimal)]
    [InlineData("decimal", FerryType.Decimal)]
    [InlineData("MONEY", FerryType.Decimal)]
    [InlineData("", FerryType.Text)]
    [InlineData("STRING", FerryType.Decimal)]
    public void Maps_declared_type(string declared, FerryType expected) => Assert.Equal(expected, SqliteTypeMap.Map(declared));
}
