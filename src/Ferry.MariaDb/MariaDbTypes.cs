using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.MariaDb;

/// <summary>
/// Maps a MariaDB/MySQL column (information_schema's <c>DATA_TYPE</c> and <c>COLUMN_TYPE</c>) to the type its
/// values travel as (docs/engines.md has the table). Pure.
/// </summary>
internal static partial class MariaDbTypes
{
    /// <summary>Types Ferry cannot carry: spatial values. A table in scope with such a column is refused on export.</summary>
    private static readonly HashSet<string> _unsupported = new(StringComparer.Ordinal)
    {
        "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon", "geometrycollection",
    };

    /// <summary>True when the column's values cannot travel (spatial types).</summary>
    public static bool IsUnsupported(string dataType) => _unsupported.Contains(dataType);

    /// <summary>
    /// The archive type of a column. <paramref name="isJson"/>: MariaDB's JSON is LONGTEXT with a
    /// <c>json_valid</c> check, found by the schema reader. TINYINT(1) and BIT(1) are booleans, as the MySQL world
    /// uses them; every other integer (unsigned ones too) is an integer.
    /// </summary>
    public static FerryType Map(string dataType, string columnType, bool isJson)
    {
        if (isJson)
        {
            return FerryType.Json;
        }
        return dataType switch
        {
            "tinyint" when IsTinyOne(columnType) => FerryType.Bool,
            "bit" when columnType == "bit(1)" => FerryType.Bool,
            "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" or "year" or "bit" => FerryType.Int,
            "decimal" or "numeric" => FerryType.Decimal,
            "float" or "double" or "real" => FerryType.Float,
            "binary" or "varbinary" or "tinyblob" or "blob" or "mediumblob" or "longblob" => FerryType.Bytes,
            "date" => FerryType.Date,
            "time" => FerryType.Time,
            "datetime" => FerryType.Timestamp,
            "timestamp" => FerryType.TimestampTz,
            "json" => FerryType.Json,
            "uuid" => FerryType.Uuid,
            _ => FerryType.Text,
        };
    }

    /// <summary>True for a boolean TINYINT(1) (signed: TINYINT(1) UNSIGNED is a small number, 0 to 255).</summary>
    public static bool IsTinyOne(string columnType) => columnType == "tinyint(1)";

    /// <summary>What the declared type allows beyond its archive type.</summary>
    public static ValueLimits Limits(string dataType, string columnType, long? maxLength)
    {
        var unsigned = columnType.EndsWith(" unsigned", StringComparison.Ordinal) || columnType.Contains(" unsigned ", StringComparison.Ordinal);
        switch (dataType)
        {
            case "tinyint" when !IsTinyOne(columnType):
                return unsigned ? Range(0, byte.MaxValue) : Range(sbyte.MinValue, sbyte.MaxValue);
            case "smallint":
                return unsigned ? Range(0, ushort.MaxValue) : Range(short.MinValue, short.MaxValue);
            case "mediumint":
                return unsigned ? Range(0, 16_777_215) : Range(-8_388_608, 8_388_607);
            case "int" or "integer":
                return unsigned ? Range(0, uint.MaxValue) : Range(int.MinValue, int.MaxValue);
            case "bigint" when unsigned:
                return Range(0, long.MaxValue);
            case "year":
                return Range(0, 2155);
            case "float":
                return new ValueLimits(MaxMagnitude: float.MaxValue);
            case "decimal" or "numeric" when Decimal().Match(columnType) is { Success: true } d:
                return new ValueLimits(Precision: Number(d.Groups[1]), Scale: Number(d.Groups[2]));
            case "char" or "varchar" when maxLength is { } n && n <= int.MaxValue:
                return new ValueLimits(MaxLength: (int)n);
            default:
                return ValueLimits.None;
        }
    }

    /// <summary>
    /// The members of an ENUM or SET column, read from information_schema's <c>COLUMN_TYPE</c> as the server spells it
    /// (<c>enum('red','it''s')</c>): each member in quotes, a quote doubled, and a backslash, newline, carriage return
    /// and NUL written <c>\\</c>, <c>\n</c>, <c>\r</c>, <c>\0</c> (the server trims trailing spaces off members when
    /// the table is created). Null for any other type, or for a spelling this does not read: then MariaDB itself
    /// refuses a value it lacks, at write time.
    /// </summary>
    public static ValueMembers? Members(string dataType, string columnType)
    {
        var open = columnType.IndexOf('(', StringComparison.Ordinal);
        if (dataType is not ("enum" or "set") || open < 0)
        {
            return null;
        }
        var members = new List<string>();
        var i = open + 1;
        while (true)
        {
            if (ReadQuoted(columnType, ref i) is not { } member)
            {
                return null;
            }
            members.Add(member);
            if (i < columnType.Length && columnType[i] == ',')
            {
                i++;
                continue;
            }
            return i == columnType.Length - 1 && columnType[i] == ')' ? new ValueMembers(members, dataType == "set") : null;
        }
    }

    // One quoted member from position i (at its opening quote), i then past its closing quote; null if malformed.
    private static string? ReadQuoted(string text, ref int i)
    {
        if (i >= text.Length || text[i] != '\'')
        {
            return null;
        }
        var member = new System.Text.StringBuilder();
        for (i++; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
            {
                member.Append('\'');
                i++;
            }
            else if (c == '\'')
            {
                i++;
                return member.ToString();
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                i++;
                member.Append(text[i] switch { 'n' => '\n', 'r' => '\r', '0' => '\0', 'Z' => '\u001a', 't' => '\t', var other => other });
            }
            else
            {
                member.Append(c);
            }
        }
        return null;
    }

    private static ValueLimits Range(long min, long max) => new(MinInteger: min, MaxInteger: max);

    private static int Number(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?:decimal|numeric)\(([0-9]{1,2}),([0-9]{1,2})\)")]
    private static partial Regex Decimal();
}
