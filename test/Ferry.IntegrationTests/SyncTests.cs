using Ferry.Import;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// Issue 16: <c>import --update --sync</c> on both engines. Rows an earlier import of the tenant brought and that
/// vanished at the source are deleted, children first, through self-references and cycles, with their ledger rows; a
/// row that stays and still points at one is a conflict found before anything is written, whatever the target's
/// ON DELETE says; a vanished row changed in the target is a conflict unless <c>--prefer</c>.
/// </summary>
public sealed class SyncTests
{
    public static TheoryData<string> Engines => UpdateTests.Engines;

    private static async Task<(TestDb Source, TestDb Target)> ImportedAsync(string engine)
    {
        var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        return (source, target);
    }

    private static Dictionary<string, (long Inserted, long Updated, long Deleted, long Unchanged, long Conflicting)> Counts(ImportReport report) =>
        report.Tables.ToDictionary(t => t.Name, t => (t.Inserted, t.Updated, t.Deleted, t.Unchanged, t.Conflicting));

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Rows_that_vanished_at_the_source_are_deleted_children_first_through_a_thread_and_a_cycle(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        var targetRows = await target.ScalarAsync("SELECT COUNT(*) FROM messages");
        // At the source: Potluck and its participants go; the end of a thread goes (a self-reference), so the
        // conversation's latest message moves back (a cycle); a note goes; a new activity comes.
        await source.ExecuteAsync("DELETE FROM activity_participants WHERE activity_id = 1");
        await source.ExecuteAsync("DELETE FROM activities WHERE id = 1");
        await source.ExecuteAsync($"UPDATE conversations SET latest_message_id = 1 WHERE id = '{CommunityFixture.Uuid1}'");
        await source.ExecuteAsync("DELETE FROM messages WHERE id IN (2, 3)");
        await source.ExecuteAsync("DELETE FROM notes WHERE id = 2");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var dry = await Move.UpdateAsync(target, archive, dryRun: true, sync: true);
        Assert.Equal(before, await target.DumpAsync());
        var report = await Move.UpdateAsync(target, archive, sync: true);

        Assert.Equal(dry.Tables.Select(t => (t.Name, t.Inserted, t.Updated, t.Deleted)), report.Tables.Select(t => (t.Name, t.Inserted, t.Updated, t.Deleted)));
        var counts = Counts(report);
        // The walk in the other group's park stays, unchanged.
        Assert.Equal((1L, 0L, 1L, 1L, 0L), counts["activities"]);
        Assert.Equal((0L, 0L, 2L, 1L, 0L), counts["activity_participants"]);
        Assert.Equal((0L, 0L, 2L, 1L, 0L), counts["messages"]);
        Assert.Equal((0L, 1L, 0L, 0L, 0L), counts["conversations"]);
        Assert.Equal((0L, 0L, 1L, 1L, 0L), counts["notes"]);
        Assert.Equal((0L, 0L, 0L, 2L, 0L), counts["places"]);
        Assert.Equal(6L, report.Deleted);

        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title = 'Potluck'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title = 'Harvest'"));
        Assert.Equal(long.Parse(targetRows!) - 2, long.Parse((await target.ScalarAsync("SELECT COUNT(*) FROM messages"))!));
        Assert.Equal(await target.ScalarAsync("SELECT id FROM messages WHERE body LIKE 'Hello%'"),
            await target.ScalarAsync($"SELECT latest_message_id FROM conversations WHERE id = '{CommunityFixture.Uuid1}'"));
        // The target's own rows are all there: its messages, notes and activities.
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM messages WHERE body LIKE 'target%'"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM notes WHERE title LIKE 'target note%'"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title LIKE 'Existing%'"));
        // The ledger forgot the deleted rows with them, and keeps the rows that stay (the walk's participant).
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'activity_participants'"));
        Assert.Equal(await target.ScalarAsync("SELECT CAST(COUNT(*) AS TEXT) FROM ferry_ledger_rows WHERE table_name = 'activities'"),
            await target.ScalarAsync("SELECT CAST(COUNT(*) AS TEXT) FROM activities WHERE title NOT LIKE 'Existing%'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'messages'"));

        // Idempotent: the same archive again writes nothing.
        var again = await Move.UpdateAsync(target, archive, sync: true);
        Assert.True(again.NothingChanged, string.Join("; ", again.Tables.Select(t => $"{t.Name} {t.Inserted} {t.Updated} {t.Deleted}")));
        // The app's next insert works.
        await target.ExecuteAsync("INSERT INTO activities (group_id, title) VALUES (1, 'next')");
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title = 'next' AND id > (SELECT MAX(id) FROM activities WHERE title <> 'next')"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Without_sync_nothing_is_deleted(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        await source.ExecuteAsync("DELETE FROM notes WHERE id = 2");
        var report = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.True(report.NothingChanged);
        Assert.Equal(0L, report.Deleted);
        Assert.Equal("4", await target.ScalarAsync("SELECT COUNT(*) FROM notes"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_row_moved_away_from_a_vanished_parent_follows_and_the_parent_goes(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        var garden = await target.ScalarAsync("SELECT id FROM places WHERE name = 'Garden'");
        // Potluck moves from Hall to Garden, and Hall goes.
        await source.ExecuteAsync("UPDATE activities SET place_id = 3 WHERE id = 1");
        await source.ExecuteAsync("DELETE FROM places WHERE id = 2");

        var report = await Move.UpdateAsync(target, await Move.ExportAsync(source), sync: true);

        Assert.Equal((0L, 1L, 0L, 1L, 0L), Counts(report)["activities"]);
        Assert.Equal((0L, 0L, 1L, 1L, 0L), Counts(report)["places"]);
        Assert.Equal(garden, await target.ScalarAsync("SELECT place_id FROM activities WHERE title = 'Potluck'"));
        // The target's own Hall (another group's) stays.
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE name = 'Hall'"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_vanished_row_the_target_still_references_is_a_conflict_even_with_on_delete_cascade(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        // The target's app has its own table pointing at an imported place, ON DELETE CASCADE; and a participant of
        // its own (Zed) in an imported activity.
        // (InnoDB wants the referencing column of the same type as places.id, and the key written as a constraint.)
        await target.ExecuteAsync(engine == TestEngines.MariaDb
            ? "CREATE TABLE bookings (id INTEGER PRIMARY KEY, place_id BIGINT UNSIGNED NOT NULL, note TEXT NOT NULL, FOREIGN KEY (place_id) REFERENCES places (id) ON DELETE CASCADE)"
            : "CREATE TABLE bookings (id INTEGER PRIMARY KEY, place_id BIGINT NOT NULL REFERENCES places (id) ON DELETE CASCADE, note TEXT NOT NULL)");
        var garden = await target.ScalarAsync("SELECT id FROM places WHERE name = 'Garden'");
        var potluck = await target.ScalarAsync("SELECT id FROM activities WHERE title = 'Potluck'");
        var zed = await target.ScalarAsync("SELECT id FROM users WHERE email = 'zed@example.org'");
        await target.ExecuteAsync($"INSERT INTO bookings (id, place_id, note) VALUES (1, {garden}, 'the app''s own')");
        await target.ExecuteAsync($"INSERT INTO activity_participants (activity_id, user_id) VALUES ({potluck}, {zed})");
        await source.ExecuteAsync("DELETE FROM places WHERE id = 3");
        await source.ExecuteAsync("DELETE FROM activity_participants WHERE activity_id = 1");
        await source.ExecuteAsync("DELETE FROM activities WHERE id = 1");
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta (renamed)' WHERE id = 2");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive, sync: true));

        Assert.Equal(2, refused.Report.ConflictCount);
        var conflicts = refused.Report.Conflicts.OrderBy(c => c.Table, StringComparer.Ordinal).ToList();
        Assert.Equal(("activities", "referenced", potluck, 1L), (conflicts[0].Table, conflicts[0].Kind, conflicts[0].Values[0], conflicts[0].Rows));
        Assert.Equal("activity_participants.activity_id → activities", conflicts[0].Constraint);
        Assert.Equal(("places", "referenced", garden, "bookings.place_id → places"), (conflicts[1].Table, conflicts[1].Kind, conflicts[1].Values[0], conflicts[1].Constraint));
        Assert.Equal(before, await target.DumpAsync());
        // --prefer does not settle it: the target's rows are never deleted on the app's behalf.
        await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive, Prefer.Source, sync: true));
        Assert.Equal(before, await target.DumpAsync());

        // Once the app lets go of them, they go.
        await target.ExecuteAsync("DELETE FROM bookings");
        await target.ExecuteAsync($"DELETE FROM activity_participants WHERE user_id = {zed}");
        var report = await Move.UpdateAsync(target, archive, sync: true);
        Assert.Equal((1L, 2L, 1L), (Counts(report)["places"].Deleted, Counts(report)["activity_participants"].Deleted, Counts(report)["activities"].Deleted));
        Assert.Equal("Beta (renamed)", await target.ScalarAsync("SELECT name FROM groups WHERE slug = 'beta'"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_vanished_row_changed_in_the_target_is_a_conflict_unless_prefer(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        await target.ExecuteAsync("UPDATE notes SET title = 'kept by the target' WHERE title IS NULL");
        var note = await target.ScalarAsync("SELECT id FROM notes WHERE title = 'kept by the target'");
        await source.ExecuteAsync("DELETE FROM notes WHERE id = 2");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive, sync: true));
        var conflict = Assert.Single(refused.Report.Conflicts);
        Assert.Equal(("notes", "vanished", note), (conflict.Table, conflict.Kind, conflict.Values[0]));
        Assert.Equal(before, await target.DumpAsync());

        // --prefer target keeps it, now the target's own: the ledger forgets it, and the next run does not ask again.
        var kept = await Move.UpdateAsync(target, archive, Prefer.Target, sync: true);
        Assert.Equal((0L, 1L), (Counts(kept)["notes"].Deleted, Counts(kept)["notes"].Conflicting));
        Assert.Equal("1", await target.ScalarAsync($"SELECT COUNT(*) FROM notes WHERE id = {note}"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'notes'"));
        Assert.True((await Move.UpdateAsync(target, archive, sync: true)).NothingChanged);

        // --prefer source deletes it.
        await target.ExecuteAsync("UPDATE notes SET title = 'changed in the target' WHERE title LIKE 'Ü%'");
        await source.ExecuteAsync("DELETE FROM notes WHERE id = 1");
        var deleted = await Move.UpdateAsync(target, await Move.ExportAsync(source), Prefer.Source, sync: true);
        Assert.Equal((1L, 1L), (Counts(deleted)["notes"].Deleted, Counts(deleted)["notes"].Conflicting));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM notes WHERE title = 'changed in the target'"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'notes'"));
    }

    // Under --sync the comparison lists every row (not only those whose source changed): the conflict rules are the same.
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Under_sync_a_row_changed_on_both_sides_is_a_conflict_and_one_changed_in_the_target_only_is_left_alone(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await target.ExecuteAsync("UPDATE activities SET title = 'Potluck (target)' WHERE title = 'Potluck'");
        await target.ExecuteAsync("UPDATE places SET name = 'Garden (target)' WHERE name = 'Garden'");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive, sync: true));
        var conflict = Assert.Single(refused.Report.Conflicts);
        Assert.Equal(("activities", "changed"), (conflict.Table, conflict.Kind));
        Assert.Equal(await target.ScalarAsync("SELECT id FROM activities WHERE title = 'Potluck (target)'"), conflict.Values[0]);
        Assert.Equal(before, await target.DumpAsync());

        var settled = await Move.UpdateAsync(target, archive, Prefer.Source, sync: true);
        Assert.Equal((1L, 1L, 0L), (Counts(settled)["activities"].Updated, Counts(settled)["activities"].Conflicting, Counts(settled)["places"].Updated));
        Assert.Equal("Potluck (source)", await target.ScalarAsync("SELECT title FROM activities WHERE title LIKE 'Potluck%'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE name = 'Garden (target)'"));
        Assert.True((await Move.UpdateAsync(target, archive, sync: true)).NothingChanged);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_vanished_row_the_target_deleted_already_only_leaves_the_ledger(string engine)
    {
        var (source, target) = await ImportedAsync(engine);
        await using var _ = source;
        await using var __ = target;
        await target.ExecuteAsync("DELETE FROM notes WHERE title IS NULL");
        await source.ExecuteAsync("DELETE FROM notes WHERE id = 2");
        var archive = await Move.ExportAsync(source);

        var report = await Move.UpdateAsync(target, archive, sync: true);
        Assert.Equal(0L, report.Deleted);
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'notes'"));
        Assert.True((await Move.UpdateAsync(target, archive, sync: true)).NothingChanged);
    }

    // A company's departments and employees: each department's head is one of its employees, each employee in a
    // department; both keys NOT NULL, a cycle no delete order can undo.
    private static string CycleSchema(string engine) => engine switch
    {
        TestEngines.MariaDb => """
            CREATE TABLE company (id bigint AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL) ENGINE=InnoDB;
            CREATE TABLE department (id bigint AUTO_INCREMENT PRIMARY KEY, company_id bigint NOT NULL, head_id bigint NOT NULL, name varchar(50) NOT NULL,
              FOREIGN KEY (company_id) REFERENCES company (id)) ENGINE=InnoDB;
            CREATE TABLE employee (id bigint AUTO_INCREMENT PRIMARY KEY, department_id bigint NOT NULL, name varchar(50) NOT NULL,
              FOREIGN KEY (department_id) REFERENCES department (id)) ENGINE=InnoDB;
            ALTER TABLE department ADD CONSTRAINT dept_head FOREIGN KEY (head_id) REFERENCES employee (id);
            """,
        // PostgreSQL writes such a cycle through a DEFERRABLE key (or --exclusive).
        TestEngines.Postgres => """
            CREATE TABLE company (id bigserial PRIMARY KEY, name text NOT NULL);
            CREATE TABLE department (id bigserial PRIMARY KEY, company_id bigint NOT NULL REFERENCES company (id), head_id bigint NOT NULL, name text NOT NULL);
            CREATE TABLE employee (id bigserial PRIMARY KEY, department_id bigint NOT NULL REFERENCES department (id), name text NOT NULL);
            ALTER TABLE department ADD CONSTRAINT dept_head FOREIGN KEY (head_id) REFERENCES employee (id) DEFERRABLE;
            """,
        _ => """
            CREATE TABLE company (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE department (id INTEGER PRIMARY KEY, company_id INTEGER NOT NULL REFERENCES company (id), head_id INTEGER NOT NULL REFERENCES employee (id), name TEXT NOT NULL);
            CREATE TABLE employee (id INTEGER PRIMARY KEY, department_id INTEGER NOT NULL REFERENCES department (id), name TEXT NOT NULL);
            """,
    };

    private static string CycleData(string engine)
    {
        const string rows = "INSERT INTO company (id, name) VALUES (1, 'Acme'), (2, 'Other'); " +
                            "INSERT INTO department (id, company_id, head_id, name) VALUES (10, 1, 100, 'Sales'), (11, 1, 102, 'Ops'), (20, 2, 200, 'Theirs'); " +
                            "INSERT INTO employee (id, department_id, name) VALUES (100, 10, 'Ann'), (101, 10, 'Bob'), (102, 11, 'Cat'), (200, 20, 'Dan');";
        return engine switch
        {
            TestEngines.MariaDb => $"SET foreign_key_checks = 0; {rows} SET foreign_key_checks = 1;",
            TestEngines.Postgres => $"SET CONSTRAINTS ALL DEFERRED; {rows} SELECT setval('employee_id_seq', 500); SELECT setval('department_id_seq', 50); SELECT setval('company_id_seq', 5);",
            _ => $"BEGIN; PRAGMA defer_foreign_keys = ON; {rows} COMMIT;",
        };
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Rows_of_a_not_null_cycle_that_vanished_together_are_deleted(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(engine, CycleSchema, CycleData);
        await using var target = await TestDb.CreatePerEngineAsync(engine, CycleSchema, _ => "SELECT 1");
        await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "1", root: "company"), match: "");
        // The Sales department goes with its head and its other employee.
        await source.ExecuteAsync(engine switch
        {
            TestEngines.MariaDb => "SET foreign_key_checks = 0; DELETE FROM employee WHERE department_id = 10; DELETE FROM department WHERE id = 10; SET foreign_key_checks = 1;",
            TestEngines.Postgres => "SET CONSTRAINTS ALL DEFERRED; DELETE FROM employee WHERE department_id = 10; DELETE FROM department WHERE id = 10;",
            _ => "BEGIN; PRAGMA defer_foreign_keys = ON; DELETE FROM employee WHERE department_id = 10; DELETE FROM department WHERE id = 10; COMMIT;",
        });
        var archive = await Move.ExportAsync(source, ids: "1", root: "company");

        var report = await Move.UpdateAsync(target, archive, sync: true, match: "");

        Assert.Equal((1L, 2L), (Counts(report)["department"].Deleted, Counts(report)["employee"].Deleted));
        Assert.Equal(new[] { "Ops Cat Cat" }, (await target.QueryAsync(
            "SELECT d.name || ' ' || h.name || ' ' || e.name FROM department d JOIN employee h ON h.id = d.head_id JOIN employee e ON e.department_id = d.id"))
            .Select(r => r[0]!).ToArray());
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'employee'"));
        Assert.True((await Move.UpdateAsync(target, archive, sync: true, match: "")).NothingChanged);
    }
}
