using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>
/// Checks the values of one archive column against the target column they go into: its type, where the
/// archive's type differs (text that must be a date, a float that must be an integer), and its declared
/// limits (<see cref="ValueLimits"/>: precision and scale, length, range). The archive reader has already
/// checked each value against the archive's own type. Each method returns why the value does not fit, or
/// null. Pure.
/// </summary>
internal sealed class ValueCheck
{
    private readonly FerryType _from;
    private readonly Column _target;
    private readonly ValueLimits _limits;
    private readonly bool _sqlArray;

    private ValueCheck(FerryType from, Column target, bool sqlArray = false)
    {
        _from = from;
        _target = target;
        _limits = target.Limits;
        _sqlArray = sqlArray;
    }

    /// <summary>The check for values of type <paramref name="from"/> going into <paramref name="target"/>; null when any value fits.</summary>
    public static ValueCheck? For(FerryType from, Column? target)
    {
        // Booleans fit every numeric, boolean and text column but one of members; bytes go where the engine's cast takes them.
        if (target is null || from is FerryType.Bytes || target.Type is FerryType.Bytes || (from is FerryType.Bool && target.Limits.Members is null))
        {
            return null;
        }

        // Text and JSON are checked for NUL whatever their limits.
        return from == target.Type && target.Limits == ValueLimits.None && target.Type is not (FerryType.Text or FerryType.Json)
            ? null
            : new ValueCheck(from, target);
    }

    /// <summary>
    /// The check for SQL array text of keys (<c>{1,2}</c>, as PostgreSQL prints an array) going into a column that holds
    /// them as a JSON array (SQLite, MariaDB): Ferry rewrites it into JSON with the keys' new values, reading it as the
    /// JSON array it spells once its braces are brackets. Text that does not read so (a NULL element, an unquoted text
    /// element) is refused here rather than by the rewrite's SQL.
    /// </summary>
    public static ValueCheck ForSqlArray(Column target) => new(FerryType.Text, target, sqlArray: true);

    public string? Integer(long value) => _target.Type switch
    {
        FerryType.Int when value < (_limits.MinInteger ?? long.MinValue) || value > (_limits.MaxInteger ?? long.MaxValue) =>
            $"out of the range of {_target.SqlType}",
        FerryType.Decimal => Decimal(DecimalOf(value)),
        FerryType.Text => Member(value.ToString(CultureInfo.InvariantCulture)) ?? Length(value.ToString(CultureInfo.InvariantCulture).Length),
        FerryType.Int or FerryType.Float or FerryType.Bool => null,
        _ => Incompatible(),
    };

    public string? Real(double value) => _target.Type switch
    {
        FerryType.Float when double.IsNaN(value) && !_limits.NaN => "NaN, which this engine stores as NULL",
        FerryType.Float when double.IsFinite(value) && Math.Abs(value) > (_limits.MaxMagnitude ?? double.MaxValue) =>
            $"out of the range of {_target.SqlType}",
        FerryType.Float => null,
        FerryType.Int => double.IsFinite(value) && Math.Floor(value) == value && value >= -9223372036854775808.0 && value < 9223372036854775808.0
            ? Integer((long)value)
            : "not a whole number that fits an integer column (it would be rounded)",
        FerryType.Decimal => double.IsFinite(value) ? Decimal(DecimalOf(value)) : "NaN or infinity, which a decimal column cannot hold here",
        FerryType.Text => Member(value.ToString("R", CultureInfo.InvariantCulture)) ?? Length(value.ToString("R", CultureInfo.InvariantCulture).Length),
        _ => Incompatible(),
    };

    /// <summary>Text-like values (text, decimal, dates, UUID, JSON) as UTF-8.</summary>
    public string? Text(ReadOnlySpan<byte> utf8)
    {
        if (_sqlArray)
        {
            return SqlArray(utf8);
        }
        switch (_target.Type)
        {
            case FerryType.Text:
                return utf8.Contains((byte)0) ? NulProblem
                    : _limits.Members is not null ? Member(Encoding.UTF8.GetString(utf8))
                    : _limits.MaxLength is null ? null : Length(Characters(utf8));
            case FerryType.Json:
                return (_from == FerryType.Json ? null : ValueGrammar.Problem(FerryType.Json, utf8))
                       ?? (ValueGrammar.JsonHasNul(utf8) ? "JSON with a NUL character (\\u0000), which PostgreSQL's jsonb cannot store" : null);
            case FerryType.Decimal:
                return DecimalNumber.TryParse(utf8, out var number) ? Decimal(number) : "not a decimal number";
            case FerryType.Int:
                // Only plain integer text: PostgreSQL's cast refuses "12.0" too.
                return Utf8Parser.TryParse(utf8, out long integer, out var used) && used == utf8.Length ? Integer(integer) : "not a whole number";
            case FerryType.Float:
                return Utf8Parser.TryParse(utf8, out double real, out var consumed) && consumed == utf8.Length ? Real(real)
                    : utf8.SequenceEqual("NaN"u8) ? Real(double.NaN)
                    : utf8.SequenceEqual("Infinity"u8) || utf8.SequenceEqual("-Infinity"u8) ? null
                    : "not a number";
            case FerryType.Bool:
                return IsBoolean(utf8) ? null : "not a boolean (true/false, t/f, 1/0, yes/no)";
            default:
                return _from == _target.Type ? null : ValueGrammar.Problem(_target.Type, utf8);
        }
    }

    private static string? SqlArray(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length < 2 || utf8[0] != (byte)'{' || utf8[^1] != (byte)'}')
        {
            return "not SQL array text ({1,2}), as the archive says this column holds";
        }
        // Read on the staging's hot path: a short array (the usual) is copied on the stack.
        Span<byte> json = utf8.Length <= 512 ? stackalloc byte[utf8.Length] : new byte[utf8.Length];
        utf8.CopyTo(json);
        json[0] = (byte)'[';
        json[^1] = (byte)']';
        return ValueGrammar.Problem(FerryType.Json, json) is null && !ValueGrammar.JsonHasNul(json)
            ? null
            : "an SQL array that does not read as a JSON array once its braces are brackets (a NULL element, or uuid or text elements, which PostgreSQL prints unquoted), as the target's JSON array needs";
    }

    /// <summary>A boolean, as the engine writes it into a column of members (<c>1</c> or <c>0</c>); any other column takes it.</summary>
    public string? Boolean(bool value) => _target.Type == FerryType.Text ? Member(value ? "1" : "0") : null;

    // A column of members (ENUM, SET) takes only those, as they are.
    private string? Member(string value) => _limits.Members?.Problem(value);

    private const string NulProblem =
        "text with a NUL character (U+0000), which PostgreSQL cannot store and SQLite would hand to most apps cut short";

    private string? Decimal(DecimalNumber number)
    {
        if (_limits.Precision is { } precision && number.Fits(precision, _limits.Scale ?? 0) is { } problem)
        {
            return problem;
        }

        if (number.Special)
        {
            return _limits.MaxMagnitude is null ? null : "NaN or infinity, which this engine's decimal columns cannot hold";
        }

        // A double holds up to about 1.8e308: a longer integer part would become infinity.
        return _limits.MaxMagnitude is not null && number.IntegerDigits > 308 ? $"beyond the range of {_target.SqlType} in this engine" : null;
    }

    private string? Length(int characters) =>
        _limits.MaxLength is { } max && characters > max ? $"{characters} characters, longer than {_target.SqlType} allows" : null;

    private string Incompatible() => $"a {_from.ToName()} value, which a {_target.Type.ToName()} column ({_target.SqlType}) cannot take";

    private static DecimalNumber DecimalOf(long value)
    {
        Span<byte> text = stackalloc byte[24];
        Utf8Formatter.TryFormat(value, text, out var written);
        DecimalNumber.TryParse(text[..written], out var number);
        return number;
    }

    private static DecimalNumber DecimalOf(double value)
    {
        Span<byte> text = stackalloc byte[32];
        Utf8Formatter.TryFormat(value, text, out var written, new System.Buffers.StandardFormat('R'));
        DecimalNumber.TryParse(text[..written], out var number);
        return number;
    }

    // Code points: every byte that does not continue a UTF-8 sequence starts one.
    private static int Characters(ReadOnlySpan<byte> utf8)
    {
        var count = 0;
        foreach (var b in utf8)
        {
            count += (b & 0xC0) != 0x80 ? 1 : 0;
        }

        return count;
    }

    private static bool IsBoolean(ReadOnlySpan<byte> text)
    {
        Span<byte> lower = stackalloc byte[8];
        if (text.Length is 0 or > 8)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            lower[i] = text[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(text[i] + 32) : text[i];
        }

        var word = lower[..text.Length];
        return word.SequenceEqual("t"u8) || word.SequenceEqual("f"u8) || word.SequenceEqual("true"u8) || word.SequenceEqual("false"u8)
               || word.SequenceEqual("1"u8) || word.SequenceEqual("0"u8) || word.SequenceEqual("yes"u8) || word.SequenceEqual("no"u8)
               || word.SequenceEqual("y"u8) || word.SequenceEqual("n"u8) || word.SequenceEqual("on"u8) || word.SequenceEqual("off"u8);
    }
}
