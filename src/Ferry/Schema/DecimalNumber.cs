using System.Globalization;

namespace Ferry.Schema;

/// <summary>
/// The shape of a decimal number written as text (<c>-12.340</c>, <c>1.5E+20</c>, <c>NaN</c>): how many digits
/// it has before and after the decimal point once its exponent is applied, leading and trailing zeros not
/// counted. Enough to tell whether it fits a <c>NUMERIC(p,s)</c> and the engines' limits, without ever
/// expanding <c>1e999999999</c>. Pure.
/// </summary>
public readonly record struct DecimalNumber(bool Special, int IntegerDigits, long FractionDigits, bool Negative)
{
    /// <summary>
    /// Parses <c>[+-]digits[.digits][(e|E)[+-]digits]</c>, <c>[+-].digits[...]</c>, or <c>NaN</c>,
    /// <c>Infinity</c>, <c>-Infinity</c> (PostgreSQL numeric specials). False for anything else.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DecimalNumber number)
    {
        number = default;
        if (text.SequenceEqual("NaN"u8) || text.SequenceEqual("Infinity"u8) || text.SequenceEqual("-Infinity"u8))
        {
            number = new DecimalNumber(true, 0, 0, text[0] == '-');
            return true;
        }

        var at = 0;
        var negative = false;
        if (at < text.Length && text[at] is (byte)'+' or (byte)'-')
        {
            negative = text[at++] == '-';
        }

        // Digits: where the first and last non-zero digits sit relative to the decimal point.
        long position = 0;          // index of the next digit relative to the point (0 = first digit before it)
        long? firstNonZero = null;  // position of the most significant non-zero digit
        long lastNonZero = 0;
        var digits = 0;
        var point = false;
        long pointAt = 0;
        for (; at < text.Length; at++)
        {
            var c = text[at];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                if (c != '0')
                {
                    firstNonZero ??= position;
                    lastNonZero = position;
                }

                position++;
                digits++;
            }
            else if (c == '.' && !point)
            {
                point = true;
                pointAt = position;
            }
            else
            {
                break;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        long exponent = 0;
        if (at < text.Length && text[at] is (byte)'e' or (byte)'E')
        {
            at++;
            var expNegative = false;
            if (at < text.Length && text[at] is (byte)'+' or (byte)'-')
            {
                expNegative = text[at++] == '-';
            }

            var start = at;
            for (; at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9'; at++)
            {
                // Past a billion the number is far beyond every engine's limits either way.
                exponent = Math.Min(exponent * 10 + (text[at] - '0'), 1_000_000_000);
            }

            if (at == start)
            {
                return false;
            }

            exponent = expNegative ? -exponent : exponent;
        }

        if (at != text.Length)
        {
            return false;
        }

        if (firstNonZero is not { } first)
        {
            number = new DecimalNumber(false, 0, 0, negative);
            return true;
        }

        // The decimal point sits before the digit at `point` (all digits when there is none), moved by the exponent.
        var decimalPoint = (point ? pointAt : position) + exponent;
        var integerDigits = Math.Max(0, decimalPoint - first);
        var fractionDigits = Math.Max(0, lastNonZero + 1 - decimalPoint);
        number = new DecimalNumber(false, (int)Math.Min(integerDigits, int.MaxValue), fractionDigits, negative);
        return true;
    }

    /// <summary>Beyond PostgreSQL's numeric limits (131,072 digits before the point, 16,383 after): a problem; else null.</summary>
    public string? Problem() =>
        IntegerDigits > ValueGrammar.MaxIntegerDigits || FractionDigits > ValueGrammar.MaxFractionDigits
            ? "a decimal number beyond any database's range"
            : null;

    /// <summary>Why the number does not fit <c>NUMERIC(precision, scale)</c>; null when it does. Extra fraction digits do not fit: no engine may round them away silently.</summary>
    public string? Fits(int precision, int scale)
    {
        if (Special)
        {
            return "NaN or infinity, which a NUMERIC with a precision cannot hold";
        }

        if (IntegerDigits > precision - scale)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{IntegerDigits} digits before the decimal point, more than NUMERIC({precision},{scale}) holds ({precision - scale})");
        }

        return FractionDigits > scale
            ? string.Create(CultureInfo.InvariantCulture, $"{FractionDigits} digits after the decimal point, more than NUMERIC({precision},{scale}) keeps ({scale})")
            : null;
    }
}
