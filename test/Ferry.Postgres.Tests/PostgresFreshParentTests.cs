using Ferry.Archive;
using Ferry.Import;
using Ferry.Schema;
using Ferry.Testing;
using static Ferry.Postgres.Tests.PostgresTestSupport;

namespace Ferry.Postgres.Tests;

/// <summary>
/// When a unique key's check against the target's rows can be left out because one of its columns takes a new parent's
/// fresh id through a foreign key the target has enforced (<see cref="MergeSql.HoldsFreshParent"/>), and which keys
/// PostgreSQL's catalogue says it has enforced (<see cref="PostgresDialect.EnforcedForeignKeys"/>).
/// </summary>
public sealed class PostgresFreshParentTests
{
    private static readonly MergeSql Sql = new(new PostgresDialect("public"));

    private static readonly Table Teams = new("teams",
        [new Column("id", "integer", FerryType.Int, false, IsAutoIncrement: true, Sequence: "public.teams_id_seq"), new Column("name", "text", FerryType.Text, false)],
        ["id"], [new UniqueKey("teams_pkey", ["id"], true), new UniqueKey("teams_name_key", ["name"], false)], []);

    // A member's key (team_id, login); backup_team_id may be NULL; docs keep their UUID keys (no map).
    private static readonly Table Members = new("members",
        [new Column("team_id", "integer", FerryType.Int, false), new Column("login", "text", FerryType.Text, false),
         new Column("backup_team_id", "integer", FerryType.Int, true), new Column("doc", "uuid", FerryType.Uuid, false)],
        ["team_id", "login"], [new UniqueKey("members_pkey", ["team_id", "login"], true), new UniqueKey("members_backup", ["backup_team_id", "login"], false),
                               new UniqueKey("members_doc", ["doc", "login"], false)],
        [new ForeignKey("members_team_fkey", "members", ["team_id"], "teams", ["id"], false),
         new ForeignKey("members_backup_fkey", "members", ["backup_team_id"], "teams", ["id"], true),
         new ForeignKey("members_doc_fkey", "members", ["doc"], "docs", ["id"], false)]);

    private static readonly Table Docs = new("docs", [new Column("id", "uuid", FerryType.Uuid, false)], ["id"], [new UniqueKey("docs_pkey", ["id"], true)], []);

    private static readonly HashSet<(string, string)> Enforced = [("members", "members_team_fkey"), ("members", "members_backup_fkey"), ("members", "members_doc_fkey")];

    private static ManifestTable Describe(Table t) => new(t.Name, "owned",
        t.Columns.Select(c => new ManifestColumn(c.Name, c.Type, c.SqlType, c.Nullable)).ToList(), t.PrimaryKey,
        t.ForeignKeys.Select(f => new ManifestForeignKey(f.Name, f.Table, f.Columns, f.RefTable, f.RefColumns, f.Nullable)).ToList(), t.Uniques);

    private static IReadOnlyList<TableMerge> Plan(params string[] match) => MergePlan.Build(
        new Manifest(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("postgres", "postgres:x"), new ManifestRoot("teams", ["2"]),
            [Describe(Teams), Describe(Docs), Describe(Members)], [], [], []),
        new DatabaseSchema([Teams, Docs, Members]), match.Select(MatchRule.Parse).ToList());

    [Fact]
    public void A_key_holding_a_new_teams_fresh_id_through_an_enforced_key_cannot_collide_with_the_targets_rows()
    {
        var members = Plan()[2];

        Assert.True(Sql.HoldsFreshParent(members, ["team_id", "login"], Enforced));
        Assert.True(Sql.HoldsFreshParent(members, ["login", "team_id"], Enforced));
    }

    [Fact]
    public void Without_the_targets_guarantee_or_a_fresh_id_in_every_row_the_key_is_checked()
    {
        var members = Plan()[2];

        // The key is not one the target enforces (NOT VALID, triggers off, SQLite, MariaDB), or is another table's of that name.
        Assert.False(Sql.HoldsFreshParent(members, ["team_id", "login"], new HashSet<(string, string)>()));
        Assert.False(Sql.HoldsFreshParent(members, ["team_id", "login"], new HashSet<(string, string)> { ("teams", "members_team_fkey") }));
        // No column of the key takes a fresh id: login is copied, docs keep their keys.
        Assert.False(Sql.HoldsFreshParent(members, ["login"], Enforced));
        Assert.False(Sql.HoldsFreshParent(members, ["doc", "login"], Enforced));
        // A nullable column: a row without a backup team holds no fresh id.
        Assert.False(Sql.HoldsFreshParent(members, ["backup_team_id", "login"], Enforced));
        // Teams matched to the target's own by name: a member's team may be one the target holds.
        Assert.False(Sql.HoldsFreshParent(Plan("teams:name")[2], ["team_id", "login"], Enforced));
    }

    [Fact]
    public async Task The_catalogue_names_the_validated_keys_whose_triggers_fire()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("""
            CREATE TABLE teams (id integer PRIMARY KEY);
            CREATE TABLE a (t integer CONSTRAINT a_valid REFERENCES teams (id), u integer);
            ALTER TABLE a ADD CONSTRAINT a_not_valid FOREIGN KEY (u) REFERENCES teams (id) NOT VALID;
            CREATE TABLE b (t integer CONSTRAINT b_off REFERENCES teams (id));
            ALTER TABLE b DISABLE TRIGGER ALL;
            CREATE TABLE c (t integer CONSTRAINT c_replica REFERENCES teams (id), u integer CONSTRAINT c_always REFERENCES teams (id));
            CREATE TABLE p (t integer CONSTRAINT p_partitioned REFERENCES teams (id), k integer) PARTITION BY RANGE (k);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            """);
        // c_replica's check triggers fire on a replica only; c_always's in every session. A partitioned table's key is
        // checked by its partitions' triggers, which are left out.
        await db.ExecuteAsync("""
            DO $$ DECLARE r record; BEGIN
              FOR r IN SELECT t.tgname, k.conname FROM pg_trigger t JOIN pg_constraint k ON k.oid = t.tgconstraint WHERE t.tgrelid = 'c'::regclass LOOP
                EXECUTE format('ALTER TABLE c ENABLE %s TRIGGER %I', CASE r.conname WHEN 'c_replica' THEN 'REPLICA' ELSE 'ALWAYS' END, r.tgname);
              END LOOP;
            END $$;
            """);
        var d = new PostgresDialect("public");
        await using var connection = await Engine(db).OpenAsync(Engines.Access.ReadOnly, CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = d.EnforcedForeignKeys(["a", "b", "c", "p", "p1"])!;
        var rows = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add($"{reader.GetString(0)} {reader.GetString(1)}");
            }
        }

        Assert.Equal(["a a_valid", "c c_always"], rows);
        Assert.Null(d.EnforcedForeignKeys([]));
    }
}
