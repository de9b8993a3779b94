using Ferry.Archive;
using Ferry.Export;
using Ferry.Import;
using Ferry.Planning;
using Ferry.Schema;
using Ferry.Sqlite;

namespace Ferry.Sqlite.Tests;

/// <summary>Pins the scope and merge SQL that the core builds, as SQLite receives it.</summary>
public sealed class CoreSqlTests
{
    private static readonly Table Groups = new("groups",
        [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("slug", "TEXT", FerryType.Text, false)],
        ["id"], [new UniqueKey("pk_groups", ["id"], true)], []);

    private static readonly Table Users = new("users",
        [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("current_group_id", "INTEGER", FerryType.Int, true)],
        ["id"], [new UniqueKey("pk_users", ["id"], true)],
        [new ForeignKey("fk_users_0", "users", ["current_group_id"], "groups", ["id"], true)]);

    private static readonly Table Memberships = new("memberships",
        [new Column("group_id", "INTEGER", FerryType.Int, false), new Column("user_id", "INTEGER", FerryType.Int, false)],
        ["group_id", "user_id"], [new UniqueKey("pk_memberships", ["group_id", "user_id"], true)],
        [new ForeignKey("fk_memberships_0", "memberships", ["group_id"], "groups", ["id"], false),
         new ForeignKey("fk_memberships_1", "memberships", ["user_id"], "users", ["id"], false)]);

    private static readonly DatabaseSchema Schema = new([Groups, Users, Memberships]);

    private static readonly ExportPlan Plan = Planner.Build(new PlanRequest(Schema, "groups", [], []));

    private readonly ScopeSql _scope = new(new SqliteDialect(), Plan);

    // The same key tables carrying nothing beyond their keys (as a follow trial's): rows are read through the table.
    private readonly ScopeSql _bare = new(new SqliteDialect(), Plan.Tables.Select((t, i) => (t.Name, $"ferry_scope_{i + 1}")));

    [Fact]
    public void Plan_orders_groups_users_memberships()
    {
        Assert.Equal(["groups", "users", "memberships"], Plan.Tables.Select(t => t.Name));
    }

    [Fact]
    public void Root_rows_selected_by_another_unique_column_fill_the_key_table_with_their_primary_key()
    {
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_1\" (\"id\") SELECT t.\"id\" FROM \"main\".\"groups\" t WHERE t.\"slug\" IN (@id0, @id1)",
            _scope.InsertRoots(Groups, "slug", 2));
        Assert.Equal(
            "SELECT CAST(t.\"slug\" AS TEXT) FROM \"temp\".\"ferry_scope_1\" k JOIN \"main\".\"groups\" t ON k.\"id\" = t.\"id\"",
            _scope.FoundRoots(Groups, "slug"));
        Assert.Equal("SELECT CAST(\"id\" AS TEXT) FROM \"temp\".\"ferry_scope_1\"", _scope.FoundRoots(Groups, "id"));
    }

    [Fact]
    public void Owned_rows_are_pulled_from_the_parent_key_table_through_the_child_index()
    {
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_3\" (\"group_id\", \"user_id\") SELECT c.\"group_id\", c.\"user_id\" " +
            "FROM \"temp\".\"ferry_scope_1\" s CROSS JOIN \"main\".\"memberships\" c ON c.\"group_id\" = s.\"id\" " +
            "WHERE NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_3\" x WHERE x.\"group_id\" = c.\"group_id\" AND x.\"user_id\" = c.\"user_id\")",
            _scope.PullChildren(Memberships.ForeignKeys[0], Memberships, Groups));
    }

    [Fact]
    public void Cuts_of_every_foreign_key_are_counted_in_one_pass_joining_each_key_table()
    {
        Assert.Equal(
            "SELECT COALESCE(SUM(CASE WHEN ((x.\"current_group_id\" IS NULL) OR j0.k0 IS NOT NULL) THEN 0 ELSE 1 END), 0) " +
            "FROM \"temp\".\"ferry_scope_2\" s CROSS JOIN \"main\".\"users\" x ON s.\"id\" = x.\"id\" " +
            "LEFT JOIN (SELECT y0.\"id\" AS k0 FROM \"temp\".\"ferry_scope_1\" y0) j0 ON j0.k0 = x.\"current_group_id\"",
            _bare.CountCuts(Users, [(Users.ForeignKeys[0], Groups)]));
    }

    [Fact]
    public void A_key_table_carries_every_foreign_key_so_that_cuts_are_counted_without_reading_the_rows()
    {
        Assert.Equal("CREATE TEMP TABLE \"ferry_scope_2\" (\"id\" INTEGER, \"current_group_id\" INTEGER, PRIMARY KEY (\"id\"))", _scope.CreateKeyTable(Users));
        Assert.Equal(
            "SELECT COALESCE(SUM(CASE WHEN ((s.\"current_group_id\" IS NULL) OR j0.k0 IS NOT NULL) THEN 0 ELSE 1 END), 0) " +
            "FROM \"temp\".\"ferry_scope_2\" s " +
            "LEFT JOIN (SELECT y0.\"id\" AS k0 FROM \"temp\".\"ferry_scope_1\" y0) j0 ON j0.k0 = s.\"current_group_id\"",
            _scope.CountCuts(Users, [(Users.ForeignKeys[0], Groups)]));
    }

    [Fact]
    public void Cuts_of_foreign_keys_the_key_table_holds_are_counted_from_it_alone()
    {
        Assert.Equal(
            "SELECT COALESCE(SUM(CASE WHEN ((s.\"group_id\" IS NULL) OR j0.k0 IS NOT NULL) THEN 0 ELSE 1 END), 0), " +
            "COALESCE(SUM(CASE WHEN ((s.\"user_id\" IS NULL) OR j1.k0 IS NOT NULL) THEN 0 ELSE 1 END), 0) " +
            "FROM \"temp\".\"ferry_scope_3\" s " +
            "LEFT JOIN (SELECT y0.\"id\" AS k0 FROM \"temp\".\"ferry_scope_1\" y0) j0 ON j0.k0 = s.\"group_id\" " +
            "LEFT JOIN (SELECT y1.\"id\" AS k0 FROM \"temp\".\"ferry_scope_2\" y1) j1 ON j1.k0 = s.\"user_id\"",
            _scope.CountCuts(Memberships, [(Memberships.ForeignKeys[0], Groups), (Memberships.ForeignKeys[1], Users)]));
    }

    [Fact]
    public void Referenced_rows_are_pulled_once_each_through_the_scoped_rows()
    {
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_1\" (\"id\") SELECT r.\"id\" FROM (SELECT DISTINCT x.\"current_group_id\" AS k0 " +
            "FROM \"temp\".\"ferry_scope_2\" s CROSS JOIN \"main\".\"users\" x ON s.\"id\" = x.\"id\" " +
            "WHERE x.\"current_group_id\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_1\" y WHERE y.\"id\" = x.\"current_group_id\")) k " +
            "CROSS JOIN \"main\".\"groups\" r ON r.\"id\" = k.k0",
            _bare.PullReferenced(Users.ForeignKeys[0], Users, Groups));
    }

    [Fact]
    public void Referenced_rows_whose_key_the_key_table_holds_are_pulled_from_it_without_reading_the_scoped_rows()
    {
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_2\" (\"id\", \"current_group_id\") SELECT r.\"id\", r.\"current_group_id\" FROM (SELECT DISTINCT s.\"user_id\" AS k0 " +
            "FROM \"temp\".\"ferry_scope_3\" s WHERE s.\"user_id\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_2\" y WHERE y.\"id\" = s.\"user_id\")) k " +
            "CROSS JOIN \"main\".\"users\" r ON r.\"id\" = k.k0",
            _scope.PullReferenced(Memberships.ForeignKeys[1], Memberships, Users));
    }

    [Fact]
    public void A_key_table_carries_the_columns_its_referenced_edges_read_and_the_referenced_rows_are_pulled_from_it()
    {
        var posts = new Table("posts",
            [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("group_id", "INTEGER", FerryType.Int, false),
             new Column("body", "TEXT", FerryType.Text, true), new Column("author_id", "INTEGER", FerryType.Int, true)],
            ["id"], [new UniqueKey("pk_posts", ["id"], true)],
            [new ForeignKey("fk_posts_0", "posts", ["group_id"], "groups", ["id"], false),
             new ForeignKey("fk_posts_1", "posts", ["author_id"], "users", ["id"], true)]);
        var authors = new Table("users", [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true)], ["id"],
            [new UniqueKey("pk_users", ["id"], true)], []);
        var plan = Planner.Build(new PlanRequest(new DatabaseSchema([Groups, authors, posts]), "groups", [], []));
        var scope = new ScopeSql(new SqliteDialect(), plan);
        Assert.Equal(["groups", "users", "posts"], plan.Tables.Select(t => t.Name));

        Assert.Equal("CREATE TEMP TABLE \"ferry_scope_3\" (\"id\" INTEGER, \"group_id\" INTEGER, \"author_id\" INTEGER, PRIMARY KEY (\"id\"))", scope.CreateKeyTable(posts));
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_3\" (\"id\", \"group_id\", \"author_id\") SELECT c.\"id\", c.\"group_id\", c.\"author_id\" " +
            "FROM \"temp\".\"ferry_scope_1\" s CROSS JOIN \"main\".\"posts\" c ON c.\"group_id\" = s.\"id\" " +
            "WHERE NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_3\" x WHERE x.\"id\" = c.\"id\")",
            scope.PullChildren(posts.ForeignKeys[0], posts, Groups));
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_2\" (\"id\") SELECT r.\"id\" FROM (SELECT DISTINCT s.\"author_id\" AS k0 " +
            "FROM \"temp\".\"ferry_scope_3\" s WHERE s.\"author_id\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_2\" y WHERE y.\"id\" = s.\"author_id\")) k " +
            "CROSS JOIN \"main\".\"users\" r ON r.\"id\" = k.k0",
            scope.PullReferenced(posts.ForeignKeys[1], posts, authors));
        // The export query still reads every column from the table's rows.
        Assert.StartsWith("SELECT x.\"id\", x.\"group_id\", x.\"body\", x.\"author_id\" FROM \"temp\".\"ferry_scope_3\" s", scope.Select(posts, new Dictionary<string, string>()));
    }

    [Fact]
    public void A_carried_text_key_is_read_from_the_key_table_in_the_join()
    {
        var countries = new Table("countries", [new Column("code", "TEXT", FerryType.Text, false)], ["code"], [new UniqueKey("pk_countries", ["code"], true)], []);
        var places = new Table("places",
            [new Column("id", "INTEGER", FerryType.Int, false), new Column("group_id", "INTEGER", FerryType.Int, false), new Column("country", "TEXT COLLATE NOCASE", FerryType.Text, true)],
            ["id"], [new UniqueKey("pk_places", ["id"], true)],
            [new ForeignKey("fk_places_0", "places", ["group_id"], "groups", ["id"], false),
             new ForeignKey("fk_places_1", "places", ["country"], "countries", ["code"], true)]);
        var plan = Planner.Build(new PlanRequest(new DatabaseSchema([Groups, countries, places]), "groups", [], []));
        var scope = new ScopeSql(new SqliteDialect(), plan);
        Assert.Equal(["countries", "groups", "places"], plan.Tables.Select(t => t.Name));

        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_scope_1\" (\"code\") SELECT DISTINCT r.\"code\" FROM \"temp\".\"ferry_scope_3\" s " +
            "CROSS JOIN \"main\".\"countries\" r ON r.\"code\" = s.\"country\" " +
            "WHERE NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_1\" y WHERE y.\"code\" = r.\"code\")",
            scope.PullReferenced(places.ForeignKeys[1], places, countries));
    }

    [Fact]
    public void Rows_left_behind_are_counted_without_the_scoped_rows_of_their_own_table_by_an_anti_join()
    {
        Assert.Equal(
            "SELECT COUNT(*) FROM \"temp\".\"ferry_scope_1\" s CROSS JOIN \"main\".\"users\" c ON c.\"current_group_id\" = s.\"id\" " +
            "LEFT JOIN \"temp\".\"ferry_scope_2\" x ON x.\"id\" = c.\"id\" WHERE x.\"id\" IS NULL",
            _scope.CountLeftBehind(Users.ForeignKeys[0], Users, Groups));
    }

    [Fact]
    public void A_reference_leaving_the_scope_becomes_null_in_the_export_query()
    {
        var keeps = _scope.Keeps(Users.ForeignKeys[0], Groups);

        Assert.Equal("(x.\"current_group_id\" IS NULL OR EXISTS (SELECT 1 FROM \"temp\".\"ferry_scope_1\" y WHERE y.\"id\" = x.\"current_group_id\"))", keeps);
        Assert.Equal(
            $"SELECT x.\"id\", CASE WHEN {keeps} THEN x.\"current_group_id\" END FROM \"temp\".\"ferry_scope_2\" s " +
            "CROSS JOIN \"main\".\"users\" x ON s.\"id\" = x.\"id\" ORDER BY s.\"id\"",
            _scope.Select(Users, new Dictionary<string, string> { ["current_group_id"] = keeps }));
    }

    [Fact]
    public void Fresh_ids_continue_above_the_table_and_its_sequence_in_source_order()
    {
        var merges = Merges();
        var sql = new MergeSql(new SqliteDialect());

        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_map_1\" (o0, n0, matched) SELECT s.\"id\", COALESCE((SELECT MAX(\"id\") FROM \"main\".\"groups\"), 0) + ROW_NUMBER() OVER (ORDER BY s.\"id\"), 0 " +
            "FROM \"temp\".\"ferry_stage_1\" s",
            sql.MapRemaining(merges[0]));
    }

    [Fact]
    public void Documents_are_read_by_locator_and_the_new_keys_of_a_batch_come_from_one_statement_with_one_json_parameter_per_parent()
    {
        var merges = Merges();
        var sql = new MergeSql(new SqliteDialect());

        Assert.Equal(
            "SELECT CAST(s.rowid AS TEXT), s.\"slug\" FROM \"temp\".\"ferry_stage_1\" s WHERE s.\"slug\" IS NOT NULL AND s.rowid > CAST(@after AS INTEGER) ORDER BY s.rowid LIMIT 10",
            sql.DocumentBatch(merges[0], "slug", after: true, 10));
        const string groupKey = "CASE WHEN e1.type = 'integer' THEN e1.value WHEN e1.type = 'text' AND ((length(e1.value) BETWEEN 1 AND 18 AND e1.value NOT GLOB '*[^0-9]*') " +
                                "OR (length(e1.value) BETWEEN 2 AND 19 AND e1.value GLOB '-*' AND substr(e1.value, 2) NOT GLOB '*[^0-9]*')) THEN CAST(e1.value AS INTEGER) END";
        Assert.Equal(
            $"SELECT (SELECT json_group_array(json_array({groupKey}, m.n0)) FROM json_each(CASE WHEN json_type(@k0, '$') = 'array' THEN @k0 END, '$') AS e1 " +
            $"JOIN \"temp\".\"ferry_map_1\" m ON m.o0 = {groupKey}) AS p0, " +
            $"(SELECT json_group_array(json_array({groupKey}, m.n0)) FROM json_each(CASE WHEN json_type(@k1, '$') = 'array' THEN @k1 END, '$') AS e1 " +
            $"JOIN \"temp\".\"ferry_map_2\" m ON m.o0 = {groupKey}) AS p1",
            sql.NewKeys([merges[0], merges[1]]));
        Assert.Equal("k1", MergeSql.KeysParameter(1));
    }

    [Fact]
    public void Insert_remaps_every_foreign_key_through_its_parent_map()
    {
        var merges = Merges();
        var sql = new MergeSql(new SqliteDialect());

        Assert.Equal(
            "INSERT INTO \"main\".\"memberships\" (\"group_id\", \"user_id\") SELECT m1.n0 AS \"group_id\", m2.n0 AS \"user_id\" " +
            "FROM \"temp\".\"ferry_stage_3\" s LEFT JOIN \"temp\".\"ferry_map_1\" m1 ON m1.o0 = s.\"group_id\" " +
            "LEFT JOIN \"temp\".\"ferry_map_2\" m2 ON m2.o0 = s.\"user_id\"",
            sql.Insert(merges[2]));
        Assert.Equal(
            "SELECT COUNT(*) FROM \"temp\".\"ferry_stage_3\" s LEFT JOIN \"temp\".\"ferry_map_2\" m ON m.o0 = s.\"user_id\" WHERE s.\"user_id\" IS NOT NULL AND m.o0 IS NULL",
            sql.CountDangling(merges[2], "user_id"));
    }

    [Fact]
    public void Matched_rows_map_to_the_one_existing_row_compared_NULL_safely_a_NULL_key_matching_nothing_and_are_not_inserted()
    {
        var merges = Merges(MatchRule.Parse("users:current_group_id"));
        var sql = new MergeSql(new SqliteDialect());

        // A reference in the natural key compares by its new value, through the parent's map; the column is
        // nullable, so it compares with IS, but a key that is NULL in every column names nothing and matches
        // no row. Several rows that match leave the row unmapped.
        const string incoming = "(SELECT p.n0 FROM \"temp\".\"ferry_map_1\" p WHERE p.o0 = s.\"current_group_id\")";
        var on = $"\"current_group_id\" IS {incoming} AND ({incoming} IS NOT NULL)";
        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_map_2\" (o0, n0, matched) SELECT s.\"id\", e.\"id\", 1 FROM \"temp\".\"ferry_stage_2\" s " +
            $"JOIN \"main\".\"users\" e ON e.{on} " +
            $"WHERE NOT EXISTS (SELECT 1 FROM \"main\".\"users\" g WHERE g.{on} AND g.\"id\" <> e.\"id\")",
            sql.MatchExisting(merges[1], merges[1].Matches[0]));
        Assert.EndsWith("WHERE m0.matched = 0", sql.Insert(merges[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_insensitive_identity_folds_text_on_both_sides_and_a_second_rule_skips_mapped_rows()
    {
        var merges = Merges(MatchRule.Parse("groups:slug") with { CaseInsensitive = true }, MatchRule.Parse("groups:id") with { Reuse = true });
        var sql = new MergeSql(new SqliteDialect());

        Assert.Equal(
            "INSERT INTO \"temp\".\"ferry_map_1\" (o0, n0, matched) SELECT s.\"id\", e.\"id\", 1 FROM \"temp\".\"ferry_stage_1\" s " +
            "JOIN \"main\".\"groups\" e ON LOWER(e.\"slug\") = LOWER(s.\"slug\") " +
            "WHERE NOT EXISTS (SELECT 1 FROM \"main\".\"groups\" g WHERE LOWER(g.\"slug\") = LOWER(s.\"slug\") AND g.\"id\" <> e.\"id\")",
            sql.MatchExisting(merges[0], merges[0].Matches[0]));
        Assert.EndsWith(
            "AND NOT EXISTS (SELECT 1 FROM \"temp\".\"ferry_map_1\" m WHERE m.o0 = s.\"id\")",
            sql.MatchExisting(merges[0], merges[0].Matches[1]), StringComparison.Ordinal);
    }

    [Fact]
    public void An_identity_matches_only_rows_its_where_admits_and_takes_the_first_by_prefer_NULLs_last()
    {
        var rule = MatchRule.Parse("groups:slug") with { Where = "slug <> 'x'", Prefer = [new Profiles.PreferColumn("slug", true), new Profiles.PreferColumn("id", false)] };
        var merges = Merges(rule);
        var sql = new MergeSql(new SqliteDialect());

        const string candidates = "(SELECT * FROM \"main\".\"groups\" WHERE (slug <> 'x'))";
        const string before = "((f.\"slug\" > e.\"slug\" OR (f.\"slug\" IS NOT NULL AND e.\"slug\" IS NULL)) OR (f.\"slug\" IS e.\"slug\" AND " +
                              "(f.\"id\" < e.\"id\" OR (f.\"id\" IS NOT NULL AND e.\"id\" IS NULL))))";
        Assert.Equal(
            $"INSERT INTO \"temp\".\"ferry_map_1\" (o0, n0, matched) SELECT s.\"id\", e.\"id\", 1 FROM \"temp\".\"ferry_stage_1\" s JOIN {candidates} e ON e.\"slug\" = s.\"slug\" " +
            $"WHERE NOT EXISTS (SELECT 1 FROM {candidates} f WHERE f.\"slug\" = s.\"slug\" AND {before}) " +
            $"AND NOT EXISTS (SELECT 1 FROM {candidates} g WHERE g.\"slug\" = s.\"slug\" AND g.\"id\" <> e.\"id\" AND g.\"slug\" IS e.\"slug\" AND g.\"id\" IS e.\"id\")",
            sql.MatchExisting(merges[0], rule));
        Assert.Equal(
            $"SELECT COUNT(DISTINCT s.\"id\") FROM \"temp\".\"ferry_stage_1\" s JOIN {candidates} e ON e.\"slug\" = s.\"slug\" " +
            $"WHERE NOT EXISTS (SELECT 1 FROM {candidates} f WHERE f.\"slug\" = s.\"slug\" AND {before}) " +
            $"AND EXISTS (SELECT 1 FROM {candidates} g WHERE g.\"slug\" = s.\"slug\" AND g.\"id\" <> e.\"id\" AND g.\"slug\" IS e.\"slug\" AND g.\"id\" IS e.\"id\")",
            sql.CountAmbiguousMatches(merges[0], rule));
    }

    private static IReadOnlyList<TableMerge> Merges(params MatchRule[] match)
    {
        ManifestTable Describe(Table t) => new(t.Name, "owned",
            t.Columns.Select(c => new ManifestColumn(c.Name, c.Type, c.SqlType, c.Nullable)).ToList(), t.PrimaryKey,
            t.ForeignKeys.Select(f => new ManifestForeignKey(f.Name, f.Table, f.Columns, f.RefTable, f.RefColumns, f.Nullable)).ToList(), t.Uniques);
        var manifest = new Manifest(1, "test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:x"), new ManifestRoot("groups", ["1"]),
            Plan.Tables.Select(t => Describe(t.Table)).ToList(), [], [], []);
        return MergePlan.Build(manifest, Schema, match);
    }
}
