namespace Ferry.Schema;

/// <summary>
/// The only values a text column takes, as its engine declares them: an enumeration's members (MariaDB's
/// <c>ENUM</c>), or, when <see cref="IsSet"/>, the members a comma-separated list of them may hold (MariaDB's
/// <c>SET</c>; the empty text is the empty set). Values are compared exactly: a value the engine would take only after
/// folding its case or trimming it (a case-insensitive ENUM stores <c>red</c> as its member <c>Red</c>) would not
/// arrive as it was, so it is not a member. The members of a set may come in any order and more than once: the engine
/// keeps each member once, in its own order, which is the same set. Immutable.
/// </summary>
public sealed class ValueMembers
{
    private const int ShownMembers = 20;

    private readonly HashSet<string> _names;

    /// <summary>The members in declared order.</summary>
    public ValueMembers(IReadOnlyList<string> names, bool isSet)
    {
        Names = names;
        IsSet = isSet;
        _names = new HashSet<string>(names, StringComparer.Ordinal);
    }

    /// <summary>The members, in declared order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>True for a set column: a value is a comma-separated list of members.</summary>
    public bool IsSet { get; }

    /// <summary>Why <paramref name="value"/> is not a value of the column (naming the members allowed), or null.</summary>
    public string? Problem(string value)
    {
        if (!IsSet)
        {
            return _names.Contains(value) ? null : $"not one of the column's members ({Shown()})";
        }
        if (value.Length == 0)
        {
            return null;
        }
        var missing = value.Split(',').Where(part => !_names.Contains(part)).Distinct(StringComparer.Ordinal).ToList();
        return missing.Count == 0
            ? null
            : $"a set of members holding {string.Join(", ", missing.Select(Quoted))}, which the column's set does not have ({Shown()})";
    }

    private string Shown() =>
        "allowed: " + string.Join(", ", Names.Take(ShownMembers).Select(Quoted)) + (Names.Count > ShownMembers ? $" and {Names.Count - ShownMembers} more" : "");

    private static string Quoted(string member) => Archive.ArchiveText.Show(member);
}
