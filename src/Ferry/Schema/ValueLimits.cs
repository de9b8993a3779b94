namespace Ferry.Schema;

/// <summary>
/// What a target column's declared type allows beyond its <see cref="FerryType"/>, as its engine reads it from
/// its own catalogue: <c>NUMERIC(10,2)</c>, <c>VARCHAR(40)</c>, <c>smallint</c>. Import checks every value
/// against these before anything is written, so that a value the engine would refuse late, round, cut or
/// store as something else (SQLite keeps <c>1e999</c> in a NUMERIC column as infinity) is an error up front.
/// </summary>
/// <param name="Precision">Decimal: the most significant digits (with <paramref name="Scale"/>).</param>
/// <param name="Scale">Decimal: the most digits after the point.</param>
/// <param name="MaxLength">Text: the most characters, where the engine enforces a declared length.</param>
/// <param name="MinInteger">Int: the smallest value (<c>smallint</c>: -32,768).</param>
/// <param name="MaxInteger">Int: the largest value.</param>
/// <param name="MaxMagnitude">Decimal or Float: the largest absolute value the column stores exactly as a number
/// (SQLite's NUMERIC and REAL become a double; PostgreSQL's <c>real</c> is single precision).</param>
/// <param name="NaN">Float: whether NaN is kept (SQLite stores NaN as NULL).</param>
/// <param name="Members">Text: the only values the column takes (an ENUM's or SET's members), compared exactly.</param>
public sealed record ValueLimits(
    int? Precision = null,
    int? Scale = null,
    int? MaxLength = null,
    long? MinInteger = null,
    long? MaxInteger = null,
    double? MaxMagnitude = null,
    bool NaN = true,
    ValueMembers? Members = null)
{
    /// <summary>No limit beyond the type.</summary>
    public static ValueLimits None { get; } = new();
}
