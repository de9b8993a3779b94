using Ferry.Archive;
using Ferry.Export;
using Ferry.Import;
using Ferry.Planning;
using Ferry.Schema;
using Ferry.Sqlite;

namespace Ferry.Sqlite.Tests;

/// <summary>Pins the SQL of file columns: the paths an export reads, the rewrite of staged paths on import.</summary>
public sealed class FileSqlTests
{
    private static readonly Table Places = new("places",
        [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("photo", "TEXT", FerryType.Text, true)],
        ["id"], [new UniqueKey("pk_places", ["id"], true)], []);

    [Fact]
    public void Export_reads_each_distinct_path_of_the_scoped_rows_once_in_order()
    {
        var plan = Planner.Build(new PlanRequest(new DatabaseSchema([Places]), "places", [], []));

        Assert.Equal(
            "SELECT DISTINCT x.\"photo\" FROM \"temp\".\"ferry_scope_1\" s CROSS JOIN \"main\".\"places\" x ON s.\"id\" = x.\"id\" " +
            "WHERE x.\"photo\" IS NOT NULL ORDER BY 1",
            new ScopeSql(new SqliteDialect(), plan).SelectFilePaths(Places, Places.GetColumn("photo")));
    }

    [Fact]
    public void Import_rewrites_the_staged_paths_that_the_file_map_lists()
    {
        var archive = new ManifestTable("places", "root",
            [new ManifestColumn("id", FerryType.Int, "INTEGER", false), new ManifestColumn("photo", FerryType.Text, "TEXT", true)], ["id"], [], []);
        var merge = new TableMerge { Index = 2, Archive = archive, Target = Places };
        var sql = new MergeSql(new SqliteDialect());

        Assert.Equal(
            "UPDATE \"temp\".\"ferry_stage_2\" AS s SET \"photo\" = (SELECT f.new_path FROM \"temp\".\"ferry_files\" f " +
            "WHERE f.tbl = 'places' AND f.col = 'photo' AND f.old_path = s.\"photo\") " +
            "WHERE EXISTS (SELECT 1 FROM \"temp\".\"ferry_files\" f WHERE f.tbl = 'places' AND f.col = 'photo' AND f.old_path = s.\"photo\")",
            sql.RewriteFilePaths(merge, "photo"));
    }
}
