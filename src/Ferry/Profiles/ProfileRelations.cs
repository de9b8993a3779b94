using Ferry.Schema;

namespace Ferry.Profiles;

/// <summary>
/// Turns a profile's relations into foreign keys of the source schema (with a
/// <see cref="ForeignKey.Shape"/>), so that planning, scoping, the manifest and the import treat them
/// like declared keys. Pure. The profile is assumed checked against the schema
/// (<c>ProfileCheck</c>); a name it does not know still fails here, naming the rule's line.
/// </summary>
public static class ProfileRelations
{
    /// <summary>The schema with every relation of <paramref name="profile"/> added to its table's foreign keys.</summary>
    public static DatabaseSchema Apply(DatabaseSchema schema, Profile profile)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Relations.Count == 0)
        {
            return schema;
        }

        var added = profile.Relations
            .Where(r => r.Kind != RelationKind.Declared)
            .SelectMany(r => ForeignKeys(schema, profile, r))
            .ToLookup(fk => fk.Table, StringComparer.Ordinal);
        return new DatabaseSchema(schema.Tables.Select(t =>
            added.Contains(t.Name) ? t with { ForeignKeys = [.. t.ForeignKeys, .. added[t.Name]] } : t), schema.Notes);
    }

    /// <summary>
    /// The relations whose referenced rows own the rows pointing at them (<c>owner: to</c>), as follows
    /// (<c>table.column</c>) for the planner; a declared foreign key's rule too.
    /// </summary>
    public static IEnumerable<(string Table, string Column)> Follows(Profile profile) =>
        profile.Relations.Where(r => r.Owns).Select(r => (r.Table, r.Column));

    /// <summary>
    /// The relations whose referencing rows own the rows they point at (<c>owner: from</c>), as
    /// <see cref="Planning.PlanRequest.OwnedReferences"/> (<c>table.column</c>); a declared foreign key's rule too.
    /// </summary>
    public static IEnumerable<(string Table, string Column)> OwnedReferences(Profile profile) =>
        profile.Relations.Where(r => r.OwnsReferenced).Select(r => (r.Table, r.Column));

    private static IEnumerable<ForeignKey> ForeignKeys(DatabaseSchema schema, Profile profile, RelationRule rule)
    {
        var origin = profile.Where(rule.Line);
        var table = schema.Find(rule.Table) ?? throw Mistake(origin, $"unknown table {rule.Table}");
        var column = table.FindColumn(rule.Column) ?? throw Mistake(origin, $"table {rule.Table} has no column {rule.Column}");
        var name = $"profile:{rule.Table}.{rule.Column}";
        switch (rule.Kind)
        {
            case RelationKind.Polymorphic:
                foreach (var (value, refTable) in rule.Types.OrderBy(t => t.Key, StringComparer.Ordinal))
                {
                    var shape = new ReferenceShape(ReferenceKind.Column, null, rule.TypeColumn, value, origin);
                    yield return Key($"{name}[{value}]", refTable, column.Nullable, shape);
                }
                break;
            case RelationKind.Array:
                yield return Key(name, rule.RefTable!, true, new ReferenceShape(ReferenceKind.Array, null, null, null, origin));
                break;
            case RelationKind.Json:
                yield return Key($"{name}{rule.Path![1..]}", rule.RefTable!, true, new ReferenceShape(ReferenceKind.Json, rule.Path, null, null, origin));
                break;
            default:
                yield return Key(name, rule.RefTable!, column.Nullable, new ReferenceShape(ReferenceKind.Column, null, null, null, origin) { None = rule.None });
                break;
        }

        ForeignKey Key(string keyName, string refTable, bool nullable, ReferenceShape shape)
        {
            var target = schema.Find(refTable) ?? throw Mistake(origin, $"unknown table {refTable}");
            var refColumn = rule.RefColumn ?? (target.PrimaryKey.Count == 1
                ? target.PrimaryKey[0]
                : throw Mistake(origin, $"table {refTable} has no single-column primary key: name the referenced column ({refTable}.COLUMN)"));
            return new ForeignKey(keyName, rule.Table, [rule.Column], refTable, [refColumn], nullable) { Shape = shape };
        }
    }

    private static FerryException Mistake(string origin, string message) => new($"{origin}: {message}", ExitCodes.Usage);
}
