using Ferry.Archive;
using Ferry.Import;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Postgres.Tests;

/// <summary>Pins the statements that apply a profile's transforms to the staged rows, as PostgreSQL receives them.</summary>
public sealed class PostgresTransformSqlTests
{
    private static readonly Manifest Archive = new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:x"), new ManifestRoot("users", ["1"]),
        [new ManifestTable("users", "root",
            [new("id", FerryType.Int, "INTEGER", false), new("name", FerryType.Text, "TEXT", false), new("is_superuser", FerryType.Bool, "BOOLEAN", false),
             new("role", FerryType.Text, "TEXT", false)],
            ["id"], [], [])],
        [], [], []);

    private static readonly DatabaseSchema Target = new([new Table("users",
        [new Column("id", "bigint", FerryType.Int, false, IsAutoIncrement: true), new Column("full_name", "text", FerryType.Text, false),
         new Column("is_superuser", "boolean", FerryType.Bool, false), new Column("role", "text", FerryType.Text, false),
         new Column("created_at", "timestamp without time zone", FerryType.Timestamp, false)],
        ["id"], [new UniqueKey("pk_users", ["id"], true)], [])]);

    private static readonly Profile Profile = ProfileLoader.Parse("""
        transforms:
          - {rename_column: users.name, to: full_name}
          - {set: users.is_superuser, value: false}
          - {map: users.role, values: {admin: organizer, "it's": null}}
          - {fill: users.created_at, sql: "now()"}
          - {sql: "UPDATE {users} SET full_name = trim(full_name)"}
        """, "app.yaml");

    private static readonly TransformPlan Plan = TransformPlan.Build(Archive, Profile, Target);

    private static readonly IReadOnlyList<TableMerge> Merges = MergePlan.Build(Plan, Target, []);

    private static string Sql(int update) => new MergeSql(new PostgresDialect("public")).Transform(Plan.Updates[update], Merges).Aggregate((a, b) => a + ";\n" + b);

    [Fact]
    public void The_staging_table_holds_the_renamed_and_the_filled_columns()
    {
        Assert.Equal("CREATE TEMP TABLE \"ferry_stage_1\" (\"id\" bigint, \"full_name\" text, \"is_superuser\" boolean, \"role\" text, \"created_at\" text, " +
                     "PRIMARY KEY (\"id\")) ON COMMIT DROP",
            new MergeSql(new PostgresDialect("public")).CreateStage(Merges[0]));
    }

    [Fact]
    public void A_boolean_constant_is_a_boolean()
    {
        Assert.Equal("UPDATE \"pg_temp\".\"ferry_stage_1\" SET \"is_superuser\" = (1 = 0)", Sql(0));
    }

    [Fact]
    public void Mapped_values_are_compared_as_text_and_a_null_is_typed()
    {
        Assert.Equal(
            "UPDATE \"pg_temp\".\"ferry_stage_1\" SET \"role\" = CASE CAST(\"role\" AS TEXT) WHEN 'admin' THEN 'organizer' WHEN 'it''s' THEN CAST(NULL AS text) END " +
            "WHERE CAST(\"role\" AS TEXT) IN ('admin', 'it''s')",
            Sql(1));
    }

    [Fact]
    public void A_fill_sees_the_row_in_the_target_types_and_pairs_rows_by_ctid()
    {
        Assert.Equal(
            "CREATE TEMP TABLE \"ferry_fill_1\" (\"ferry_row\" tid, \"v\" text) ON COMMIT DROP;\n" +
            "INSERT INTO \"pg_temp\".\"ferry_fill_1\" (ferry_row, v) SELECT x.ferry_row, (now()) FROM " +
            "(SELECT s2.ctid AS ferry_row, s2.\"id\" AS \"id\", s2.\"full_name\" AS \"full_name\", s2.\"is_superuser\" AS \"is_superuser\", s2.\"role\" AS \"role\", " +
            "CAST(s2.\"created_at\" AS timestamp without time zone) AS \"created_at\" FROM \"pg_temp\".\"ferry_stage_1\" s2) AS x;\n" +
            "UPDATE \"pg_temp\".\"ferry_stage_1\" AS s SET \"created_at\" = r.v FROM (SELECT ferry_row, v FROM \"pg_temp\".\"ferry_fill_1\") AS r WHERE s.ctid = r.ferry_row;\n" +
            "DROP TABLE \"pg_temp\".\"ferry_fill_1\"",
            Sql(2));
    }

    [Fact]
    public void A_statement_names_the_staging_table_for_its_placeholder()
    {
        Assert.Equal("UPDATE \"pg_temp\".\"ferry_stage_1\" SET full_name = trim(full_name)", Sql(3));
    }
}
