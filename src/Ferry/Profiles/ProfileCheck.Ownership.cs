using Ferry.Schema;

namespace Ferry.Profiles;

public static partial class ProfileCheck
{
    // Rules that say which side owns: a rule without `to` needs the foreign key the schema declares on its column;
    // owner: from contradicts a follow of the same column, and a shared referenced table.
    private static void Ownership(Mistakes check, Profile profile, RelationRule relation, DatabaseSchema source)
    {
        var line = relation.Line;
        var owner = $"{relation.Table}.{relation.Column}";
        var referenced = relation.RefTable;
        if (relation.Kind == RelationKind.Declared)
        {
            if (source.Find(relation.Table) is not { } table || table.FindColumn(relation.Column) is null)
            {
                return; // reported as an unknown table or column
            }
            var declared = table.ForeignKeys.Where(fk => !fk.IsVirtual && fk.Columns[0] == relation.Column).Select(fk => fk.RefTable).Distinct().ToList();
            if (declared.Count == 0)
            {
                check.Add(line, $"relation {owner} has no to, so it only says which side of a foreign key owns, and {relation.Table} declares " +
                                $"no foreign key on {relation.Column}: give to: TABLE to declare the relation");
                return;
            }
            referenced = declared[0];
        }
        if (!relation.OwnsReferenced)
        {
            return;
        }
        if (profile.Follow.FirstOrDefault(f => f.Table == relation.Table && f.Column == relation.Column) is { } follow)
        {
            check.Add(follow.Line, $"cannot follow {owner}: the relation of line {line} says each {relation.Table} row owns the row it points at " +
                                   "(owner: from); following it would make that row own the rows pointing at it instead");
        }
        if (referenced is not null && profile.Shared.FirstOrDefault(s => s.Table == referenced) is { } shared)
        {
            check.Add(line, $"relation {owner} → {referenced} has owner: from, which makes the {referenced} rows it points at part of the tenant, " +
                            $"but shared (line {shared.Line}) says rows of {referenced} are shared by every tenant: keep one of the two");
        }
    }
}
