using Ferry.Archive;
using Ferry.Import;
using Ferry.Postgres;
using Ferry.Schema;
using Ferry.Testing;
using MySqlConnector;

namespace Ferry.MariaDb.Tests;

/// <summary>
/// Ids drawn by the insert (MariaDB's AUTO_INCREMENT): the statements the core builds with the MariaDB dialect, pinned,
/// and what makes them right with an application writing at the same time, on a real server.
/// </summary>
public sealed class MariaDbDrawnSqlTests
{
    private static readonly Table Notes = new("notes",
        [new Column("id", "bigint(20) unsigned", FerryType.Int, false, IsAutoIncrement: true),
         new Column("parent_id", "bigint(20) unsigned", FerryType.Int, true),
         new Column("title", "varchar(100) COLLATE utf8mb4_general_ci", FerryType.Text, false)],
        ["id"], [new UniqueKey("PRIMARY", ["id"], true)], [new ForeignKey("notes_parent", "notes", ["parent_id"], "notes", ["id"], true)]);

    private static readonly Manifest Archive = new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:x"),
        new ManifestRoot("notes", ["1"]),
        [new ManifestTable("notes", "root",
            [new("id", FerryType.Int, "integer", false), new("parent_id", FerryType.Int, "integer", true), new("title", FerryType.Text, "text", false)],
            ["id"], [new ManifestForeignKey("notes_parent", "notes", ["parent_id"], "notes", ["id"], true)], [])],
        [], [], []);

    private static readonly TableMerge Merge = Deferred(MergePlan.Build(Archive, new DatabaseSchema([Notes]), [])[0]);

    // The importer's first step for a table whose key the insert draws: its self-reference is written NULL, then set.
    private static TableMerge Deferred(TableMerge merge)
    {
        Importer.DeferSelfReferences([merge], new MergeSql(new MariaDbDialect("app")));
        Assert.Equal(["parent_id"], merge.Deferred);
        return merge;
    }

    private static readonly MergeSql Sql = new(new MariaDbDialect("app"));

    [Fact]
    public void The_rows_are_ranked_then_inserted_with_the_key_left_to_AUTO_INCREMENT_in_the_same_order()
    {
        Assert.Equal(0, Sql.DrawnKey(Merge));
        Assert.Equal("INSERT INTO `ferry_drawn_1` (o0, r) SELECT m0.o0, ROW_NUMBER() OVER (ORDER BY m0.n0) " +
                     "FROM `ferry_stage_1` s JOIN `ferry_map_1` m0 ON m0.o0 = s.`id` LEFT JOIN `ferry_map_1` m1 ON m1.o0 = s.`parent_id` WHERE m0.matched = 0",
            Sql.FillDrawn(Merge, 0));
        Assert.Equal("INSERT INTO `app`.`notes` (`id`, `parent_id`, `title`) SELECT NULL AS `id`, NULL AS `parent_id`, s.`title` COLLATE utf8mb4_general_ci AS `title` " +
                     "FROM `ferry_stage_1` s JOIN `ferry_map_1` m0 ON m0.o0 = s.`id` LEFT JOIN `ferry_map_1` m1 ON m1.o0 = s.`parent_id` WHERE m0.matched = 0 ORDER BY m0.n0",
            Sql.InsertDrawing(Merge, 0));
        Assert.Equal("UPDATE `ferry_map_1` AS m JOIN (SELECT * FROM `ferry_drawn_1`) AS d ON m.o0 = d.o0 SET m.`n0` = @first + d.r - 1", Sql.TakeDrawn(Merge, 0));
        Assert.Equal("SELECT COUNT(*) FROM `app`.`notes` WHERE `id` BETWEEN @first AND @last", Sql.CountDrawnRange(Merge, 0));
        // The self-reference is written NULL first and set once every row exists, from the map that holds the drawn ids.
        Assert.StartsWith("UPDATE `app`.`notes` AS u JOIN (SELECT m0.n0 AS k0, m1.n0 AS d0 FROM ", Sql.UpdateDeferred(Merge), StringComparison.Ordinal);
    }

    [Fact]
    public void Engines_that_write_ids_themselves_draw_nothing_on_insert()
    {
        Assert.Null(new MergeSql(new PostgresDialect("public")).DrawnKey(Merge));
        Assert.Null(new MergeSql(new Sqlite.SqliteDialect()).DrawnKey(Merge));
    }

    /// <summary>
    /// The reason for drawing on insert: an application inserting while the import's transaction is open gets an id
    /// from the same counter, past the block the import drew, and neither insert waits for or collides with the other.
    /// </summary>
    [Fact]
    public async Task An_application_inserting_during_the_import_gets_an_id_past_the_drawn_block()
    {
        await using var db = await TestMariaDb.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE notes (id bigint unsigned AUTO_INCREMENT PRIMARY KEY, title varchar(100) NOT NULL) ENGINE=InnoDB; " +
                              "CREATE TABLE incoming (n int PRIMARY KEY, title varchar(100)) ENGINE=InnoDB; " +
                              "INSERT INTO notes (title) VALUES ('existing'); INSERT INTO incoming VALUES (1, 'a'), (2, 'b'), (3, 'c');");
        await using var import = await db.OpenAsync();
        await using var transaction = await import.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted);
        await using (var insert = new MySqlCommand("INSERT INTO notes (id, title) SELECT NULL, title FROM incoming ORDER BY n", import, transaction))
        {
            Assert.Equal(3, await insert.ExecuteNonQueryAsync());
        }
        await using (var first = new MySqlCommand("SELECT LAST_INSERT_ID()", import, transaction))
        {
            Assert.Equal(2UL, Convert.ToUInt64(await first.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        await db.ExecuteAsync("INSERT INTO notes (title) VALUES ('by the app')");
        await transaction.CommitAsync();

        Assert.Equal(["1 existing", "2 a", "3 b", "4 c", "5 by the app"],
            (await db.QueryAsync("SELECT CONCAT(id, ' ', title) FROM notes ORDER BY id")).Select(r => r[0]));
    }
}
