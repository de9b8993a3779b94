using System.Globalization;
using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Postgres;

// Keys held inside arrays and JSON documents (profile relations), read on export and on import. A path is
// walked with jsonb's -> (a member of an object, an element of an array, NULL otherwise) and
// jsonb_array_elements for [*], so that a step that does not fit selects nothing; the document is cast to
// jsonb once per row, behind an OFFSET 0 that keeps the planner from repeating the cast or from joining
// before the keys are known.
public sealed partial class PostgresDialect
{
    private const string IntegerText = "'^-?[0-9]{1,18}$'";
    private const string UuidText = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";

    public ArrayForm FormOf(Column column) => IsArray(column.SqlType) ? ArrayForm.Sql : ArrayForm.Json;

    // SQL array text is read as text[] whatever the element type: the archive's type names are never SQL.
    public ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, ReferenceKey key)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(key);
        if (shape.Kind == ReferenceKind.Array && form == ArrayForm.Sql)
        {
            return new ReferenceElements($"unnest(CAST({expression} AS text[])) WITH ORDINALITY AS e(v, o)", KeyFromText("e.v", key), "e.o");
        }
        var items = new List<string> { $"LATERAL (SELECT CAST({expression} AS jsonb) AS v OFFSET 0) AS e0" };
        var current = "e0.v";
        var order = new List<string>(); // the position at each [*], outermost first
        foreach (var step in JsonKeyPath.Of(shape).Steps)
        {
            switch (step.Kind)
            {
                case JsonStepKind.Member:
                    current = $"({current} -> {Literal(step.Name!)})";
                    break;
                case JsonStepKind.Index:
                    current = $"({current} -> {step.Index.ToString(CultureInfo.InvariantCulture)})";
                    break;
                default:
                    var alias = $"e{items.Count}";
                    items.Add($"LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof({current}) = 'array' THEN {current} END) WITH ORDINALITY AS {alias}(v, o)");
                    current = $"{alias}.v";
                    order.Add($"{alias}.o");
                    break;
            }
        }
        return new ReferenceElements(string.Join(" CROSS JOIN ", items), KeyOf(current, key), order.Count == 0 ? "1" : string.Join(", ", order));
    }

    public string RewriteReferences(string stage, string column, ReferenceShape shape, ArrayForm form, ReferenceKey key, Column target, string map)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(target);
        if (shape.Kind != ReferenceKind.Array)
        {
            throw new ArgumentException("keys inside JSON documents are rewritten by Ferry, not by SQL", nameof(shape));
        }
        var c = Quote(column);
        var elements = ReferenceElements(shape, $"s.{c}", form, key);
        var aggregate = IsArray(target.SqlType)
            ? $"CAST(COALESCE(array_agg(m.n0 ORDER BY {elements.Order}), '{{}}') AS text)"
            : $"CAST(COALESCE(jsonb_agg(m.n0 ORDER BY {elements.Order}), '[]'::jsonb) AS text)";
        return $"UPDATE {stage} AS s SET {c} = (SELECT {aggregate} FROM {elements.From} JOIN {map} m ON m.o0 = {elements.Key}) " +
               $"WHERE s.{c} IS NOT NULL";
    }

    public string PairsAggregate(string oldKey, string newKey) => $"CAST(json_agg(json_build_array({oldKey}, {newKey})) AS text)";

    public string LocatorFromText(string text) => $"CAST({text} AS tid)";

    // The key at a JSON value, or NULL when the value there is no such key (see ReferenceKey).
    private string KeyOf(string value, ReferenceKey key)
    {
        var text = $"({value} #>> '{{}}')";
        return key.Type switch
        {
            FerryType.Int => $"CASE WHEN jsonb_typeof({value}) IN ('number', 'string') AND {text} ~ {IntegerText} THEN CAST({text} AS bigint) END",
            FerryType.Uuid => $"CASE WHEN jsonb_typeof({value}) = 'string' AND {text} ~ {UuidText} THEN {UuidKey(text, key)} END",
            _ => $"CASE WHEN jsonb_typeof({value}) = 'string' THEN {Cast(text, key.SqlType)} END",
        };
    }

    // An element of SQL array text, which is a key when its text has the key's form.
    private string KeyFromText(string text, ReferenceKey key) => key.Type switch
    {
        FerryType.Int => $"CASE WHEN {text} ~ {IntegerText} THEN CAST({text} AS bigint) END",
        FerryType.Uuid => $"CASE WHEN {text} ~ {UuidText} THEN {UuidKey(text, key)} END",
        _ => Cast(text, key.SqlType),
    };

    private static string UuidKey(string text, ReferenceKey key) =>
        key.SqlType == "uuid" ? $"CAST({text} AS uuid)" : key.Canonical ? $"lower({text})" : text;

    private static string Cast(string text, string sqlType) => sqlType is "text" ? text : $"CAST({text} AS {sqlType})";


    private static bool IsArray(string sqlType) => sqlType.EndsWith("[]", StringComparison.Ordinal);
}
