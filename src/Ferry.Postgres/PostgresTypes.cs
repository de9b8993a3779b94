using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Postgres;

/// <summary>Maps a PostgreSQL base type (domains already resolved) to the type its values travel as.</summary>
internal static partial class PostgresTypes
{
    /// <summary>
    /// The archive type of base type <paramref name="typeName"/> in namespace <paramref name="typeNamespace"/>.
    /// Only built-in (pg_catalog) types and the citext extension have their own mapping; everything
    /// else (arrays, enums, interval, inet, ranges, ...) travels as its text form and is cast back on import.
    /// </summary>
    public static FerryType Map(string typeName, string typeNamespace)
    {
        if (typeName == "citext")
        {
            return FerryType.Text;
        }
        if (typeNamespace != "pg_catalog")
        {
            return FerryType.Text;
        }
        return typeName switch
        {
            "int2" or "int4" or "int8" => FerryType.Int,
            "float4" or "float8" => FerryType.Float,
            "bool" => FerryType.Bool,
            "numeric" => FerryType.Decimal,
            "text" or "varchar" or "bpchar" or "name" => FerryType.Text,
            "bytea" => FerryType.Bytes,
            "date" => FerryType.Date,
            "time" => FerryType.Time,
            "timestamp" => FerryType.Timestamp,
            "timestamptz" => FerryType.TimestampTz,
            "uuid" => FerryType.Uuid,
            "json" or "jsonb" => FerryType.Json,
            _ => FerryType.Text,
        };
    }

    /// <summary>
    /// What a column's declared type (as <c>format_type</c> prints it) allows beyond its archive type:
    /// <c>numeric(p,s)</c>, <c>character varying(n)</c>, <c>character(n)</c>, <c>smallint</c>, <c>integer</c>,
    /// <c>real</c>. A domain prints as its own name and gets none here: PostgreSQL still enforces it on insert.
    /// </summary>
    public static ValueLimits Limits(string sqlType)
    {
        if (sqlType.EndsWith(']'))
        {
            return ValueLimits.None;
        }
        if (Numeric().Match(sqlType) is { Success: true } numeric)
        {
            return new ValueLimits(Precision: Number(numeric.Groups[1]), Scale: Number(numeric.Groups[2]));
        }
        if (Character().Match(sqlType) is { Success: true } character)
        {
            return new ValueLimits(MaxLength: Number(character.Groups[1]));
        }
        return sqlType switch
        {
            "smallint" => new ValueLimits(MinInteger: short.MinValue, MaxInteger: short.MaxValue),
            "integer" => new ValueLimits(MinInteger: int.MinValue, MaxInteger: int.MaxValue),
            "real" => new ValueLimits(MaxMagnitude: float.MaxValue),
            _ => ValueLimits.None,
        };
    }

    private static int Number(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^numeric\(([0-9]{1,4}),([0-9]{1,5})\)\z")]
    private static partial Regex Numeric();

    [GeneratedRegex(@"^(?:character varying|character|bit varying|bit)\(([0-9]{1,8})\)\z")]
    private static partial Regex Character();
}
