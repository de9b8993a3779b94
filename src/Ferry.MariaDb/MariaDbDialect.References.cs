using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.MariaDb;

// Keys held inside JSON arrays and documents (profile relations), read on export and on import with MariaDB's JSON
// functions. A path is cut at each [*] into a JSON_TABLE over the array there (its elements as JSON, numbered FOR
// ORDINALITY), and MariaDB paths ($."name", $[2]) for the member and index steps between; a step that does not fit
// selects nothing (JSON_TABLE yields no row where the value at its path is no array). A text that is not JSON fails
// JSON_TABLE, as PostgreSQL's cast to jsonb and SQLite's json_each fail; JSON_EXTRACT alone (a path without [*]) only
// warns and finds no key there, so on export such a value is copied as it is; on import Ferry's own rewriting of the
// documents refuses it before anything is written (HostileImportTests). SQL array text from PostgreSQL's archive
// ({1,2,3}, the archive says so) is read as the JSON array it spells once its braces are swapped for brackets.
public sealed partial class MariaDbDialect
{
    private const string IntegerText = "'^-?[0-9]{1,18}$'";
    private const string UuidText = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";

    /// <summary>MariaDB has no array type: keys in a value are a JSON array.</summary>
    public ArrayForm FormOf(Column column) => ArrayForm.Json;

    public ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, ReferenceKey key)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(key);
        var current = form == ArrayForm.Sql
            ? $"CONCAT('[', SUBSTRING({expression}, 2, CHAR_LENGTH({expression}) - 2), ']')"
            : expression;
        var (arrays, tail) = JsonKeyPath.Of(shape).Cut();
        var items = new List<string>();
        foreach (var steps in arrays)
        {
            var alias = $"e{items.Count + 1}";
            items.Add($"JSON_TABLE({current}, {Literal(JsonKeyPath.Text(steps) + "[*]")} COLUMNS (o FOR ORDINALITY, v JSON PATH '$')) AS {alias}");
            current = $"{alias}.v";
        }
        // The position at each [*], outermost first.
        var order = Enumerable.Range(1, items.Count).Select(i => $"e{i}.o").ToList();
        var from = items.Count == 0 ? "(SELECT 1 AS one) AS e0" : string.Join(" CROSS JOIN ", items);
        var value = tail.Count == 0 ? current : $"JSON_EXTRACT({current}, {Literal(JsonKeyPath.Text(tail))})";
        return new ReferenceElements(from, KeyOf(value, key), order.Count == 0 ? "1" : string.Join(", ", order));
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
        return $"UPDATE {stage} AS s SET {c} = (SELECT COALESCE(JSON_ARRAYAGG(m.n0 ORDER BY {elements.Order}), '[]') " +
               $"FROM {elements.From} JOIN {map} m ON m.o0 = {elements.Key}) WHERE s.{c} IS NOT NULL";
    }

    /// <summary>A JSON array of pairs; the session's group_concat_max_len (on which JSON_ARRAYAGG is built) is raised when it opens.</summary>
    public string PairsAggregate(string oldKey, string newKey) => $"JSON_ARRAYAGG(JSON_ARRAY({oldKey}, {newKey}))";

    // The key a JSON value holds, or NULL when it holds no such key (see ReferenceKey): an integer from a JSON number or
    // a string of digits, a UUID or a text from a string. A text key is compared exactly (utf8mb4_bin), as staged keys are.
    private static string KeyOf(string value, ReferenceKey key)
    {
        var text = $"JSON_VALUE({value}, '$')";
        return key.Type switch
        {
            FerryType.Int => $"CASE WHEN JSON_TYPE({value}) IN ('INTEGER', 'STRING') AND {text} REGEXP {IntegerText} THEN CAST({text} AS SIGNED) END",
            FerryType.Uuid => $"CASE WHEN JSON_TYPE({value}) = 'STRING' AND {text} REGEXP {UuidText} THEN {(key.Canonical ? $"LOWER({Exact(text)})" : Exact(text))} END",
            _ => $"CASE WHEN JSON_TYPE({value}) = 'STRING' THEN {Exact(text)} END",
        };
    }

    private static string Exact(string text) => $"CAST({text} AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin";
}
