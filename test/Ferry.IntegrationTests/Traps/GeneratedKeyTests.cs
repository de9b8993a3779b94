using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.Traps;

/// <summary>
/// Keys over generated columns, which Ferry never copies (the database computes them): a foreign key on
/// one is not followed and a unique key over one is left to the target, each said in plan and export;
/// plan, export and import work (these crashed with "unexpected KeyNotFoundException: table items has
/// no column g").
/// </summary>
public sealed class GeneratedKeyTests
{
    private static string Schema(string engine) => engine switch
    {
        TestEngines.Postgres => """
          CREATE TABLE groups (id int PRIMARY KEY, name text NOT NULL);
          CREATE TABLE items (id int PRIMARY KEY, group_id int NOT NULL REFERENCES groups, x int,
              g int GENERATED ALWAYS AS (x) STORED REFERENCES groups, name text NOT NULL, lname text GENERATED ALWAYS AS (lower(name)) STORED UNIQUE);
          """,
        // InnoDB: a foreign key on a STORED generated column, a unique key on a VIRTUAL one (a secondary index MariaDB
        // computes), as MariaDB writes them.
        TestEngines.MariaDb => """
          CREATE TABLE groups (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL);
          CREATE TABLE items (id BIGINT PRIMARY KEY, group_id BIGINT NOT NULL, x BIGINT, g BIGINT AS (x) STORED, name VARCHAR(100) NOT NULL,
              lname VARCHAR(100) AS (lower(name)) VIRTUAL, UNIQUE KEY items_lname_key (lname),
              CONSTRAINT items_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id), CONSTRAINT items_g_fkey FOREIGN KEY (g) REFERENCES groups (id));
          """,
        _ => """
          CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
          CREATE TABLE items (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups (id), x INTEGER,
              g INTEGER GENERATED ALWAYS AS (x) STORED REFERENCES groups (id), name TEXT NOT NULL, lname TEXT GENERATED ALWAYS AS (lower(name)) VIRTUAL);
          CREATE UNIQUE INDEX items_lname_key ON items (lname);
          """,
    };

    private static string Data(string engine) => """
        INSERT INTO groups (id, name) VALUES (1, 'one'), (2, 'two');
        INSERT INTO items (id, group_id, x, name) VALUES (1, 1, 2, 'Apple'), (2, 2, 1, 'Pear'), (3, 1, NULL, 'Fig');
        """;

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Keys_over_generated_columns_are_named_and_left_to_the_database(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema, _ => "INSERT INTO groups (id, name) VALUES (1, 'existing'), (2, 'other');");

        var report = await PlanAsync(source, "groups", "1");
        var exported = await ExportAsync(source, "groups", "1");
        var imported = await ImportAsync(target, exported.Archive);

        var fk = engine == TestEngines.Sqlite ? "fk_items_0" : "items_g_fkey";
        Assert.Contains($"foreign key {fk} (items.g → groups (id)) is on a generated column, computed by the database and never copied: Ferry does not follow it",
            report.Warnings);
        Assert.Contains(report.Warnings, w => w.StartsWith("unique key items_lname_key of items (lname) includes a generated column", StringComparison.Ordinal));
        Assert.Equal(report.Warnings, exported.Warnings);
        Assert.Equal(2, report.Tables.Single(t => t.Name == "items").Rows);
        Assert.Equal("imported", imported.Outcome);
        Assert.Equal(["apple 2", "fig NULL"], await Column(target,
            "SELECT i.lname || ' ' || COALESCE(CAST(i.g AS TEXT), 'NULL') FROM items i JOIN groups g ON g.id = i.group_id WHERE g.name = 'one' ORDER BY 1"));
    }

    // The unique key over lname (lower(name)), computed on each side, is checked before anything is written by the
    // expression the column is computed by (SQLite's read from its CREATE TABLE text): a conflict, exit 3.
    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task An_incoming_row_whose_generated_key_the_target_holds_is_a_conflict_before_anything_is_written(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(engine, Schema, Data);
        await using var target = await TestDb.CreatePerEngineAsync(engine, Schema,
            _ => "INSERT INTO groups (id, name) VALUES (1, 'existing'), (2, 'other'); INSERT INTO items (id, group_id, x, name) VALUES (1, 2, NULL, 'APPLE');");
        var exported = await ExportAsync(source, "groups", "1");
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<Import.ConflictException>(() => ImportAsync(target, exported.Archive));

        var conflict = Assert.Single(error.Report.Conflicts);
        Assert.Equal(("items_lname_key", "existing", "apple"), (conflict.Constraint, conflict.Kind, conflict.Values.Single()));
        Assert.Equal(before, await target.DumpAsync());
    }
}
