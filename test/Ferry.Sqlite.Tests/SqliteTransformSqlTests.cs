using Ferry.Archive;
using Ferry.Import;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Sqlite.Tests;

/// <summary>Pins the statements that apply a profile's transforms to the staged rows, as SQLite receives them.</summary>
public sealed class SqliteTransformSqlTests
{
    private static readonly Manifest Archive = new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:x"), new ManifestRoot("users", ["1"]),
        [new ManifestTable("users", "root",
            [new("id", FerryType.Int, "INTEGER", false), new("name", FerryType.Text, "TEXT", false), new("is_superuser", FerryType.Bool, "BOOLEAN", false),
             new("role", FerryType.Text, "TEXT", false)],
            ["id"], [], [])],
        [], [], []);

    private static readonly DatabaseSchema Target = new([new Table("users",
        [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("full_name", "TEXT", FerryType.Text, false),
         new Column("is_superuser", "BOOLEAN", FerryType.Bool, false), new Column("role", "TEXT", FerryType.Text, false),
         new Column("created_at", "TIMESTAMP", FerryType.Timestamp, false)],
        ["id"], [new UniqueKey("pk_users", ["id"], true)], [])]);

    private static readonly Profile Profile = ProfileLoader.Parse("""
        transforms:
          - {rename_column: users.name, to: full_name}
          - {set: users.is_superuser, value: false}
          - {map: users.role, values: {admin: organizer, "it's": null}}
          - {fill: users.created_at, sql: "datetime('now')"}
          - {sql: "UPDATE {users} SET full_name = trim(full_name)"}
        """, "app.yaml");

    private static readonly TransformPlan Plan = TransformPlan.Build(Archive, Profile, Target);

    private static readonly IReadOnlyList<TableMerge> Merges = MergePlan.Build(Plan, Target, []);

    private static string Sql(int update) => new MergeSql(new SqliteDialect()).Transform(Plan.Updates[update], Merges).Aggregate((a, b) => a + ";\n" + b);

    [Fact]
    public void The_staging_table_holds_the_renamed_and_the_filled_columns()
    {
        Assert.Equal("CREATE TEMP TABLE \"ferry_stage_1\" (\"id\" INTEGER, \"full_name\" BLOB, \"is_superuser\" INTEGER, \"role\" BLOB, \"created_at\" BLOB, PRIMARY KEY (\"id\"))",
            new MergeSql(new SqliteDialect()).CreateStage(Merges[0]));
    }

    [Fact]
    public void A_boolean_constant_is_stored_as_0_or_1()
    {
        Assert.Equal("UPDATE \"temp\".\"ferry_stage_1\" SET \"is_superuser\" = (1 = 0)", Sql(0));
    }

    [Fact]
    public void Mapped_values_are_compared_as_text_and_literals_escaped()
    {
        Assert.Equal(
            "UPDATE \"temp\".\"ferry_stage_1\" SET \"role\" = CASE CAST(\"role\" AS TEXT) WHEN 'admin' THEN 'organizer' WHEN 'it''s' THEN CAST(NULL AS BLOB) END " +
            "WHERE CAST(\"role\" AS TEXT) IN ('admin', 'it''s')",
            Sql(1));
    }

    [Fact]
    public void A_fill_evaluates_its_expression_over_the_row_by_rowid()
    {
        Assert.Equal(
            "CREATE TEMP TABLE \"ferry_fill_1\" (\"ferry_row\" INTEGER, \"v\" BLOB);\n" +
            "INSERT INTO \"temp\".\"ferry_fill_1\" (ferry_row, v) SELECT x.ferry_row, (datetime('now')) FROM " +
            "(SELECT s2.rowid AS ferry_row, s2.\"id\" AS \"id\", s2.\"full_name\" AS \"full_name\", s2.\"is_superuser\" AS \"is_superuser\", s2.\"role\" AS \"role\", " +
            "s2.\"created_at\" AS \"created_at\" FROM \"temp\".\"ferry_stage_1\" s2) AS x;\n" +
            "UPDATE \"temp\".\"ferry_stage_1\" AS s SET \"created_at\" = r.v FROM (SELECT ferry_row, v FROM \"temp\".\"ferry_fill_1\") AS r WHERE s.rowid = r.ferry_row;\n" +
            "DROP TABLE \"temp\".\"ferry_fill_1\"",
            Sql(2));
    }

    [Fact]
    public void A_statement_names_the_staging_table_for_its_placeholder()
    {
        Assert.Equal("UPDATE \"temp\".\"ferry_stage_1\" SET full_name = trim(full_name)", Sql(3));
    }
}
