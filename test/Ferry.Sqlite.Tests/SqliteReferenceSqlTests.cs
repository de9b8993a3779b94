using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

/// <summary>Keys inside JSON values (profile relations), as SQLite reads and rewrites them.</summary>
public class SqliteReferenceSqlTests
{
    private readonly SqliteDialect _dialect = new();

    private static ReferenceShape Json(string path) => new(ReferenceKind.Json, path, null, null, "profile p.yaml:1");

    private static readonly ReferenceShape Array = new(ReferenceKind.Array, null, null, null, "profile p.yaml:1");

    [Fact]
    public void Elements_of_a_json_array_a_json_path_and_a_postgres_array_from_another_engine()
    {
        Assert.Equal(new Engines.ReferenceElements("json_each(x.\"ids\") AS e", "e.value", "e.id"),
            _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Json, "INTEGER"));
        Assert.Equal("json_each(x.\"doc\", '$.a.users') AS e", _dialect.ReferenceElements(Json("$.a.users[*]"), "x.\"doc\"", ArrayForm.Json, "INTEGER").From);
        Assert.Equal("json_each('[' || substr(s.\"ids\", 2, length(s.\"ids\") - 2) || ']') AS e",
            _dialect.ReferenceElements(Array, "s.\"ids\"", ArrayForm.Sql, "INTEGER").From);
    }

    [Fact]
    public void Rewrites_a_json_scalar_in_place_and_nulls_an_unmapped_key()
    {
        var target = new Column("payload", "TEXT", FerryType.Text, true);
        Assert.Equal(
            "UPDATE \"temp\".\"st\" AS s SET \"payload\" = json_set(s.\"payload\", '$.place_id', " +
            "(SELECT m.n0 FROM \"temp\".\"map\" m WHERE m.o0 = json_extract(s.\"payload\", '$.place_id'))) " +
            "WHERE s.\"payload\" IS NOT NULL AND json_type(s.\"payload\", '$.place_id') IN ('integer', 'text')",
            _dialect.RewriteReferences("\"temp\".\"st\"", "payload", Json("$.place_id"), ArrayForm.Json, "INTEGER", target, "\"temp\".\"map\""));
    }

    [Fact]
    public void Rewrites_an_array_in_order_dropping_unmapped_keys()
    {
        var target = new Column("ids", "TEXT", FerryType.Text, true);
        Assert.Equal(
            "UPDATE \"temp\".\"st\" AS s SET \"ids\" = (SELECT json_group_array(k.n0) FROM (SELECT m.n0 AS n0 FROM json_each(s.\"ids\") AS e " +
            "JOIN \"temp\".\"map\" m ON m.o0 = e.value ORDER BY e.id) AS k) WHERE s.\"ids\" IS NOT NULL",
            _dialect.RewriteReferences("\"temp\".\"st\"", "ids", Array, ArrayForm.Json, "INTEGER", target, "\"temp\".\"map\""));
    }
}
