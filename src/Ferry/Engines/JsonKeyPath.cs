using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Engines;

/// <summary>
/// Where a relation's keys are inside a JSON value: the object members from the root
/// (<c>$.a.b</c> → <c>a</c>, <c>b</c>) and whether the value there is an array of keys (<c>[*]</c>).
/// An <see cref="ReferenceKind.Array"/> relation in a JSON column is the root array (<c>$[*]</c>).
/// </summary>
public sealed partial record JsonKeyPath(IReadOnlyList<string> Members, bool IsArray)
{
    /// <summary>The path of a shape of kind Array or Json.</summary>
    public static JsonKeyPath Of(ReferenceShape shape) =>
        shape.Kind == ReferenceKind.Array ? new JsonKeyPath([], true) : Parse(shape.Path ?? "");

    /// <summary>Parses <c>$</c>, then <c>.name</c> segments (letters, digits, <c>_</c>, <c>-</c>), then an optional <c>[*]</c>.</summary>
    public static JsonKeyPath Parse(string path)
    {
        var match = Syntax().Match(path);
        if (!match.Success)
        {
            throw new FormatException($"JSON path '{path}' is not $ followed by .name segments and an optional [*]");
        }
        return new JsonKeyPath(match.Groups["m"].Captures.Select(c => c.Value).ToList(), match.Groups["a"].Success);
    }

    /// <summary>The path of the value holding the key(s), without <c>[*]</c>: <c>$.a.b</c>.</summary>
    public string Container => "$" + string.Concat(Members.Select(m => "." + m));

    [GeneratedRegex(@"^\$(?:\.(?<m>[A-Za-z0-9_-]+))*(?<a>\[\*\])?$")]
    private static partial Regex Syntax();
}
