using Ferry.Archive;
using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

// Profile relations that the INSERT…SELECT cannot remap by a join: polymorphic keys (the type column
// says which map applies) and keys inside arrays and JSON documents. Their staged values are rewritten
// in place, once every map exists and before the conflict checks: polymorphic keys and SQL arrays by an
// UPDATE, JSON text by Ferry (DocumentRewriter) from the new keys these queries give.
internal sealed partial class MergeSql
{
    /// <summary>The staging table that receives rewritten documents of <paramref name="t"/> (its <see cref="Engines.ISqlDialect.StageRow"/> as text, new text).</summary>
    public static string DocumentsName(TableMerge t) => $"ferry_docs_{t.Index}";

    /// <summary>
    /// True when the keys of <paramref name="key"/> are rewritten by Ferry in the document's own text: a JSON path,
    /// or an array of keys that is JSON both in the archive and in the target column.
    /// </summary>
    public bool ByDocument(TableMerge t, ManifestForeignKey key)
    {
        var reference = key.Reference!;
        var column = key.Columns[0];
        return reference.Kind == "json"
            || (reference.Kind == "array" && reference.Form(t.ArchiveColumn(column)) == ArrayForm.Json && _d.FormOf(t.Target.GetColumn(column)) == ArrayForm.Json);
    }

    /// <summary>The UPDATE that gives the staged rows of <paramref name="t"/> their new keys for <paramref name="key"/> (polymorphic keys, SQL arrays).</summary>
    public string RewriteReferences(TableMerge t, ManifestForeignKey key, TableMerge parent)
    {
        var column = key.Columns[0];
        var shape = key.Reference!.ToShape(key.Name);
        if (shape.Kind != ReferenceKind.Column)
        {
            return _d.RewriteReferences(Stage(t), column, shape, key.Reference.Form(t.ArchiveColumn(column)), ParentKey(parent),
                t.Target.GetColumn(column), Map(parent));
        }
        var staged = t.ArchiveColumn(column).Type;
        var lookup = $"(SELECT m.n0 FROM {Map(parent)} m WHERE m.o0 = {Cast($"s.{Q(column)}", staged, ParentKeyType(parent))})";
        // A text key is written as the map holds it: a cast to a staging type that has no text form (SQLite's BLOB,
        // which only keeps values untyped) would turn it into bytes.
        var value = staged is FerryType.Text or FerryType.Uuid ? lookup : _d.CastTo(lookup, staged);
        return $"UPDATE {Stage(t)} AS s SET {Q(column)} = {value} WHERE {OfType(key)} AND s.{Q(column)} IS NOT NULL";
    }

    /// <summary>Staged rows whose polymorphic key of this type has no row in the archive (an inconsistent archive).</summary>
    public string CountDanglingPolymorphic(TableMerge t, ManifestForeignKey key, TableMerge parent)
    {
        var column = key.Columns[0];
        var staged = t.ArchiveColumn(column).Type;
        return $"SELECT COUNT(*) FROM {Stage(t)} s WHERE {OfType(key)} AND s.{Q(column)} IS NOT NULL " +
               $"AND NOT EXISTS (SELECT 1 FROM {Map(parent)} m WHERE m.o0 = {Cast($"s.{Q(column)}", staged, ParentKeyType(parent))})";
    }

    /// <summary>Keys inside SQL arrays that the archive has no row for: dropped by the rewrite.</summary>
    public string CountUnmappedElements(TableMerge t, ManifestForeignKey key, TableMerge parent)
    {
        var column = key.Columns[0];
        var elements = _d.ReferenceElements(key.Reference!.ToShape(key.Name), $"s.{Q(column)}", key.Reference.Form(t.ArchiveColumn(column)), ParentKey(parent));
        return $"SELECT COUNT(*) FROM {Stage(t)} s CROSS JOIN {elements.From} " +
               $"WHERE {elements.Key} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {Map(parent)} m WHERE m.o0 = {elements.Key})";
    }

    /// <summary>
    /// Up to <paramref name="limit"/> staged rows of <paramref name="t"/> with a document in <paramref name="column"/>,
    /// in row-locator order after <c>@after</c> when <paramref name="after"/>: the locator as text and the document.
    /// </summary>
    public string DocumentBatch(TableMerge t, string column, bool after, int limit)
    {
        var c = Q(column);
        var locator = $"s.{_d.StageRow}";
        var where = after ? $" AND {locator} > {_d.LocatorFromText("@after")}" : "";
        return $"SELECT {_d.AsText(locator)}, s.{c} FROM {Stage(t)} s " +
               $"WHERE s.{c} IS NOT NULL{where} ORDER BY {locator} LIMIT {limit}";
    }

    /// <summary>
    /// One row that gives, per table of <paramref name="parents"/>, the pairs <c>[[old, new], ...]</c> of the keys that
    /// parameter <c>@k0</c>, <c>@k1</c>, ... (<see cref="KeysParameter"/>) (a JSON array of key texts, as <see cref="DocumentRewriter.Collect"/> found
    /// them in a batch of documents) holds and that the table's map has a new key for. A text is a key by the same rule
    /// as a value inside a document (<see cref="ReferenceKey"/>), so one statement serves every relation on the column.
    /// </summary>
    public string NewKeys(IReadOnlyList<TableMerge> parents)
    {
        var list = new ReferenceShape(ReferenceKind.Array, null, null, null, "keys found in documents");
        var pairs = parents.Select((parent, i) =>
        {
            var elements = _d.ReferenceElements(list, "@" + KeysParameter(i), ArrayForm.Json, ParentKey(parent));
            return $"(SELECT {_d.PairsAggregate(elements.Key, "m.n0")} FROM {elements.From} JOIN {Map(parent)} m ON m.o0 = {elements.Key}) AS p{i}";
        });
        return $"SELECT {string.Join(", ", pairs)}";
    }

    /// <summary>The name (without <c>@</c>) of <see cref="NewKeys"/>' parameter for its <paramref name="i"/>-th table.</summary>
    public static string KeysParameter(int i) => $"k{i}";

    /// <summary>The table of rewritten documents: staged row (as text) and new text.</summary>
    public string CreateDocuments(TableMerge t) =>
        _d.CreateTempTable(DocumentsName(t), [("loc", _d.StagingType(FerryType.Text)), ("doc", _d.StagingType(FerryType.Text))], []);

    /// <summary>Gives the staged rows their rewritten documents, then empties the table of them for the next column.</summary>
    public IReadOnlyList<string> ApplyDocuments(TableMerge t, string column)
    {
        var docs = _d.TempTable(DocumentsName(t));
        return
        [
            _d.UpdateFromSelect(Stage(t), "s", [(column, "r.doc")], $"SELECT loc, doc FROM {docs}", "r", $"s.{_d.StageRow} = {_d.LocatorFromText("r.loc")}"),
            $"DELETE FROM {docs}",
        ];
    }

    private string OfType(ManifestForeignKey key) =>
        $"s.{Q(key.Reference!.TypeColumn!)} = {_d.Literal(key.Reference.TypeValue!)}";

    // The staging type of the parent's (single) key: the type of its map's old keys.
    private string KeyType(TableMerge parent) => _d.StagingType(parent.ArchiveColumn(parent.Archive.PrimaryKey[0]).Type);

    // The parent's keys as the map holds them: staged, canonical.
    private ReferenceKey ParentKey(TableMerge parent) =>
        new(parent.ArchiveColumn(parent.Archive.PrimaryKey[0]).Type, KeyType(parent), Canonical: true);

    private static FerryType ParentKeyType(TableMerge parent) => parent.ArchiveColumn(parent.Archive.PrimaryKey[0]).Type;

    // A staged value as another archive type's staging type: unchanged where both stage alike (text, dates and UUIDs on
    // PostgreSQL), else the dialect's cast.
    private string Cast(string expression, FerryType from, FerryType to) =>
        string.Equals(_d.StagingType(from), _d.StagingType(to), StringComparison.Ordinal) ? expression : _d.CastTo(expression, to);
}
