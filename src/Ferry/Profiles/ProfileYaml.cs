using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Ferry.Profiles;

/// <summary>
/// Reads the nodes of one profile file: every mistake becomes a usage error naming the node's
/// line (<c>profile app.yaml:12: ...</c>) and what was expected.
/// </summary>
internal sealed partial class ProfileYaml(string path)
{
    /// <summary>The 1-based line a node starts on.</summary>
    public static int Line(YamlNode node) => checked((int)node.Start.Line);

    public FerryException Error(int line, string message) =>
        new($"profile {Path.GetFileName(path)}:{line}: {message}", ExitCodes.Usage);

    public FerryException Error(YamlNode node, string message) => Error(Line(node), message);

    /// <summary>
    /// The keys of a mapping, each checked against <paramref name="allowed"/>; <paramref name="what"/>
    /// names the mapping in messages (<c>an identity</c>).
    /// </summary>
    public Dictionary<string, YamlNode> Fields(YamlNode node, string what, IReadOnlyList<string> allowed)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, $"{what} must be a mapping with keys {string.Join(", ", allowed)}; found {Describe(node)}");
        }
        var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw Error(keyNode, $"{what} has a key that is not a name");
            if (!allowed.Contains(key))
            {
                throw Error(keyNode, $"unknown key '{key}' in {what}; allowed keys: {string.Join(", ", allowed)}");
            }
            // YamlDotNet refuses a key given twice while loading.
            fields[key] = value;
        }
        return fields;
    }

    /// <summary>The value of a required key, or an error naming the mapping's line.</summary>
    public YamlNode Required(YamlNode mapping, Dictionary<string, YamlNode> fields, string key, string what, string expected) =>
        fields.GetValueOrDefault(key) ?? throw Error(mapping, $"{what} needs '{key}': {expected}");

    /// <summary>A non-empty string scalar.</summary>
    public string Text(YamlNode node, string what) =>
        node is YamlScalarNode scalar && !IsNull(scalar) && scalar.Value is { Length: > 0 } text
            ? text
            : throw Error(node, $"{what} must be a non-empty text; found {Describe(node)}");

    /// <summary>A name (table, column, store): a non-empty string without a dot or spaces.</summary>
    public string Name(YamlNode node, string what)
    {
        var text = Text(node, what);
        return NamePattern().IsMatch(text) ? text : throw Error(node, $"{what} '{text}' is not a name (no dots or spaces)");
    }

    /// <summary><c>table.column</c>.</summary>
    public (string Table, string Column) TableColumn(YamlNode node, string what)
    {
        var text = Text(node, what);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && NamePattern().IsMatch(text[..dot]) && NamePattern().IsMatch(text[(dot + 1)..])
            ? (text[..dot], text[(dot + 1)..])
            : throw Error(node, $"{what} '{text}' is not TABLE.COLUMN (e.g. users.email)");
    }

    /// <summary>One column name, or a non-empty list of them.</summary>
    public IReadOnlyList<string> Columns(YamlNode node, string what)
    {
        if (node is YamlSequenceNode list)
        {
            return list.Children.Count > 0
                ? list.Children.Select(c => Name(c, $"a column of {what}")).ToList()
                : throw Error(node, $"{what} must name at least one column");
        }
        return [Name(node, what)];
    }

    /// <summary>true or false.</summary>
    public bool Bool(YamlNode node, string what) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: { } v } && BoolValue(v) is { } b
            ? b
            : throw Error(node, $"{what} must be true or false; found {Describe(node)}");

    /// <summary>One of <paramref name="values"/> (lower case in the file), as the enum member of that name.</summary>
    public T Enum<T>(YamlNode node, string what, IReadOnlyList<string> values)
        where T : struct, Enum
    {
        var text = node is YamlScalarNode { Value: { } v } ? v : null;
        return text is not null && values.Contains(text) && System.Enum.TryParse<T>(text, ignoreCase: true, out var value)
            ? value
            : throw Error(node, $"{what} must be one of {string.Join(", ", values)}; found {Describe(node)}");
    }

    /// <summary>The items of a list; an empty value is an empty list.</summary>
    public IReadOnlyList<YamlNode> Items(YamlNode node, string what) => node switch
    {
        YamlSequenceNode list => list.Children.ToList(),
        YamlScalarNode scalar when IsNull(scalar) => [],
        _ => throw Error(node, $"{what} must be a list; found {Describe(node)}"),
    };

    /// <summary>A mapping of names to scalars (placeholder values, value maps), values typed as YAML gives them.</summary>
    public Dictionary<string, object?> Scalars(YamlNode node, string what)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, $"{what} must be a mapping; found {Describe(node)}");
        }
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } k } ? k : throw Error(key, $"{what} has a key that is not a scalar");
            result[name] = Value(value, $"the value of '{name}' in {what}");
        }
        return result;
    }

    /// <summary>A scalar as YAML 1.2 types it: null, bool, long, double, or string (quoted scalars are always strings).</summary>
    public object? Value(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, $"{what} must be a single value; found {Describe(node)}");
        }
        var text = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return text;
        }
        if (IsNull(scalar))
        {
            return null;
        }
        if (BoolValue(text) is { } b)
        {
            return b;
        }
        if (IntPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
        {
            return l;
        }
        return FloatPattern().IsMatch(text) ? double.Parse(text, CultureInfo.InvariantCulture) : text;
    }
}
