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
        Importer.DeferSelfReferences([merge], new MergeSql(new MariaDbDialect("app")), @unchecked: false);
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
    public void A_not_null_reference_to_its_own_rows_is_written_with_the_provisional_id_unchecked_then_set_and_checked()
    {
        var notes = Notes with { Columns = [Notes.Columns[0], Notes.Columns[1] with { Nullable = false }, Notes.Columns[2]],
            ForeignKeys = [Notes.ForeignKeys[0] with { Nullable = false }] };
        var merge = MergePlan.Build(Archive, new DatabaseSchema([notes]), [])[0];

        Assert.Throws<FerryException>(() => Importer.DeferSelfReferences([merge], Sql, @unchecked: false));
        Importer.DeferSelfReferences([merge], Sql, @unchecked: true);

        Assert.Empty(merge.Deferred);
        Assert.Equal(["parent_id"], merge.Refreshed);
        Assert.Equal("notes_parent", Assert.Single(merge.UncheckedKeys).Name);
        // Written with the map's id (provisional until the insert draws), then set from the map, then checked.
        Assert.StartsWith("INSERT INTO `app`.`notes` (`id`, `parent_id`, `title`) SELECT NULL AS `id`, m1.n0 AS `parent_id`, ", Sql.InsertDrawing(merge, 0), StringComparison.Ordinal);
        Assert.StartsWith("UPDATE `app`.`notes` AS u JOIN (SELECT m0.n0 AS k0, m1.n0 AS d0 FROM ", Sql.UpdateDeferred(merge), StringComparison.Ordinal);
        Assert.Equal("SELECT CAST(c.`parent_id` AS CHAR) FROM `ferry_map_1` m JOIN `app`.`notes` c ON c.`id` = m.n0 LEFT JOIN `app`.`notes` p ON p.`id` = c.`parent_id` " +
                     "WHERE m.matched = 0 AND c.`parent_id` IS NOT NULL AND p.`id` IS NULL LIMIT 1", Sql.DanglingKey(merge, merge.UncheckedKeys[0]));
        Assert.Equal(("SET foreign_key_checks = 0", "SET foreign_key_checks = 1"), new MariaDbDialect("app").ForeignKeyChecks);
    }

    [Fact]
    public void A_nullable_reference_to_its_own_rows_is_written_with_the_provisional_id_unchecked_and_set_again_only_if_other_ids_were_drawn()
    {
        var merge = MergePlan.Build(Archive, new DatabaseSchema([Notes]), [])[0];

        Importer.DeferSelfReferences([merge], Sql, @unchecked: true);

        Assert.Empty(merge.Deferred);
        Assert.Equal(["parent_id"], merge.Refreshed);
        Assert.Equal("notes_parent", Assert.Single(merge.UncheckedKeys).Name);
        Assert.StartsWith("INSERT INTO `app`.`notes` (`id`, `parent_id`, `title`) SELECT NULL AS `id`, m1.n0 AS `parent_id`, ", Sql.InsertDrawing(merge, 0), StringComparison.Ordinal);
        Assert.Equal("SELECT MIN(n0), MAX(n0), COUNT(*) FROM `ferry_map_1` WHERE matched = 0", Sql.ProvisionalRange(merge, 0));
        Assert.Equal(["parent_id"], MergeSql.DeferredColumns(merge));
        merge.DrawnAsProvisional = true;
        Assert.Empty(MergeSql.DeferredColumns(merge));
    }

    [Theory]
    [InlineData(101, 3, 101, 103, 3, true)]
    [InlineData(102, 3, 101, 103, 3, false)] // another session drew 101 first
    [InlineData(101, 2, 101, 103, 3, false)] // a row of the map was not written
    [InlineData(101, 3, 101, 104, 3, false)] // the provisional ids are not one block
    [InlineData(0, 0, 0, 0, 0, false)]
    public void The_drawn_ids_are_the_provisional_ones_only_when_the_whole_block_was_drawn_where_predicted(long first, long inserted, long min, long max, long count, bool same) =>
        Assert.Equal(same, Importer.DrewProvisional(first, inserted, min, max, count));

    // Kopano's tables, no foreign key declared, every reference a profile relation (kind "column").
    private static readonly Table Users = new("users",
        [new Column("id", "int(11) unsigned", FerryType.Int, false, IsAutoIncrement: true), new Column("externid", "varchar(255) COLLATE utf8mb4_general_ci", FerryType.Text, false)],
        ["id"], [new UniqueKey("PRIMARY", ["id"], true)], []);

    private static readonly Table Hierarchy = new("hierarchy",
        [new Column("id", "int(11) unsigned", FerryType.Int, false, IsAutoIncrement: true), new Column("parent", "int(11) unsigned", FerryType.Int, true),
         new Column("owner", "int(11) unsigned", FerryType.Int, false)],
        ["id"], [new UniqueKey("PRIMARY", ["id"], true)], []);

    private static readonly Table Stores = new("stores",
        [new Column("id", "int(11) unsigned", FerryType.Int, false, IsAutoIncrement: true), new Column("hierarchy_id", "int(11) unsigned", FerryType.Int, false),
         new Column("user_id", "int(11) unsigned", FerryType.Int, false)],
        ["hierarchy_id", "id"], [new UniqueKey("PRIMARY", ["hierarchy_id", "id"], true), new UniqueKey("id", ["id"], false)], []);

    private static ManifestForeignKey Relation(string table, string column, string to, bool nullable = false) =>
        new($"{table}.{column}", table, [column], to, ["id"], nullable, new ManifestReference("column"));

    private static ManifestTable Describe(Table t, params ManifestForeignKey[] relations) => new(t.Name, "owned",
        t.Columns.Select(c => new ManifestColumn(c.Name, c.Type, c.SqlType, c.Nullable)).ToList(), t.PrimaryKey, relations, t.Uniques);

    private static Manifest Kopano(params ManifestTable[] tables) => new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("mariadb", "mysql://x/y"),
        new ManifestRoot("stores", ["1"]), tables, [], [], []);

    private static readonly Manifest KopanoArchive = Kopano(
        Describe(Hierarchy, Relation("hierarchy", "parent", "hierarchy", nullable: true), Relation("hierarchy", "owner", "users")),
        Describe(Stores, Relation("stores", "hierarchy_id", "hierarchy"), Relation("stores", "user_id", "users")),
        Describe(Users));

    [Fact]
    public void Relations_into_a_table_whose_ids_the_insert_draws_order_the_writes_like_foreign_keys()
    {
        var target = new DatabaseSchema([Hierarchy, Stores, Users]);

        var drawing = MergePlan.Build(KopanoArchive, target, [], drawnKey: Sql.DrawnKey);
        var explicitIds = MergePlan.Build(KopanoArchive, target, [], drawnKey: new MergeSql(new PostgresDialect("public")).DrawnKey);

        // The users first (the tree's owner and the store's user are drawn ids), then the tree, then the store that points at its root.
        Assert.Equal(["users", "hierarchy", "stores"], drawing.OrderBy(m => m.WritePosition).Select(m => m.Target.Name));
        Assert.Empty(drawing.SelectMany(m => m.Deferred));
        // Where every new id is known before the first row is written, a relation orders nothing (ties by name).
        Assert.Equal(["hierarchy", "stores", "users"], explicitIds.OrderBy(m => m.WritePosition).Select(m => m.Target.Name));
        Assert.True(Sql.DrawsOnInsert(drawing[1], "id"));
        Assert.True(Sql.DrawsOnInsert(drawing[1], "hierarchy_id"));
        Assert.True(Sql.DrawsOnInsert(drawing[0], "owner"));
        Assert.True(Sql.DrawsOnInsert(drawing[0], "parent"));
        Assert.False(Sql.DrawsOnInsert(drawing[2], "externid"));
    }

    [Fact]
    public void A_key_map_holding_a_drawn_reference_in_its_key_takes_the_drawn_ids()
    {
        var merges = MergePlan.Build(KopanoArchive, new DatabaseSchema([Hierarchy, Stores, Users]), [], drawnKey: Sql.DrawnKey);

        // stores (hierarchy_id, id): its map copied the tree root's provisional id when it was built.
        Assert.Equal(
            ["UPDATE `ferry_map_2` AS m JOIN (SELECT s.`hierarchy_id` AS k0, s.`id` AS k1, p.n0 AS v FROM `ferry_stage_2` s JOIN `ferry_map_1` p ON p.o0 = s.`hierarchy_id`) AS r " +
             "ON m.o0 = r.k0 AND m.o1 = r.k1 AND m.matched = 0 SET m.`n0` = r.v"],
            Sql.FollowDrawn(merges, merges[0], 0));
        Assert.Empty(Sql.FollowDrawn(merges, merges[2], 0));
    }

    [Fact]
    public void A_cycle_of_relations_into_drawn_keys_is_broken_on_a_nullable_one_else_written_provisional_and_set()
    {
        var a = new Table("a", [new Column("id", "int", FerryType.Int, false, IsAutoIncrement: true), new Column("b_id", "int", FerryType.Int, true)],
            ["id"], [new UniqueKey("PRIMARY", ["id"], true)], []);
        var b = new Table("b", [new Column("id", "int", FerryType.Int, false, IsAutoIncrement: true), new Column("a_id", "int", FerryType.Int, false)],
            ["id"], [new UniqueKey("PRIMARY", ["id"], true)], []);

        var merges = MergePlan.Build(Kopano(Describe(a, Relation("a", "b_id", "b", nullable: true)), Describe(b, Relation("b", "a_id", "a"))),
            new DatabaseSchema([a, b]), [], drawnKey: Sql.DrawnKey);

        Assert.Equal(["b_id"], merges[0].Deferred);
        Assert.Equal(["a", "b"], merges.OrderBy(m => m.WritePosition).Select(m => m.Target.Name));
        var notNull = a with { Columns = [a.Columns[0], a.Columns[1] with { Nullable = false }] };
        // Both NOT NULL: a.b_id is written with b's provisional id and set from b's map once b's ids are drawn; no
        // constraint checks a relation, so nothing is written unchecked.
        merges = MergePlan.Build(
            Kopano(Describe(notNull, Relation("a", "b_id", "b")), Describe(b, Relation("b", "a_id", "a"))), new DatabaseSchema([notNull, b]), [], drawnKey: Sql.DrawnKey);
        Assert.Equal(["b_id"], merges[0].Refreshed);
        Assert.Empty(merges[0].Deferred);
        Assert.Empty(merges.SelectMany(m => m.UncheckedKeys));
        Assert.Equal(["a", "b"], merges.OrderBy(m => m.WritePosition).Select(m => m.Target.Name));
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
