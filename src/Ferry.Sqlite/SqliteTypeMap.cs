using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Sqlite;

/// <summary>
/// Maps a declared SQLite column type to the archive type its values travel as. Like SQLite's own
/// affinity rules (substring tests, first match wins) but richer, so that dates, booleans, UUIDs
/// and JSON that apps declare keep their meaning across engines.
/// </summary>
internal static partial class SqliteTypeMap
{
    // First match wins: "TIMESTAMPTZ" before "TIMESTAMP", "DATETIME" before "DATE" and "TIME",
    // dates, UUIDs and JSON before "INT" and "CHAR" (a "UUID CHAR(36)" is a UUID).
    private static readonly (string[] Needles, FerryType Type)[] Rules =
    [
        (["BOOL"], FerryType.Bool),
        (["TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE"], FerryType.TimestampTz),
        (["DATETIME", "TIMESTAMP"], FerryType.Timestamp),
        (["DATE"], FerryType.Date),
        (["TIME"], FerryType.Time),
        (["UUID", "GUID"], FerryType.Uuid),
        (["JSON"], FerryType.Json),
        (["INT"], FerryType.Int),
        (["CHAR", "CLOB", "TEXT"], FerryType.Text),
        (["BLOB", "BYTEA", "BINARY"], FerryType.Bytes),
        (["REAL", "FLOA", "DOUB"], FerryType.Float),
        (["NUMERIC", "DECIMAL", "MONEY"], FerryType.Decimal),
    ];

    /// <summary>
    /// The archive type for <paramref name="declaredType"/>. No declared type is Text (SQLite's BLOB
    /// affinity keeps any value; text is what such columns hold in practice). Any other name has
    /// SQLite's NUMERIC affinity, so its values are numbers or numeric text: Decimal, which keeps
    /// integers, reals and numeric text exactly and rejects anything else by name.
    /// </summary>
    public static FerryType Map(string declaredType)
    {
        var upper = declaredType.Trim().ToUpperInvariant();
        if (upper.Length == 0)
        {
            return FerryType.Text;
        }

        foreach (var (needles, type) in Rules)
        {
            if (needles.Any(n => upper.Contains(n, StringComparison.Ordinal)))
            {
                return type;
            }
        }

        return FerryType.Decimal;
    }

    /// <summary>
    /// What a declared type allows that Ferry must check, since SQLite does not: a decimal's precision and
    /// scale when declared (<c>NUMERIC(10,2)</c>, <c>DECIMAL(5)</c>), and the double that NUMERIC and REAL
    /// affinity turn numbers into (a larger value would be stored as infinity, NaN as NULL). Declared lengths
    /// (<c>VARCHAR(40)</c>) are not limits: SQLite keeps longer text, and apps on SQLite rely on that.
    /// </summary>
    public static ValueLimits Limits(string declaredType, FerryType type)
    {
        if (type == FerryType.Float)
        {
            return new ValueLimits(MaxMagnitude: double.MaxValue, NaN: false);
        }
        if (type != FerryType.Decimal)
        {
            return ValueLimits.None;
        }
        var digits = Digits().Match(declaredType);
        return digits.Success
            ? new ValueLimits(Precision: Number(digits.Groups[1]), Scale: digits.Groups[2].Success ? Number(digits.Groups[2]) : 0, MaxMagnitude: double.MaxValue)
            : new ValueLimits(MaxMagnitude: double.MaxValue);
    }

    private static int Number(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\s*(?:NUMERIC|DECIMAL)\s*\(\s*([0-9]{1,4})\s*(?:,\s*([0-9]{1,4})\s*)?\)\s*\z", RegexOptions.IgnoreCase)]
    private static partial Regex Digits();
}
