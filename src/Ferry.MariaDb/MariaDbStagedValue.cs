using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.MariaDb;

/// <summary>
/// Puts an archive's text value (docs/format.md) in the form MariaDB reads for its type, before it is staged: dates
/// and times as MariaDB spells them, timestamps with a zone as the same instant in UTC (every session's time zone).
/// Values MariaDB cannot hold (years outside 1000 to 9999, BC, infinity, a NaN decimal) are refused with the reason. Pure.
/// </summary>
internal static partial class MariaDbStagedValue
{
    /// <summary>The value to stage, or null with <paramref name="reason"/> saying why MariaDB cannot hold it.</summary>
    public static string? Convert(FerryType type, string value, out string? reason)
    {
        reason = null;
        switch (type)
        {
            case FerryType.Date:
                if (Date().IsMatch(value))
                {
                    return value;
                }
                reason = "a date MariaDB cannot hold (its dates run from 1000-01-01 to 9999-12-31)";
                return null;
            case FerryType.Timestamp or FerryType.TimestampTz:
                return Timestamp(type, value, out reason);
            case FerryType.Decimal when value is "NaN" or "Infinity" or "-Infinity":
                reason = "a decimal MariaDB cannot hold (it has no NaN or infinity)";
                return null;
            default:
                return value;
        }
    }

    private static string? Timestamp(FerryType type, string value, out string? reason)
    {
        reason = null;
        var match = TimestampText().Match(value);
        if (!match.Success)
        {
            reason = "a timestamp MariaDB cannot hold (its years run from 1000 to 9999, without BC or infinity)";
            return null;
        }
        var local = match.Groups["date"].Value + " " + (match.Groups["time"].Success ? match.Groups["time"].Value : "00:00:00");
        var zone = match.Groups["zone"];
        // A timestamp without zone keeps its wall-clock time, as PostgreSQL reads one (a zone in it is ignored).
        if (type == FerryType.Timestamp || !zone.Success)
        {
            return local;
        }
        var offset = ParseZone(zone.Value);
        var at = DateTime.ParseExact(local, ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None);
        var utc = at - offset;
        if (utc.Year is < 1000 or > 9999)
        {
            reason = "a timestamp MariaDB cannot hold (its years run from 1000 to 9999)";
            return null;
        }
        return utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture).TrimEnd('.');
    }

    private static TimeSpan ParseZone(string zone)
    {
        if (zone == "Z")
        {
            return TimeSpan.Zero;
        }
        var sign = zone[0] == '-' ? -1 : 1;
        var digits = zone[1..].Replace(":", "", StringComparison.Ordinal);
        var hours = int.Parse(digits[..2], CultureInfo.InvariantCulture);
        var minutes = digits.Length >= 4 ? int.Parse(digits[2..4], CultureInfo.InvariantCulture) : 0;
        var seconds = digits.Length >= 6 ? int.Parse(digits[4..6], CultureInfo.InvariantCulture) : 0;
        return sign * new TimeSpan(hours, minutes, seconds);
    }

    [GeneratedRegex(@"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex Date();

    [GeneratedRegex(@"^(?<date>[1-9][0-9]{3}-[0-9]{2}-[0-9]{2})(?:[ T](?<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?))?(?<zone>Z|[+-][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2})?)?)?$")]
    private static partial Regex TimestampText();
}
