using System.Globalization;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>Turns a constant from a profile (null, bool, long, double or string, as YAML types it) into a value of an archive type.</summary>
internal static class TransformValues
{
    /// <summary>
    /// The value in the in-memory form of <paramref name="type"/> that staging holds (long, double,
    /// bool, string); false when it does not fit (text for a number column, a fraction for an integer).
    /// </summary>
    public static bool TryConvert(object? value, FerryType type, out object? converted)
    {
        converted = value is null ? null : type switch
        {
            FerryType.Int => value switch
            {
                long l => l,
                bool b => b ? 1L : 0L,
                double d when Math.Floor(d) == d && Math.Abs(d) < 9e18 => (long)d,
                string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
                _ => null,
            },
            FerryType.Float => value switch
            {
                long l => (double)l,
                double d when double.IsFinite(d) => d,
                string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
                _ => null,
            },
            FerryType.Bool => value switch
            {
                bool b => b,
                long l and (0 or 1) => l == 1,
                string s when bool.TryParse(s, out var b) => b,
                _ => null,
            },
            FerryType.Decimal => value switch
            {
                long l => l.ToString(CultureInfo.InvariantCulture),
                double d when double.IsFinite(d) && Math.Abs(d) < 1e28 => ((decimal)d).ToString(CultureInfo.InvariantCulture),
                string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => m.ToString(CultureInfo.InvariantCulture),
                _ => null,
            },
            FerryType.Bytes => null,
            _ => value switch
            {
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => null,
            },
        };
        return value is null || converted is not null;
    }

    /// <summary>A constant as the profile wrote it, for messages.</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
