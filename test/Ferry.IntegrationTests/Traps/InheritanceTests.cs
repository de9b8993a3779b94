using Ferry.Import;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.Traps;

/// <summary>
/// Table inheritance (<c>CREATE TABLE … INHERITS</c>), the partitioning of PostgreSQL apps older than version 10: a
/// parent's rows read without ONLY include its children's rows, which are also tables of their own. Each row must be
/// read, counted and written once, in the table that holds it, and conflict checks must see only the table's own rows
/// (its unique keys do not cover its children). PostgreSQL only.
/// </summary>
public sealed class InheritanceTests
{
    private static string Schema(bool postgres) => """
        CREATE TABLE store (store_id serial PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE event (id serial PRIMARY KEY, store_id int NOT NULL REFERENCES store, kind text NOT NULL, at date NOT NULL,
            code text NOT NULL UNIQUE);
        CREATE TABLE event_2024 (CHECK (at >= '2024-01-01'), PRIMARY KEY (id), FOREIGN KEY (store_id) REFERENCES store,
            UNIQUE (code)) INHERITS (event);
        CREATE TABLE event_note (id serial PRIMARY KEY, event_id int NOT NULL REFERENCES event, note text NOT NULL);
        """;

    private const string SourceData = """
        INSERT INTO store (name) VALUES ('north'), ('south');
        INSERT INTO event (store_id, kind, at, code) VALUES (1, 'open', '2023-05-01', 'n1'), (2, 'open', '2023-06-01', 's1'), (2, 'sale', '2023-07-01', 's2');
        INSERT INTO event_2024 (store_id, kind, at, code) VALUES (1, 'sale', '2024-02-01', 'n2'), (2, 'sale', '2024-03-01', 's3'), (2, 'close', '2024-04-01', 's4');
        INSERT INTO event_note (event_id, note) VALUES (2, 'first day'), (3, 'busy'), (1, 'other store');
        """;

    // The target's own store has a child row with the code of an incoming parent row: the parent's unique key
    // does not cover the child, so that is no conflict; a parent row with the code of an incoming parent row is.
    private const string TargetData = """
        INSERT INTO store (name) VALUES ('east');
        INSERT INTO event (store_id, kind, at, code) VALUES (1, 'open', '2023-01-01', 'e1');
        INSERT INTO event_2024 (store_id, kind, at, code) VALUES (1, 'sale', '2024-01-10', 's1');
        """;

    [Fact]
    public async Task Plan_and_export_count_each_row_once_in_the_table_that_holds_it()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => SourceData);

        var report = await PlanAsync(source, "store", "2");
        var exported = await ExportAsync(source, "store", "2");

        Assert.Equal(2L, report.Tables.Single(t => t.Name == "event").Rows);
        Assert.Equal(2L, report.Tables.Single(t => t.Name == "event_2024").Rows);
        Assert.Equal(2, exported.Result.Tables.Single(t => t.Name == "event").Rows);
        Assert.Equal(2, exported.Result.Tables.Single(t => t.Name == "event_2024").Rows);
        Assert.Equal(2, exported.Result.Tables.Single(t => t.Name == "event_note").Rows);
    }

    [Fact]
    public async Task A_store_moves_with_each_event_once_in_its_own_table()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => SourceData);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => TargetData);

        var imported = await ImportAsync(target, (await ExportAsync(source, "store", "2")).Archive);

        Assert.Equal("imported", imported.Outcome);
        Assert.Equal(
            ["event open 2023-06-01", "event sale 2023-07-01", "event_2024 close 2024-04-01", "event_2024 sale 2024-03-01"],
            await Column(target, "SELECT e.tableoid::regclass || ' ' || e.kind || ' ' || e.at FROM event e JOIN store s USING (store_id) " +
                                 "WHERE s.name = 'south' ORDER BY 1"));
        Assert.Empty(await target.QueryAsync("SELECT id FROM event GROUP BY id HAVING COUNT(*) > 1"));
        Assert.Equal(["busy sale", "first day open"], await Column(target,
            "SELECT n.note || ' ' || e.kind FROM event_note n JOIN ONLY event e ON e.id = n.event_id ORDER BY 1"));
        Assert.Equal(["event s1", "event_2024 s1"], await Column(target, "SELECT tableoid::regclass || ' ' || code FROM event WHERE code = 's1' ORDER BY 1"));
        // The app's next rows, in the parent and in the child, draw ids that are free in both.
        await target.ExecuteAsync("INSERT INTO event (store_id, kind, at, code) VALUES (1, 'next', '2023-12-31', 'x1')");
        await target.ExecuteAsync("INSERT INTO event_2024 (store_id, kind, at, code) VALUES (1, 'next', '2024-12-31', 'x2')");
        Assert.Empty(await target.QueryAsync("SELECT id FROM event GROUP BY id HAVING COUNT(*) > 1"));
    }

    [Fact]
    public async Task A_parent_row_with_a_code_the_parent_holds_is_a_conflict_and_nothing_is_written()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => SourceData);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => TargetData + "INSERT INTO event (store_id, kind, at, code) VALUES (1, 'x', '2023-02-02', 's2');");

        var archive = (await ExportAsync(source, "store", "2")).Archive;

        var failure = await Assert.ThrowsAsync<ConflictException>(() => ImportAsync(target, archive));
        var conflict = Assert.Single(failure.Report.Conflicts);
        Assert.Equal(("event", "s2"), (conflict.Table, conflict.Values.Single()));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM event"));
    }
}
