using Ferry.Schema;

namespace Ferry.Sqlite;

/// <summary>
/// Maps a declared SQLite column type to the archive type its values travel as. Like SQLite's own
/// affinity rules (substring tests, first match wins) but richer, so that dates, booleans, UUIDs
/// and JSON that apps declare keep their meaning across engines.
/// </summary>
internal static class SqliteTypeMap
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
}
