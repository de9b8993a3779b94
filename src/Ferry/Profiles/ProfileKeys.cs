namespace Ferry.Profiles;

/// <summary>
/// The keys and enumeration values the loader accepts, in one place: the loader checks against
/// them, and a unit test keeps <c>docs/profile.schema.json</c> in step with them. Each entry is
/// named like the schema's definition of that mapping (<c>$defs</c>; <see cref="Top"/> is the
/// document itself).
/// </summary>
public static class ProfileKeys
{
    /// <summary>The keys of the document.</summary>
    public static readonly IReadOnlyList<string> Top =
        ["app", "root", "complete", "follow", "exclude", "ignore", "shared", "identities", "relations", "files", "transforms", "conflicts", "requires", "changed"];

    /// <summary>The keys of each kind of rule mapping, by its name in the JSON schema's <c>$defs</c>.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Rules = new Dictionary<string, IReadOnlyList<string>>
    {
        ["root"] = ["table", "key"],
        ["tableRule"] = ["table", "reason"],
        ["identity"] = ["table", "key", "through", "case_insensitive", "where", "prefer", "missing", "placeholder"],
        ["through"] = ["table", "column", "where"],
        ["relation"] = ["from", "to", "type_column", "types", "array", "path", "owns", "owner", "none"],
        ["file"] = ["store", "table", "column", "path", "suffixes", "missing"],
        ["renameTable"] = ["rename_table", "to"],
        ["renameColumn"] = ["rename_column", "to"],
        ["dropColumn"] = ["drop_column"],
        ["set"] = ["set", "value"],
        ["map"] = ["map", "values"],
        ["fill"] = ["fill", "sql"],
        ["stagingSql"] = ["sql"],
        ["conflict"] = ["table", "key", "constraint", "action", "pattern"],
        ["require"] = ["on", "sql", "message"],
    };

    /// <summary>The values of each enumerated key, as <c>definition.key</c>.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Enums = new Dictionary<string, IReadOnlyList<string>>
    {
        ["identity.missing"] = ["create", "require", "placeholder"],
        ["relation.owner"] = ["from", "to"],
        ["file.missing"] = ["fail", "warn"],
        ["conflict.action"] = ["fail", "rename", "reuse"],
        ["require.on"] = ["source", "target"],
    };

    /// <summary>The key that tells each kind of transform apart (the staging SQL statement has only <c>sql</c>).</summary>
    public static readonly IReadOnlyDictionary<string, string> TransformKinds = new Dictionary<string, string>
    {
        ["rename_table"] = "renameTable",
        ["rename_column"] = "renameColumn",
        ["drop_column"] = "dropColumn",
        ["set"] = "set",
        ["map"] = "map",
        ["fill"] = "fill",
    };
}
