using System.Globalization;
using Ferry.Schema;

namespace Ferry.Engines;

/// <summary>
/// Where a relation's keys are inside a JSON value, parsed into Ferry's closed grammar: <c>$</c>, then steps
/// that are object members (<c>.name</c>), array indexes (<c>[2]</c>) or every element of an array
/// (<c>[*]</c>), at any depth: <c>$.package.tags[*].id</c>. SQL is built from the parsed steps, never from
/// the text. A step that does not fit the value (a member of an array, an index past the end, <c>[*]</c> of an
/// object) selects nothing. An <see cref="ReferenceKind.Array"/> relation in a JSON column is the root array
/// (<c>$[*]</c>).
/// </summary>
public sealed record JsonKeyPath(IReadOnlyList<JsonStep> Steps)
{
    /// <summary>At most this many steps: deeper paths are refused (a manifest is untrusted input).</summary>
    public const int MaxSteps = 32;

    /// <summary>The longest member name accepted.</summary>
    public const int MaxName = 128;

    /// <summary>What the grammar is, for messages.</summary>
    public const string Grammar = "$ followed by .name members, [N] indexes and [*] (every element), e.g. $.package.tags[*].id";

    /// <summary>The path of a shape of kind Array or Json.</summary>
    public static JsonKeyPath Of(ReferenceShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Kind == ReferenceKind.Array ? new JsonKeyPath([JsonStep.Every]) : Parse(shape.Path ?? "");
    }

    /// <summary>
    /// The path cut at each <c>[*]</c>: the member and index steps that lead to each array whose elements are taken,
    /// outermost first (each from the element before), and the steps after the last one.
    /// </summary>
    public (IReadOnlyList<IReadOnlyList<JsonStep>> Arrays, IReadOnlyList<JsonStep> Tail) Cut()
    {
        var arrays = new List<IReadOnlyList<JsonStep>>();
        var tail = new List<JsonStep>();
        foreach (var step in Steps)
        {
            if (step.Kind == JsonStepKind.Every)
            {
                arrays.Add(tail);
                tail = [];
            }
            else
            {
                tail.Add(step);
            }
        }
        return (arrays, tail);
    }

    /// <summary>
    /// Member and index steps as the path text SQLite and MariaDB read (<c>$."name"[2]</c>; <c>$</c> for none). Safe
    /// inside a SQL literal: names hold letters, digits, _ and - only.
    /// </summary>
    public static string Text(IEnumerable<JsonStep> steps) =>
        "$" + string.Concat(steps.Select(s => s.Kind == JsonStepKind.Member
            ? ".\"" + s.Name + "\""
            : "[" + s.Index.ToString(CultureInfo.InvariantCulture) + "]"));

    /// <summary>True when <paramref name="path"/> is in the grammar.</summary>
    public static bool IsValid(string? path) => path is not null && TryParse(path, out _, out _);

    /// <summary>Parses a path; a <see cref="FormatException"/> says what is wrong.</summary>
    public static JsonKeyPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TryParse(path, out var parsed, out var error) ? parsed! : throw new FormatException($"JSON path '{path}' {error}: expected {Grammar}");
    }

    private static bool TryParse(string path, out JsonKeyPath? parsed, out string error)
    {
        parsed = null;
        var steps = new List<JsonStep>();
        if (!path.StartsWith('$'))
        {
            error = "does not start with $";
            return false;
        }
        var i = 1;
        while (i < path.Length)
        {
            if (steps.Count == MaxSteps)
            {
                error = $"has more than {MaxSteps} steps";
                return false;
            }
            if (path[i] == '.')
            {
                var start = ++i;
                while (i < path.Length && IsNameChar(path[i]))
                {
                    i++;
                }
                var name = path[start..i];
                if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name[0] == '-' || name.Length > MaxName)
                {
                    error = $"has a member name at position {start} that is not letters, digits, _ and - (starting with a letter or _, at most {MaxName})";
                    return false;
                }
                steps.Add(JsonStep.Member(name));
            }
            else if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                var inside = close < 0 ? "" : path[(i + 1)..close];
                if (inside == "*")
                {
                    steps.Add(JsonStep.Every);
                }
                else if (inside.Length is > 0 and <= 9 && inside.All(char.IsAsciiDigit) && (inside.Length == 1 || inside[0] != '0'))
                {
                    steps.Add(JsonStep.At(int.Parse(inside, NumberStyles.None, CultureInfo.InvariantCulture)));
                }
                else
                {
                    error = $"has a bracket at position {i} that is neither [*] nor [N] (N a whole number)";
                    return false;
                }
                i = close + 1;
            }
            else
            {
                error = $"has '{path[i]}' at position {i} where . or [ belongs";
                return false;
            }
        }
        if (steps.Count == 0)
        {
            error = "has no step after $";
            return false;
        }
        parsed = new JsonKeyPath(steps);
        error = "";
        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    /// <summary>True when the last step is <c>[*]</c>: the keys are the elements of an array, and an element whose row did not travel is dropped.</summary>
    public bool EndsInEvery => Steps[^1].Kind == JsonStepKind.Every;

    /// <summary>The number of <c>[*]</c> steps.</summary>
    public int Wildcards => Steps.Count(s => s.Kind == JsonStepKind.Every);

    /// <summary>The path as text, in the grammar <see cref="Parse"/> reads.</summary>
    public override string ToString() => "$" + string.Concat(Steps.Select(s => s.ToString()));

    /// <summary>Equal steps, in order.</summary>
    public bool Equals(JsonKeyPath? other) => other is not null && Steps.SequenceEqual(other.Steps);

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}

/// <summary>The kind of one step of a <see cref="JsonKeyPath"/>.</summary>
public enum JsonStepKind
{
    /// <summary><c>.name</c>: the member of an object.</summary>
    Member,
    /// <summary><c>[N]</c>: the element of an array at (zero-based) index N.</summary>
    Index,
    /// <summary><c>[*]</c>: every element of an array.</summary>
    Every,
}

/// <summary>One step of a <see cref="JsonKeyPath"/>: a member name, an index, or every element.</summary>
public sealed record JsonStep(JsonStepKind Kind, string? Name, int Index)
{
    /// <summary><c>[*]</c>.</summary>
    public static readonly JsonStep Every = new(JsonStepKind.Every, null, 0);

    public static JsonStep Member(string name) => new(JsonStepKind.Member, name, 0);

    public static JsonStep At(int index) => new(JsonStepKind.Index, null, index);

    public override string ToString() => Kind switch
    {
        JsonStepKind.Member => "." + Name,
        JsonStepKind.Index => "[" + Index.ToString(CultureInfo.InvariantCulture) + "]",
        _ => "[*]",
    };
}
