using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Postgres;

// Keys held inside arrays and JSON documents (profile relations), read on export and rewritten on import.
public sealed partial class PostgresDialect
{
    public ArrayForm FormOf(Column column) => IsArray(column.SqlType) ? ArrayForm.Sql : ArrayForm.Json;

    // SQL array text is read as text[] whatever the element type: the archive's type names are never SQL.
    public ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, string keySqlType)
    {
        if (shape.Kind == ReferenceKind.Array && form == ArrayForm.Sql)
        {
            var key = keySqlType == "text" ? "e.v" : $"CAST(e.v AS {keySqlType})";
            return new ReferenceElements($"unnest(CAST({expression} AS text[])) WITH ORDINALITY AS e(v, o)", key, "e.o");
        }
        var path = JsonKeyPath.Of(shape);
        var jsonPath = path.IsArray ? path.Container + "[*]" : path.Container;
        return new ReferenceElements(
            $"jsonb_path_query(CAST({expression} AS jsonb), {Literal(jsonPath)}) WITH ORDINALITY AS e(j, o)",
            $"CAST(e.j #>> '{{}}' AS {keySqlType})",
            "e.o");
    }

    public string RewriteReferences(string stage, string column, ReferenceShape shape, ArrayForm form, string keySqlType, Column target, string map)
    {
        var c = Quote(column);
        var path = JsonKeyPath.Of(shape);
        if (shape.Kind == ReferenceKind.Array || path.Members.Count == 0)
        {
            var elements = ReferenceElements(shape, $"s.{c}", form, keySqlType);
            var aggregate = IsArray(target.SqlType)
                ? $"CAST(COALESCE(array_agg(m.n0 ORDER BY {elements.Order}), '{{}}') AS text)"
                : $"CAST(COALESCE(jsonb_agg(m.n0 ORDER BY {elements.Order}), '[]'::jsonb) AS text)";
            return $"UPDATE {stage} AS s SET {c} = (SELECT {aggregate} FROM {elements.From} JOIN {map} m ON m.o0 = {elements.Key}) " +
                   $"WHERE s.{c} IS NOT NULL";
        }

        var document = $"CAST(s.{c} AS jsonb)";
        var members = $"ARRAY[{string.Join(", ", path.Members.Select(Literal))}]::text[]";
        var at = $"({document} #> {members})";
        string replacement, where;
        if (path.IsArray)
        {
            replacement = $"COALESCE((SELECT jsonb_agg(m.n0 ORDER BY e.o) FROM jsonb_array_elements_text({at}) WITH ORDINALITY AS e(v, o) " +
                          $"JOIN {map} m ON m.o0 = CAST(e.v AS {keySqlType})), '[]'::jsonb)";
            where = $"jsonb_typeof({at}) = 'array'";
        }
        else
        {
            replacement = $"COALESCE((SELECT to_jsonb(m.n0) FROM {map} m WHERE m.o0 = CAST({document} #>> {members} AS {keySqlType})), 'null'::jsonb)";
            where = $"jsonb_typeof({at}) IN ('number', 'string')";
        }
        return $"UPDATE {stage} AS s SET {c} = CAST(jsonb_set({document}, {members}, {replacement}) AS text) WHERE s.{c} IS NOT NULL AND {where}";
    }

    private static bool IsArray(string sqlType) => sqlType.EndsWith("[]", StringComparison.Ordinal);
}
