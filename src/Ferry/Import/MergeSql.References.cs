using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Import;

// Profile relations that the INSERT…SELECT cannot remap by a join: polymorphic keys (the type column
// says which map applies) and keys inside arrays and JSON documents. Their staged values are rewritten
// in place, once every map exists and before the conflict checks.
internal sealed partial class MergeSql
{
    /// <summary>The UPDATE that gives the staged rows of <paramref name="t"/> their new keys for <paramref name="key"/>.</summary>
    public string RewriteReferences(TableMerge t, ManifestForeignKey key, TableMerge parent)
    {
        var column = key.Columns[0];
        var shape = key.Reference!.ToShape(key.Name);
        if (shape.Kind != ReferenceKind.Column)
        {
            return _d.RewriteReferences(Stage(t), column, shape, key.Reference.Form(t.ArchiveColumn(column)), KeyType(parent),
                t.Target.GetColumn(column), Map(parent));
        }
        var staged = _d.StagingType(t.ArchiveColumn(column).Type);
        var lookup = $"(SELECT m.n0 FROM {Map(parent)} m WHERE m.o0 = {Cast($"s.{Q(column)}", staged, KeyType(parent))})";
        return $"UPDATE {Stage(t)} AS s SET {Q(column)} = {Cast(lookup, "", staged)} WHERE {OfType(key)} AND s.{Q(column)} IS NOT NULL";
    }

    /// <summary>Staged rows whose polymorphic key of this type has no row in the archive (an inconsistent archive).</summary>
    public string CountDanglingPolymorphic(TableMerge t, ManifestForeignKey key, TableMerge parent)
    {
        var column = key.Columns[0];
        var staged = _d.StagingType(t.ArchiveColumn(column).Type);
        return $"SELECT COUNT(*) FROM {Stage(t)} s WHERE {OfType(key)} AND s.{Q(column)} IS NOT NULL " +
               $"AND NOT EXISTS (SELECT 1 FROM {Map(parent)} m WHERE m.o0 = {Cast($"s.{Q(column)}", staged, KeyType(parent))})";
    }

    /// <summary>Keys inside arrays or documents that the archive has no row for: dropped (or nulled) by the rewrite.</summary>
    public string CountUnmappedElements(TableMerge t, ManifestForeignKey key, TableMerge parent)
    {
        var column = key.Columns[0];
        var elements = _d.ReferenceElements(key.Reference!.ToShape(key.Name), $"s.{Q(column)}", key.Reference.Form(t.ArchiveColumn(column)), KeyType(parent));
        return $"SELECT COUNT(*) FROM {Stage(t)} s CROSS JOIN {elements.From} " +
               $"WHERE {elements.Key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {Map(parent)} m WHERE m.o0 = {elements.Key})";
    }

    private string OfType(ManifestForeignKey key) =>
        $"s.{Q(key.Reference!.TypeColumn!)} = {_d.Literal(key.Reference.TypeValue!)}";

    // The staging type of the parent's (single) key: the type of its map's old keys.
    private string KeyType(TableMerge parent) => _d.StagingType(parent.ArchiveColumn(parent.Archive.PrimaryKey[0]).Type);

    private static string Cast(string expression, string from, string to) =>
        string.Equals(from, to, StringComparison.Ordinal) ? expression : $"CAST({expression} AS {to})";
}
