using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Postgres.Tests;

/// <summary>Keys inside arrays and JSON values (profile relations), as PostgreSQL reads and rewrites them.</summary>
public class PostgresReferenceSqlTests
{
    private static readonly PostgresDialect _dialect = new("public");

    private static readonly ReferenceKey BigInt = new(FerryType.Int, "bigint");

    private static ReferenceShape Json(string path) => new(ReferenceKind.Json, path, null, null, "profile p.yaml:1");

    private static readonly ReferenceShape Array = new(ReferenceKind.Array, null, null, null, "profile p.yaml:1");

    [Fact]
    public void Elements_of_a_native_array_keep_only_elements_of_the_keys_form()
    {
        var elements = _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Sql, BigInt);
        Assert.Equal("unnest(CAST(x.\"ids\" AS text[])) WITH ORDINALITY AS e(v, o)", elements.From);
        Assert.Equal("CASE WHEN e.v ~ '^-?[0-9]{1,18}$' THEN CAST(e.v AS bigint) END", elements.Key);
        Assert.Equal("e.v", _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Sql, new ReferenceKey(FerryType.Text, "text")).Key);
    }

    [Fact]
    public void A_deep_path_casts_the_document_once_and_walks_members_indexes_and_wildcards()
    {
        var elements = _dialect.ReferenceElements(Json("$.package.tags[*].id"), "x.\"data\"", ArrayForm.Json, new ReferenceKey(FerryType.Uuid, "uuid"));
        Assert.Equal(
            "LATERAL (SELECT CAST(x.\"data\" AS jsonb) AS v OFFSET 0) AS e0 CROSS JOIN " +
            "LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(((e0.v -> 'package') -> 'tags')) = 'array' THEN ((e0.v -> 'package') -> 'tags') END) " +
            "WITH ORDINALITY AS e1(v, o)",
            elements.From);
        Assert.Equal("e1.o", elements.Order);
        Assert.Contains("(e1.v -> 'id')", elements.Key, StringComparison.Ordinal);
        Assert.Contains("CAST(((e1.v -> 'id') #>> '{}') AS uuid)", elements.Key, StringComparison.Ordinal);

        var indexed = _dialect.ReferenceElements(Json("$.history[2].by"), "x.\"data\"", ArrayForm.Json, BigInt);
        Assert.Contains("((e0.v -> 'history') -> 2) -> 'by'", indexed.Key, StringComparison.Ordinal);
        Assert.Equal("1", indexed.Order);
    }

    [Fact]
    public void Member_names_go_in_as_literals()
    {
        var elements = _dialect.ReferenceElements(Json("$.it-s"), "x.\"d\"", ArrayForm.Json, BigInt);
        Assert.Contains("-> 'it-s'", elements.Key, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrites_sql_arrays_into_the_target_columns_form_and_leaves_json_to_ferry()
    {
        var array = new Column("ids", "bigint[]", FerryType.Text, true);
        var text = new Column("ids", "text", FerryType.Text, true);
        Assert.Contains("array_agg(m.n0 ORDER BY e1.o)", _dialect.RewriteReferences("st", "ids", Array, ArrayForm.Json, BigInt, array, "map"), StringComparison.Ordinal);
        Assert.Contains("jsonb_agg(m.n0 ORDER BY e.o)", _dialect.RewriteReferences("st", "ids", Array, ArrayForm.Sql, BigInt, text, "map"), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _dialect.RewriteReferences("st", "doc", Json("$.a"), ArrayForm.Json, BigInt, text, "map"));
    }

    [Fact]
    public void The_array_form_comes_from_the_column_type_of_this_engine_only()
    {
        Assert.Equal(ArrayForm.Sql, _dialect.FormOf(new Column("ids", "bigint[]", FerryType.Text, true)));
        Assert.Equal(ArrayForm.Json, _dialect.FormOf(new Column("ids", "jsonb", FerryType.Json, true)));
    }
}
