using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Postgres.Tests;

/// <summary>Keys inside arrays and JSON values (profile relations), as PostgreSQL reads and rewrites them.</summary>
public class PostgresReferenceSqlTests
{
    private static readonly PostgresDialect _dialect = new("public");

    private static ReferenceShape Json(string path) => new(ReferenceKind.Json, path, null, null, "profile p.yaml:1");

    private static readonly ReferenceShape Array = new(ReferenceKind.Array, null, null, null, "profile p.yaml:1");

    [Fact]
    public void Elements_of_a_native_array_and_of_json()
    {
        Assert.Equal(new Engines.ReferenceElements("unnest(CAST(x.\"ids\" AS text[])) WITH ORDINALITY AS e(v, o)", "CAST(e.v AS bigint)", "e.o"),
            _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Sql, "bigint"));
        Assert.Equal("e.v", _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Sql, "text").Key);
        Assert.Equal(new Engines.ReferenceElements("jsonb_path_query(CAST(x.\"ids\" AS jsonb), '$[*]') WITH ORDINALITY AS e(j, o)", "CAST(e.j #>> '{}' AS bigint)", "e.o"),
            _dialect.ReferenceElements(Array, "x.\"ids\"", ArrayForm.Json, "bigint"));
        Assert.Equal("jsonb_path_query(CAST(x.\"doc\" AS jsonb), '$.users[*]') WITH ORDINALITY AS e(j, o)",
            _dialect.ReferenceElements(Json("$.users[*]"), "x.\"doc\"", ArrayForm.Json, "bigint").From);
    }

    [Fact]
    public void Rewrites_a_json_array_at_a_path_keeping_order()
    {
        var target = new Column("doc", "jsonb", FerryType.Json, true);
        Assert.Equal(
            "UPDATE pg_temp.st AS s SET \"doc\" = CAST(jsonb_set(CAST(s.\"doc\" AS jsonb), ARRAY['a', 'users']::text[], " +
            "COALESCE((SELECT jsonb_agg(m.n0 ORDER BY e.o) FROM jsonb_array_elements_text((CAST(s.\"doc\" AS jsonb) #> ARRAY['a', 'users']::text[])) " +
            "WITH ORDINALITY AS e(v, o) JOIN pg_temp.map m ON m.o0 = CAST(e.v AS bigint)), '[]'::jsonb)) AS text) " +
            "WHERE s.\"doc\" IS NOT NULL AND jsonb_typeof((CAST(s.\"doc\" AS jsonb) #> ARRAY['a', 'users']::text[])) = 'array'",
            _dialect.RewriteReferences("pg_temp.st", "doc", Json("$.a.users[*]"), ArrayForm.Json, "bigint", target, "pg_temp.map"));
    }

    [Fact]
    public void Rewrites_into_the_target_columns_form_array_or_json()
    {
        var array = new Column("ids", "bigint[]", FerryType.Text, true);
        var text = new Column("ids", "text", FerryType.Text, true);
        Assert.Contains("array_agg(m.n0 ORDER BY e.o)", _dialect.RewriteReferences("st", "ids", Array, ArrayForm.Json, "bigint", array, "map"), StringComparison.Ordinal);
        Assert.Contains("jsonb_agg(m.n0 ORDER BY e.o)", _dialect.RewriteReferences("st", "ids", Array, ArrayForm.Sql, "bigint", text, "map"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_array_form_comes_from_the_column_type_of_this_engine_only()
    {
        Assert.Equal(ArrayForm.Sql, _dialect.FormOf(new Column("ids", "bigint[]", FerryType.Text, true)));
        Assert.Equal(ArrayForm.Json, _dialect.FormOf(new Column("ids", "jsonb", FerryType.Json, true)));
    }
}
