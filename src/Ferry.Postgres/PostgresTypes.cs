using Ferry.Schema;

namespace Ferry.Postgres;

/// <summary>Maps a PostgreSQL base type (domains already resolved) to the type its values travel as.</summary>
internal static class PostgresTypes
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
}
