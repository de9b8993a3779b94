using System.Globalization;
using System.Runtime.CompilerServices;
using Ferry.Schema;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>
/// Streams a SELECT built with <see cref="MariaDbDialect.ExportColumn"/>: MySqlConnector reads rows off the socket as
/// they are asked for (never the whole result), one row's values in memory at a time. Each value becomes the in-memory
/// form of its column's archive type, or a <see cref="FerryException"/> naming table, column and value.
/// </summary>
internal static class MariaDbRowReader
{
    public static async IAsyncEnumerable<object?[]> ReadAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        ZeroDates zeroDates,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var row = new object?[columns.Count];
        await using var command = new MySqlCommand(selectSql, connection, transaction);
        await using var reader = await Wrap(command.ExecuteReaderAsync(cancellationToken), tableName);
        if (reader.FieldCount != columns.Count)
        {
            throw new FerryException($"reading table {tableName}: the query returned {reader.FieldCount} columns, expected {columns.Count}");
        }
        while (await Wrap(reader.ReadAsync(cancellationToken), tableName))
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert(reader.GetValue(i), columns[i], tableName, zeroDates);
            }
            yield return row;
        }
    }

    /// <summary>The archive form of one value read from <paramref name="column"/>.</summary>
    public static object? Convert(object value, Column column, string tableName, ZeroDates zeroDates)
    {
        switch (column.Type)
        {
            case FerryType.Int:
                return Integer(value, column, tableName);
            case FerryType.Bool:
                return Integer(value, column, tableName) switch
                {
                    0 => false,
                    1 => true,
                    var other => throw Refused(tableName, column, other.ToString(CultureInfo.InvariantCulture),
                        $"{column.SqlType} is read as a boolean and holds neither 0 nor 1: change the column to TINYINT(4) if it is a number, or fix the value"),
                };
            case FerryType.Float:
                return value switch
                {
                    double d => d,
                    float f => (double)f,
                    _ => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
                };
            case FerryType.Bytes:
                return value as byte[] ?? System.Text.Encoding.UTF8.GetBytes(Text(value));
            case FerryType.Date or FerryType.Timestamp or FerryType.TimestampTz:
                var text = Text(value);
                if (IsZeroDate(text))
                {
                    return ZeroDate(text, column, tableName, zeroDates);
                }
                text = TrimFraction(text);
                return column.Type == FerryType.TimestampTz ? text + "+00:00" : text;
            case FerryType.Time:
                var time = TrimFraction(Text(value));
                return time.Length >= 8 && time[2] == ':' && time.CompareTo("24") < 0 && time[0] != '-'
                    ? time
                    : throw Refused(tableName, column, time, "a TIME beyond a time of day (MariaDB allows -838:59:59 to 838:59:59) has no equal in other engines");
            case FerryType.Uuid:
                return Text(value).ToLowerInvariant();
            default:
                return Text(value);
        }
    }

    /// <summary>
    /// A time without the zeros MariaDB pads its fraction with to the column's precision (<c>10:00:00.500</c> of a
    /// DATETIME(3) is <c>10:00:00.5</c>; <c>10:00:00.000</c> is <c>10:00:00</c>), as PostgreSQL prints times.
    /// </summary>
    public static string TrimFraction(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot < 0 || text.IndexOf(':', dot) >= 0)
        {
            return text;
        }
        var end = text.Length;
        while (end > dot + 1 && text[end - 1] == '0')
        {
            end--;
        }
        return end == dot + 1 ? text[..dot] : text[..end];
    }

    /// <summary>True for MariaDB's zero dates: <c>0000-00-00</c>, and dates with a zero year, month or day.</summary>
    public static bool IsZeroDate(string text) =>
        text.Length >= 10 && (text.StartsWith("0000", StringComparison.Ordinal) || text.AsSpan(5, 2).SequenceEqual("00") || text.AsSpan(8, 2).SequenceEqual("00"));

    private static object? ZeroDate(string text, Column column, string tableName, ZeroDates zeroDates)
    {
        if (zeroDates == ZeroDates.Null && column.Nullable)
        {
            return null;
        }
        var why = zeroDates == ZeroDates.Null
            ? "the column is NOT NULL, so ?zero-dates=null cannot make it NULL: fix the rows first"
            : "no other engine can store it: fix the rows, or add ?zero-dates=null to the source URL to export zero dates as NULL";
        throw Refused(tableName, column, text, why);
    }

    private static long Integer(object value, Column column, string tableName) => value switch
    {
        long l => l,
        int i => i,
        uint u => u,
        short s => s,
        ushort u => u,
        sbyte b => b,
        byte b => b,
        bool b => b ? 1 : 0,
        ulong u when u <= long.MaxValue => (long)u,
        ulong u => throw Refused(tableName, column, u.ToString(CultureInfo.InvariantCulture),
            "integers travel as signed 64-bit values and this one is above 9223372036854775807"),
        decimal d when d is >= long.MinValue and <= long.MaxValue && decimal.Truncate(d) == d => (long)d,
        _ => throw Refused(tableName, column, System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", "it is not an integer"),
    };

    private static string Text(object value) => value switch
    {
        string s => s,
        byte[] b => System.Text.Encoding.UTF8.GetString(b),
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static FerryException Refused(string tableName, Column column, string value, string why) =>
        new($"table {tableName} column {column.Name} ({column.SqlType}) holds '{value}', which Ferry refuses: {why}");

    private static async Task<T> Wrap<T>(Task<T> task, string tableName)
    {
        try
        {
            return await task;
        }
        catch (MySqlException e)
        {
            throw new FerryException($"reading table {tableName} failed: {e.Message}", ExitCodes.Failure, e);
        }
    }
}
