namespace Ferry.Schema;

/// <summary>
/// The engine-neutral type of a column as it travels in an archive. Each type has exactly one
/// in-memory representation in a row (<c>object?[]</c>), listed here; engines convert to and from it.
/// </summary>
public enum FerryType
{
    /// <summary>64-bit signed integer; in memory <see cref="long"/>.</summary>
    Int,
    /// <summary>IEEE 754 double; in memory <see cref="double"/> (NaN and infinities allowed).</summary>
    Float,
    /// <summary>Boolean; in memory <see cref="bool"/>.</summary>
    Bool,
    /// <summary>Exact decimal of any precision; in memory its canonical text, e.g. <c>"-12.3400"</c>.</summary>
    Decimal,
    /// <summary>Unicode text; in memory <see cref="string"/>.</summary>
    Text,
    /// <summary>Binary; in memory <see cref="T:byte[]"/>.</summary>
    Bytes,
    /// <summary>Calendar date; in memory text <c>YYYY-MM-DD</c>.</summary>
    Date,
    /// <summary>Time of day; in memory text <c>HH:MM:SS[.ffffff]</c>.</summary>
    Time,
    /// <summary>Timestamp without zone; in memory ISO 8601 text <c>YYYY-MM-DD HH:MM:SS[.ffffff]</c>.</summary>
    Timestamp,
    /// <summary>Timestamp with zone; in memory ISO 8601 text with an offset, e.g. <c>2024-05-01 10:00:00+00:00</c>.</summary>
    TimestampTz,
    /// <summary>UUID; in memory lower-case text <c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>.</summary>
    Uuid,
    /// <summary>JSON document; in memory its text, exactly as stored.</summary>
    Json,
}

/// <summary>Names of <see cref="FerryType"/> as written in archives and reports.</summary>
public static class FerryTypes
{
    /// <summary>The lower-case name used in the archive manifest (<c>int</c>, <c>timestamptz</c>, ...).</summary>
    public static string ToName(this FerryType type) => type.ToString().ToLowerInvariant();

    /// <summary>Parses a manifest type name; throws <see cref="FormatException"/> for an unknown one.</summary>
    public static FerryType Parse(string name) =>
        Enum.TryParse<FerryType>(name, ignoreCase: true, out var t) && Enum.IsDefined(t)
            ? t
            : throw new FormatException($"unknown column type '{name}'");
}
