using System.Globalization;
using System.Text;
using Ferry.Schema;

namespace Ferry.Sqlite;

/// <summary>
/// Turns a value as SQLite stored it (<see cref="long"/>, <see cref="double"/>, <see cref="string"/>,
/// <see cref="T:byte[]"/> or <see cref="DBNull"/>: its storage class, whatever the column's declared
/// type) into the in-memory representation of a <see cref="FerryType"/>. Dates and times are kept
/// verbatim so that a move between SQLite files preserves the app's own text.
/// </summary>
internal static class SqliteValueConverter
{
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Converts <paramref name="value"/>; a value the type cannot represent is a <see cref="FerryException"/> naming <paramref name="table"/>.<paramref name="column"/>.</summary>
    public static object? Convert(object value, FerryType type, string table, string column)
    {
        if (value is DBNull)
        {
            return null;
        }

        var converted = type switch
        {
            FerryType.Int => ToInt(value),
            FerryType.Float => ToFloat(value),
            FerryType.Bool => ToBool(value),
            FerryType.Decimal => ToDecimal(value),
            FerryType.Text => ToText(value),
            FerryType.Bytes => value switch { byte[] => value, string s => Encoding.UTF8.GetBytes(s), _ => null },
            // The archive's forms (docs/format.md §5), checked as every importer checks them: a day that exists.
            FerryType.Date or FerryType.Time or FerryType.Timestamp or FerryType.TimestampTz =>
                value is string s && ValueGrammar.Problem(type, Encoding.UTF8.GetBytes(s)) is null ? s : null,
            FerryType.Uuid => ToUuid(value),
            // JSON the archive could not carry: every importer checks that a json value parses.
            FerryType.Json => value switch
            {
                string s when ValueGrammar.Problem(FerryType.Json, Encoding.UTF8.GetBytes(s)) is null => s,
                long or double => Invariant(value),
                _ => null,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
        return converted ?? throw new FerryException($"{table}.{column}: value {Show(value)} {Expected(type)}");
    }

    private static object? ToInt(object value) => value switch
    {
        // The stored value itself when it already has the right type: no second boxing.
        long => value,
        // 2^63 is exactly representable; anything from it upwards overflows a long.
        double d when Math.Floor(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0 => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    private static object? ToFloat(object value) => value switch
    {
        double => value,
        long l => (double)l,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static object? ToBool(object value) => value switch
    {
        long l => l != 0 ? True : False,
        string s when s.Length == 1 && "t1".Contains(char.ToLowerInvariant(s[0]), StringComparison.Ordinal) => True,
        string s when s.Length == 1 && "f0".Contains(char.ToLowerInvariant(s[0]), StringComparison.Ordinal) => False,
        string s when s.Equals("true", StringComparison.OrdinalIgnoreCase) => True,
        string s when s.Equals("false", StringComparison.OrdinalIgnoreCase) => False,
        _ => null,
    };

    private static string? ToDecimal(object value) => value switch
    {
        long => Invariant(value),
        double d when double.IsFinite(d) => Invariant(value),
        string s when DecimalNumber.TryParse(Encoding.UTF8.GetBytes(s), out var number) && !number.Special && number.Problem() is null => s,
        _ => null,
    };

    private static string? ToText(object value) => value switch
    {
        string s => s,
        long or double => Invariant(value),
        byte[] b => TryDecodeUtf8(b),
        _ => null,
    };

    private static string? ToUuid(object value) => value switch
    {
        string s when Guid.TryParse(s, out var g) => g.ToString("D"),
        // RFC 4122 byte order: the 16 bytes read as one big-endian number.
        byte[] { Length: 16 } b => new Guid(b, bigEndian: true).ToString("D"),
        _ => null,
    };

    private static string? TryDecodeUtf8(byte[] bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string Invariant(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => System.Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string Show(object value) => value switch
    {
        byte[] b => $"X'{System.Convert.ToHexString(b.AsSpan(0, Math.Min(b.Length, 32)))}{(b.Length > 32 ? "..." : "")}' ({b.Length} bytes)",
        string s => $"'{(s.Length > 100 ? s[..100] + "..." : s)}'",
        _ => $"'{Invariant(value)}'",
    };

    private static string Expected(FerryType type) => type switch
    {
        FerryType.Int => "is not an integer",
        FerryType.Float => "is not a number",
        FerryType.Bool => "is not a boolean (0/1, true/false, t/f)",
        FerryType.Decimal => "is not a decimal number",
        FerryType.Text => "is a blob that is not UTF-8 text",
        FerryType.Bytes => "is a number, not a blob",
        FerryType.Date => "is not an ISO 8601 date (YYYY-MM-DD); Ferry does not guess epoch or local formats",
        FerryType.Time => "is not an ISO 8601 time of day (HH:MM[:SS[.fff]]); Ferry does not guess other formats",
        FerryType.Timestamp or FerryType.TimestampTz => "is not an ISO 8601 timestamp; Ferry does not guess epoch or local formats",
        FerryType.Uuid => "is not a UUID (text, or a 16-byte blob)",
        FerryType.Json => "is not JSON text (a column declared JSON must hold JSON documents)",
        _ => "cannot be represented",
    };
}
