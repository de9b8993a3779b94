using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Sqlite;

// Keys held inside JSON arrays and documents (profile relations), read on export and rewritten on
// import with SQLite's JSON functions. SQL array text from another engine's archive ({1,2,3}, the archive
// says so) is read as the JSON array it spells once its braces are swapped for brackets.
public sealed partial class SqliteDialect
{
    // SQLite has no array type: its own columns hold JSON.
    public ArrayForm FormOf(Column column) => ArrayForm.Json;

    public ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, string keySqlType)
    {
        var value = form == ArrayForm.Sql
            ? $"'[' || substr({expression}, 2, length({expression}) - 2) || ']'"
            : expression;
        var path = JsonKeyPath.Of(shape);
        var from = path.Members.Count == 0 ? $"json_each({value}) AS e" : $"json_each({value}, {Literal(path.Container)}) AS e";
        return new ReferenceElements(from, "e.value", "e.id");
    }

    public string RewriteReferences(string stage, string column, ReferenceShape shape, ArrayForm form, string keySqlType, Column target, string map)
    {
        var c = Quote(column);
        var path = JsonKeyPath.Of(shape);
        if (!path.IsArray)
        {
            var at = Literal(path.Container);
            return $"UPDATE {stage} AS s SET {c} = json_set(s.{c}, {at}, (SELECT m.n0 FROM {map} m WHERE m.o0 = json_extract(s.{c}, {at}))) " +
                   $"WHERE s.{c} IS NOT NULL AND json_type(s.{c}, {at}) IN ('integer', 'text')";
        }

        var elements = ReferenceElements(shape, $"s.{c}", form, keySqlType);
        var keys = $"(SELECT json_group_array(k.n0) FROM (SELECT m.n0 AS n0 FROM {elements.From} JOIN {map} m ON m.o0 = {elements.Key} ORDER BY {elements.Order}) AS k)";
        if (shape.Kind == ReferenceKind.Array || path.Members.Count == 0)
        {
            return $"UPDATE {stage} AS s SET {c} = {keys} WHERE s.{c} IS NOT NULL";
        }
        var container = Literal(path.Container);
        return $"UPDATE {stage} AS s SET {c} = json_set(s.{c}, {container}, json({keys})) " +
               $"WHERE s.{c} IS NOT NULL AND json_type(s.{c}, {container}) = 'array'";
    }
}
