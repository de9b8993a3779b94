using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

/// <summary>Keys inside JSON values (profile relations), as SQLite reads them.</summary>
public class SqliteReferenceSqlTests
{
    private readonly SqliteDialect _dialect = new();

    private static readonly ReferenceKey Integer = new(FerryType.Int, "INTEGER");

    private static ReferenceShape Json(string path) => new(ReferenceKind.Json, path, null, null, "profile p.yaml:1");

    private static readonly ReferenceShape Array = new(ReferenceKind.Array, null, null, null, "profile p.yaml:1");

    [Fact]
    public void Elements_of_a_json_array_and_of_a_postgres_array_from_another_engine()
    {
        var elements = _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Json, Integer);
        Assert.Equal("json_each(CASE WHEN json_type(x.\"ids\", '$') = 'array' THEN x.\"ids\" END, '$') AS e1", elements.From);
        Assert.Equal("e1.id", elements.Order);
        Assert.StartsWith("CASE WHEN e1.type = 'integer' THEN e1.value WHEN e1.type = 'text'", elements.Key, StringComparison.Ordinal);
        Assert.Contains("'[' || substr(s.\"ids\", 2, length(s.\"ids\") - 2) || ']'",
            _dialect.ReferenceElements(Array, "s.\"ids\"", ArrayForm.Sql, Integer).From, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deep_path_is_cut_at_each_wildcard_into_json_each()
    {
        var elements = _dialect.ReferenceElements(Json("$.package.tags[*].id"), "x.\"data\"", ArrayForm.Json, new ReferenceKey(FerryType.Text, "TEXT"));
        Assert.Equal("json_each(CASE WHEN json_type(x.\"data\", '$.\"package\".\"tags\"') = 'array' THEN x.\"data\" END, '$.\"package\".\"tags\"') AS e1", elements.From);
        Assert.Equal("e1.id", elements.Order);
        Assert.Equal("CASE WHEN json_type(CASE WHEN e1.type IN ('object', 'array') THEN e1.value END, '$.\"id\"') = 'text' " +
                     "THEN json_extract(CASE WHEN e1.type IN ('object', 'array') THEN e1.value END, '$.\"id\"') END", elements.Key);

        var scalar = _dialect.ReferenceElements(Json("$.history[2].by"), "x.\"d\"", ArrayForm.Json, Integer);
        Assert.Equal("(SELECT 1 AS one) AS e0", scalar.From);
        Assert.Contains("json_type(x.\"d\", '$.\"history\"[2].\"by\"')", scalar.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrites_an_array_in_order_dropping_unmapped_keys_and_leaves_json_to_ferry()
    {
        var target = new Column("ids", "TEXT", FerryType.Text, true);
        var sql = _dialect.RewriteReferences("\"temp\".\"st\"", "ids", Array, ArrayForm.Sql, Integer, target, "\"temp\".\"map\"");
        Assert.StartsWith("UPDATE \"temp\".\"st\" AS s SET \"ids\" = (SELECT json_group_array(k.n0) FROM (SELECT m.n0 AS n0 FROM json_each(", sql, StringComparison.Ordinal);
        Assert.EndsWith("ORDER BY e1.id) AS k) WHERE s.\"ids\" IS NOT NULL", sql, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _dialect.RewriteReferences("st", "doc", Json("$.a"), ArrayForm.Json, Integer, target, "map"));
    }
}
