using System.Buffers.Text;
using System.Text.Json;

namespace Ferry.Schema;

/// <summary>
/// The text forms of <see cref="FerryType"/> values (<c>docs/format.md</c> §5), checked on UTF-8 bytes without
/// allocating: what Ferry's own exporters write (PostgreSQL's ISO output with <c>BC</c> and <c>infinity</c>,
/// SQLite's ISO 8601 text kept as the app wrote it) passes, anything else does not. Pure.
/// </summary>
public static class ValueGrammar
{
    /// <summary>PostgreSQL's numeric limits: digits before and after the decimal point.</summary>
    public const int MaxIntegerDigits = 131072;

    /// <summary>PostgreSQL's numeric limit on digits after the decimal point.</summary>
    public const int MaxFractionDigits = 16383;

    /// <summary>
    /// Why <paramref name="text"/> is not a valid value of <paramref name="type"/>; null when it is. For text-like
    /// types only; any text is a valid <see cref="FerryType.Text"/> (what a target accepts is checked on import).
    /// </summary>
    public static string? Problem(FerryType type, ReadOnlySpan<byte> text) => type switch
    {
        FerryType.Date => IsDate(text) ? null : "not a date (YYYY-MM-DD)",
        FerryType.Time => IsTime(text) ? null : "not a time of day (HH:MM[:SS[.ffffff]])",
        FerryType.Timestamp or FerryType.TimestampTz => IsTimestamp(text) ? null : "not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][±HH:MM])",
        FerryType.Uuid => Utf8Parser.TryParse(text, out Guid _, out var used, 'D') && used == text.Length ? null : "not a UUID",
        FerryType.Decimal => DecimalNumber.TryParse(text, out var number) ? number.Problem() : "not a decimal number",
        FerryType.Json => JsonProblem(text),
        _ => null,
    };

    /// <summary><c>YYYY-MM-DD</c> (four or more year digits) of a real calendar day, optionally <c> BC</c>; or <c>infinity</c>, <c>-infinity</c>.</summary>
    public static bool IsDate(ReadOnlySpan<byte> text) =>
        IsInfinity(text) || (Date(text, out var used) && Era(text[used..]) == text.Length - used);

    /// <summary><c>HH:MM[:SS[.fraction]]</c>, hours 00-23 (or 24:00:00), seconds up to 60 (a leap second).</summary>
    public static bool IsTime(ReadOnlySpan<byte> text) => Time(text, out var used) && used == text.Length;

    /// <summary>
    /// A date, then optionally a time after a space or <c>T</c>, then optionally a zone (<c>Z</c>, <c>±HH</c>,
    /// <c>±HH:MM</c>, <c>±HHMM</c>, <c>±HH:MM:SS</c>), then optionally <c> BC</c>; or <c>infinity</c>, <c>-infinity</c>.
    /// </summary>
    public static bool IsTimestamp(ReadOnlySpan<byte> text)
    {
        if (IsInfinity(text))
        {
            return true;
        }

        if (!Date(text, out var at))
        {
            return false;
        }

        if (at < text.Length && text[at] is (byte)' ' or (byte)'T' && at + 1 < text.Length && IsDigit(text[at + 1]))
        {
            if (!Time(text[(at + 1)..], out var used))
            {
                return false;
            }

            at += 1 + used;
            at += Zone(text[at..]);
        }

        return Era(text[at..]) == text.Length - at;
    }

    private static bool IsInfinity(ReadOnlySpan<byte> text) => text.SequenceEqual("infinity"u8) || text.SequenceEqual("-infinity"u8);

    // YYYY[Y...]-MM-DD; the day must exist in that month (proleptic Gregorian, as PostgreSQL).
    private static bool Date(ReadOnlySpan<byte> text, out int used)
    {
        used = 0;
        var digits = 0;
        while (digits < text.Length && IsDigit(text[digits]))
        {
            digits++;
        }

        if (digits is < 4 or > 7 || text.Length < digits + 6 || text[digits] != '-' || text[digits + 3] != '-'
            || !Two(text[(digits + 1)..], out var month) || !Two(text[(digits + 4)..], out var day))
        {
            return false;
        }

        var year = 0;
        foreach (var d in text[..digits])
        {
            year = year * 10 + (d - '0');
        }

        // A BC year n is the astronomical year 1 - n: 1 BC is a leap year.
        var bc = Era(text[(digits + 6)..]) > 0;
        var astronomical = bc ? 1 - year : year;
        var leap = (astronomical % 4 == 0 && astronomical % 100 != 0) || astronomical % 400 == 0;
        int[] lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        used = digits + 6;
        return (year > 0 || !bc) && month is >= 1 and <= 12 && day >= 1 && day <= lengths[month - 1];
    }

    private static bool Time(ReadOnlySpan<byte> text, out int used)
    {
        used = 0;
        if (text.Length < 5 || !Two(text, out var hour) || text[2] != ':' || !Two(text[3..], out var minute) || minute > 59)
        {
            return false;
        }

        var second = 0;
        var fraction = false;
        used = 5;
        if (used < text.Length && text[used] == ':')
        {
            if (!Two(text[(used + 1)..], out second) || second > 60)
            {
                return false;
            }

            used += 3;
            if (used < text.Length && text[used] == '.')
            {
                var start = ++used;
                while (used < text.Length && IsDigit(text[used]))
                {
                    fraction |= text[used] != '0';
                    used++;
                }

                if (used == start)
                {
                    return false;
                }
            }
        }

        return hour < 24 || (hour == 24 && minute == 0 && second == 0 && !fraction);
    }

    // The length of a zone at the start of text (0 when there is none).
    private static int Zone(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && text[0] == 'Z')
        {
            return 1;
        }

        if (text.Length < 3 || text[0] is not ((byte)'+' or (byte)'-') || !Two(text[1..], out var hours) || hours > 15)
        {
            return 0;
        }

        var used = 3;
        for (var part = 0; part < 2; part++)
        {
            var colon = used < text.Length && text[used] == ':' ? 1 : 0;
            if (!Two(text[(used + colon)..], out var value) || value > 59)
            {
                break;
            }

            used += colon + 2;
        }

        return used;
    }

    private static int Era(ReadOnlySpan<byte> text) => text.StartsWith(" BC"u8) ? 3 : 0;

    private static bool Two(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        if (text.Length < 2 || !IsDigit(text[0]) || !IsDigit(text[1]))
        {
            return false;
        }

        value = (text[0] - '0') * 10 + (text[1] - '0');
        return true;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    /// <summary>True when a JSON document holds a NUL character (<c>\u0000</c>) in a string or a name.</summary>
    public static bool JsonHasNul(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf("\\u0000"u8) < 0)
        {
            return false;
        }

        var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 512 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped
                    && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the type check says so.
        }

        return false;
    }

    private static string? JsonProblem(ReadOnlySpan<byte> text)
    {
        try
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { MaxDepth = 512 });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed == text.Length ? null : "not a JSON document";
        }
        catch (JsonException)
        {
            return "not a JSON document";
        }
    }
}
