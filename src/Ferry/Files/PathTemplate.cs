using System.Globalization;
using System.Text;

namespace Ferry.Files;

/// <summary>
/// A file path derived from a row's values, for apps that name files after ids instead of storing the
/// path: <c>{id % 10}/{id / 10 % 20}/{id}</c>. Literal text, with <c>{EXPRESSION}</c> or
/// <c>{EXPRESSION:FORMAT}</c> parts. An expression is a column name alone (its value as text) or integer
/// arithmetic over integer columns and integer constants: <c>+ - * / %</c> and parentheses, <c>/</c> and
/// <c>%</c> truncating toward zero as in C. FORMAT is <c>0N</c> (zero-padded to N digits), <c>x</c> or
/// <c>X</c> (hexadecimal), or <c>0Nx</c>/<c>0NX</c>. <c>{{</c> and <c>}}</c> are literal braces.
/// The grammar is closed and evaluated here, never handed to a database: a template read from an
/// archive is untrusted input like the rest of it.
/// </summary>
public sealed class PathTemplate
{
    /// <summary>The longest template accepted.</summary>
    public const int MaxLength = 1024;

    /// <summary>The longest path a template may produce.</summary>
    public const int MaxPath = 4096;

    private const int MaxDepth = 32;

    private readonly List<Part> _parts;

    private PathTemplate(string text, List<Part> parts)
    {
        Text = text;
        _parts = parts;
        Columns = parts.OfType<Expression>().SelectMany(e => e.Node.Columns()).Distinct(StringComparer.Ordinal).ToList();
        Integers = parts.OfType<Expression>().Where(e => e.Node is not ColumnNode || e.Format is not null)
            .SelectMany(e => e.Node.Columns()).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The columns the template reads, in order of first use.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The columns used in arithmetic or with a format: they must hold integers.</summary>
    public IReadOnlyList<string> Integers { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> saying what is wrong and where.</summary>
    public static PathTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            throw new FormatException("the path template is empty");
        }
        if (text.Length > MaxLength)
        {
            throw new FormatException($"the path template is longer than {MaxLength} characters");
        }
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{' && i + 1 < text.Length && text[i + 1] == '{' || c == '}' && i + 1 < text.Length && text[i + 1] == '}')
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (c == '}')
            {
                throw new FormatException($"'}}' at character {i + 1} closes nothing (write }}}} for a literal brace)");
            }
            if (c != '{')
            {
                if (char.IsControl(c))
                {
                    throw new FormatException($"the path template holds a control character at character {i + 1}");
                }
                literal.Append(c);
                continue;
            }
            var end = text.IndexOf('}', i + 1);
            if (end < 0)
            {
                throw new FormatException($"'{{' at character {i + 1} is not closed by '}}'");
            }
            if (literal.Length > 0)
            {
                parts.Add(new Literal(literal.ToString()));
                literal.Clear();
            }
            parts.Add(ParseExpression(text[(i + 1)..end], i + 2));
            i = end;
        }
        if (literal.Length > 0)
        {
            parts.Add(new Literal(literal.ToString()));
        }
        if (!parts.OfType<Expression>().Any())
        {
            throw new FormatException("the path template uses no column: every row would name the same file");
        }
        return new PathTemplate(text, parts);
    }

    /// <summary>
    /// The path for a row whose values <paramref name="value"/> gives by column (as text, as the
    /// database writes them); null when a column the template reads is NULL (the row has no file).
    /// Throws <see cref="FormatException"/> for a value that is not an integer where one is needed,
    /// a division by zero, an overflow, or a path too long.
    /// </summary>
    public string? Evaluate(Func<string, string?> value)
    {
        var path = new StringBuilder();
        foreach (var part in _parts)
        {
            switch (part)
            {
                case Literal literal:
                    path.Append(literal.Text);
                    break;
                case Expression { Node: ColumnNode column, Format: null }:
                    if (value(column.Name) is not { } text)
                    {
                        return null;
                    }
                    path.Append(text);
                    break;
                case Expression expression:
                    if (expression.Node.Evaluate(value) is not { } number)
                    {
                        return null;
                    }
                    path.Append(Formatted(number, expression.Format));
                    break;
            }
            if (path.Length > MaxPath)
            {
                throw new FormatException($"the path is longer than {MaxPath} characters");
            }
        }
        return path.ToString();
    }

    /// <summary>
    /// <see cref="Evaluate(Func{string, string?})"/> for a row read from the database whose values of
    /// <see cref="Columns"/>, in that order, start at <paramref name="offset"/> (in-memory forms, <see cref="ValueText"/>).
    /// </summary>
    public string? Evaluate(IReadOnlyList<object?> row, int offset = 0)
    {
        var columns = Columns;
        return Evaluate(name =>
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i] == name)
                {
                    return ValueText(row[offset + i]);
                }
            }
            throw new ArgumentException($"the template reads no column {name}", nameof(row));
        });
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>
    /// A value as a template writes it, from its in-memory form (<see cref="Schema.FerryType"/>): integers in
    /// decimal, UUIDs in lower-case 8-4-4-4-12 form, text as it is; null stays null.
    /// </summary>
    public static string? ValueText(object? value) => value switch
    {
        null => null,
        string text => text,
        Guid uuid => uuid.ToString("D"),
        bool flag => flag ? "true" : "false",
        byte[] => throw new FormatException("a binary value cannot be part of a path"),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Formatted(long number, string? format)
    {
        if (format is null)
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }
        var hex = format.EndsWith('x') ? "x" : format.EndsWith('X') ? "X" : "D";
        var width = format.TrimEnd('x', 'X');
        var digits = width.Length > 0 ? int.Parse(width, CultureInfo.InvariantCulture) : 0;
        if (hex != "D" && number < 0)
        {
            throw new FormatException($"a negative number ({number}) cannot be written in hexadecimal");
        }
        return number.ToString(hex + digits, CultureInfo.InvariantCulture);
    }

    private static Expression ParseExpression(string text, int at)
    {
        string? format = null;
        var colon = text.IndexOf(':');
        if (colon >= 0)
        {
            format = text[(colon + 1)..].Trim();
            text = text[..colon];
            if (!IsFormat(format))
            {
                throw new FormatException($"unknown format '{format}' at character {at + colon + 1}: use 0N (zero-padded to N digits), x, X, 0Nx or 0NX");
            }
        }
        var parser = new Parser(text, at);
        var node = parser.Expression(0);
        parser.End();
        return new Expression(node, format);
    }

    private static bool IsFormat(string format)
    {
        var digits = format.TrimEnd('x', 'X');
        if (format.Length - digits.Length > 1)
        {
            return false;
        }
        if (digits.Length == 0)
        {
            return format.Length == 1;
        }
        return digits.Length <= 3 && digits[0] == '0' && digits.All(char.IsAsciiDigit) && int.Parse(digits, CultureInfo.InvariantCulture) is > 0 and <= 40;
    }

    private abstract record Part;

    private sealed record Literal(string Text) : Part;

    private sealed record Expression(Node Node, string? Format) : Part;

    private abstract record Node
    {
        public abstract IEnumerable<string> Columns();

        public abstract long? Evaluate(Func<string, string?> value);
    }

    private sealed record ColumnNode(string Name) : Node
    {
        public override IEnumerable<string> Columns() => [Name];

        public override long? Evaluate(Func<string, string?> value)
        {
            if (value(Name) is not { } text)
            {
                return null;
            }
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new FormatException($"column {Name} holds '{Cut(text)}', not an integer");
        }
    }

    private sealed record NumberNode(long Value) : Node
    {
        public override IEnumerable<string> Columns() => [];

        public override long? Evaluate(Func<string, string?> value) => Value;
    }

    private sealed record NegateNode(Node Operand) : Node
    {
        public override IEnumerable<string> Columns() => Operand.Columns();

        public override long? Evaluate(Func<string, string?> value) => Operand.Evaluate(value) is { } v ? checked(-v) : null;
    }

    private sealed record BinaryNode(char Operator, Node Left, Node Right) : Node
    {
        public override IEnumerable<string> Columns() => Left.Columns().Concat(Right.Columns());

        public override long? Evaluate(Func<string, string?> value)
        {
            if (Left.Evaluate(value) is not { } left || Right.Evaluate(value) is not { } right)
            {
                return null;
            }
            try
            {
                return Operator switch
                {
                    '+' => checked(left + right),
                    '-' => checked(left - right),
                    '*' => checked(left * right),
                    '/' => right == 0 ? throw new FormatException("division by zero") : checked(left / right),
                    _ => right == 0 ? throw new FormatException("division by zero (%)") : left % right,
                };
            }
            catch (OverflowException)
            {
                throw new FormatException($"{left} {Operator} {right} overflows a 64-bit integer");
            }
        }
    }

    private static string Cut(string text) => text.Length <= 40 ? text : text[..40] + "…";

    // Recursive descent over: expression := term (('+'|'-') term)*; term := factor (('*'|'/'|'%') factor)*;
    // factor := NAME | INTEGER | '-' factor | '(' expression ')'.
    private sealed class Parser(string text, int at)
    {
        private int _i;

        public Node Expression(int depth)
        {
            var node = Term(depth);
            while (Peek() is '+' or '-')
            {
                var op = text[_i++];
                node = new BinaryNode(op, node, Term(depth));
            }
            return node;
        }

        public void End()
        {
            if (Peek() is { } c)
            {
                throw Error($"unexpected '{c}'");
            }
        }

        private Node Term(int depth)
        {
            var node = Factor(depth);
            while (Peek() is '*' or '/' or '%')
            {
                var op = text[_i++];
                node = new BinaryNode(op, node, Factor(depth));
            }
            return node;
        }

        private Node Factor(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error("the expression nests too deeply");
            }
            switch (Peek())
            {
                case null:
                    throw Error("an expression is missing");
                case '(':
                    _i++;
                    var inner = Expression(depth + 1);
                    if (Peek() != ')')
                    {
                        throw Error("')' is missing");
                    }
                    _i++;
                    return inner;
                case '-':
                    _i++;
                    return new NegateNode(Factor(depth + 1));
                case var c when char.IsAsciiDigit(c.Value):
                    var start = _i;
                    while (_i < text.Length && char.IsAsciiDigit(text[_i]))
                    {
                        _i++;
                    }
                    return long.TryParse(text.AsSpan(start, _i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                        ? new NumberNode(number)
                        : throw Error("the number is too large", start);
                case var c when char.IsLetter(c.Value) || c == '_':
                    var begin = _i;
                    while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] is '_' or '$'))
                    {
                        _i++;
                    }
                    return new ColumnNode(text[begin.._i]);
                case var c:
                    throw Error($"unexpected '{c}'");
            }
        }

        private char? Peek()
        {
            while (_i < text.Length && text[_i] == ' ')
            {
                _i++;
            }
            return _i < text.Length ? text[_i] : null;
        }

        private FormatException Error(string what, int? position = null) => new($"{what} at character {at + (position ?? _i)} of the path template");
    }
}
