using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Sqlite;

// Keys held inside JSON arrays and documents (profile relations), read on export and on import with SQLite's
// JSON functions. A path is cut at each [*] into json_each over the array there, and SQLite paths
// ($."name", $[2]) for the member and index steps between; a step that does not fit selects nothing, and a
// value is read as JSON only where it is an object or an array. SQL array text from another engine's archive
// ({1,2,3}, the archive says so) is read as the JSON array it spells once its braces are swapped for brackets.
public sealed partial class SqliteDialect
{
    // SQLite has no array type: its own columns hold JSON.
    public ArrayForm FormOf(Column column) => ArrayForm.Json;

    public ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, ReferenceKey key)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(key);
        var document = form == ArrayForm.Sql
            ? $"'[' || substr({expression}, 2, length({expression}) - 2) || ']'"
            : expression;
        var (arrays, tail) = JsonKeyPath.Of(shape).Cut();
        var items = new List<string>();
        var current = document; // JSON text of the value the next steps start from
        foreach (var steps in arrays)
        {
            var alias = $"e{items.Count + 1}";
            var at = Literal(JsonKeyPath.Text(steps));
            items.Add($"json_each(CASE WHEN json_type({current}, {at}) = 'array' THEN {current} END, {at}) AS {alias}");
            current = $"CASE WHEN {alias}.type IN ('object', 'array') THEN {alias}.value END";
        }
        // The position at each [*], outermost first.
        var order = Enumerable.Range(1, items.Count).Select(i => $"e{i}.id").ToList();
        var from = items.Count == 0 ? "(SELECT 1 AS one) AS e0" : string.Join(" CROSS JOIN ", items);
        var keyExpression = tail.Count == 0 && items.Count > 0
            ? ElementKey($"e{items.Count}", key)
            : PathKey(current, Literal(JsonKeyPath.Text(tail)), key);
        return new ReferenceElements(from, keyExpression, order.Count == 0 ? "1" : string.Join(", ", order));
    }

    public string RewriteReferences(string stage, string column, ReferenceShape shape, ArrayForm form, ReferenceKey key, Column target, string map)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Kind != ReferenceKind.Array)
        {
            throw new ArgumentException("keys inside JSON documents are rewritten by Ferry, not by SQL", nameof(shape));
        }
        var c = Quote(column);
        var elements = ReferenceElements(shape, $"s.{c}", form, key);
        var keys = $"(SELECT json_group_array(k.n0) FROM (SELECT m.n0 AS n0 FROM {elements.From} JOIN {map} m ON m.o0 = {elements.Key} ORDER BY {elements.Order}) AS k)";
        return $"UPDATE {stage} AS s SET {c} = {keys} WHERE s.{c} IS NOT NULL";
    }

    public string PairsAggregate(string oldKey, string newKey) => $"json_group_array(json_array({oldKey}, {newKey}))";

    public string LocatorFromText(string text) => $"CAST({text} AS INTEGER)";

    // The key of an element json_each gives: its type and value say what it is.
    private static string ElementKey(string alias, ReferenceKey key) =>
        KeyOf($"{alias}.type", $"{alias}.value", key);

    // The key at a path of a JSON text, when the value there is one.
    private static string PathKey(string json, string path, ReferenceKey key) =>
        KeyOf($"json_type({json}, {path})", $"json_extract({json}, {path})", key);

    private static string KeyOf(string type, string value, ReferenceKey key) => key.Type switch
    {
        FerryType.Int => $"CASE WHEN {type} = 'integer' THEN {value} WHEN {type} = 'text' AND {IsIntegerText(value)} THEN CAST({value} AS INTEGER) END",
        FerryType.Uuid => $"CASE WHEN {type} = 'text' AND {IsUuidText(value)} THEN {(key.Canonical ? $"lower({value})" : value)} END",
        _ => $"CASE WHEN {type} = 'text' THEN {value} END",
    };

    // 1 to 18 digits, with an optional minus: what fits a 64-bit key whatever its digits.
    private static string IsIntegerText(string value) =>
        $"((length({value}) BETWEEN 1 AND 18 AND {value} NOT GLOB '*[^0-9]*') " +
        $"OR (length({value}) BETWEEN 2 AND 19 AND {value} GLOB '-*' AND substr({value}, 2) NOT GLOB '*[^0-9]*'))";

    private static string IsUuidText(string value) =>
        $"{value} GLOB '{Hex(8)}-{Hex(4)}-{Hex(4)}-{Hex(4)}-{Hex(12)}'";

    private static string Hex(int count) => string.Concat(Enumerable.Repeat("[0-9a-fA-F]", count));

}
