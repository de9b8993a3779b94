using Ferry.Import;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// Issue 16: <c>import --update</c> on both engines. Rows the ledger maps to existing target rows are updated where
/// they changed at the source and left physically untouched otherwise, new rows are inserted and may point at rows of
/// earlier imports, rows changed on both sides are conflicts unless <c>--prefer</c>, and a second run writes nothing.
/// </summary>
public sealed class UpdateTests
{
    public static TheoryData<string> Engines => TestEngines.Each;

    // The physical identity of every row of the tenant's tables: PostgreSQL's xmin and ctid change with any write.
    private const string Physical = "SELECT 'g' || CAST(id AS TEXT) || ':' || CAST(xmin AS TEXT) || CAST(ctid AS TEXT) FROM groups UNION ALL " +
                                    "SELECT 'a' || CAST(id AS TEXT) || ':' || CAST(xmin AS TEXT) || CAST(ctid AS TEXT) FROM activities UNION ALL " +
                                    "SELECT 'm' || CAST(id AS TEXT) || ':' || CAST(xmin AS TEXT) || CAST(ctid AS TEXT) FROM messages UNION ALL " +
                                    "SELECT 'n' || CAST(id AS TEXT) || ':' || CAST(xmin AS TEXT) || CAST(ctid AS TEXT) FROM notes UNION ALL " +
                                    "SELECT 'c' || CAST(id AS TEXT) || ':' || CAST(xmin AS TEXT) || CAST(ctid AS TEXT) FROM conversations UNION ALL " +
                                    "SELECT 'u' || CAST(id AS TEXT) || ':' || CAST(xmin AS TEXT) || CAST(ctid AS TEXT) FROM users ORDER BY 1";

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task An_unchanged_tenant_imported_again_writes_nothing_and_says_so(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        // --update into a target that never saw the tenant is a first import.
        var first = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.Equal((1L, 0L, 0L), (first.LedgerImport, first.Updated, first.Unchanged));
        Assert.True(first.Inserted > 10);
        var dump = await target.DumpAsync();
        var physical = to == "postgres" ? await target.QueryAsync(Physical) : [];

        // A new export of the same tenant, every value type of notes included: nothing differs, nothing is written.
        ImportReport second;
        try
        {
            second = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        }
        catch (ConflictException e)
        {
            throw new InvalidOperationException(string.Join("; ", e.Report.Conflicts.Select(c => $"{c.Table} {c.Kind} {string.Join(",", c.Values)}")));
        }
        Assert.True(second.NothingChanged, string.Join("; ", second.Tables.Select(t => $"{t.Name} {t.Inserted} {t.Updated} {t.Unchanged}")));
        Assert.Equal(("unchanged", 0L, 0L, 0L, 0L), (second.Outcome, second.Inserted, second.Updated, second.Conflicting, second.LedgerImport));
        Assert.Equal(first.Inserted - first.Tables.Single(t => t.Name == "users").Inserted, second.Unchanged);
        Assert.Equal(dump, await target.DumpAsync());
        if (to == "postgres")
        {
            Assert.Equal(physical, await target.QueryAsync(Physical));
        }
    }

    [Fact]
    public async Task An_update_that_fails_while_sqlite_reads_the_next_ledger_beside_it_leaves_no_reader_behind()
    {
        // SQLite reads the next table's ledger rows on a side connection while one is staged. A damaged archive fails the
        // staging; the side reader must be closed with it, or its read lock would hold up the next import's commit
        // (SQLITE_BUSY after the 30 s busy timeout) in this same process.
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        await Move.UpdateAsync(target, await Move.ExportAsync(source));
        var dump = await target.DumpAsync();
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta (renamed)' WHERE id = 2");
        var archive = await Move.ExportAsync(source);
        var damaged = archive.ToArray();
        damaged[damaged.Length * 3 / 5] ^= 0x5a;

        await Assert.ThrowsAnyAsync<FerryException>(() => Move.UpdateAsync(target, damaged));
        Assert.Equal(dump, await target.DumpAsync());
        var report = await Move.UpdateAsync(target, archive);
        Assert.Equal(1L, report.Updated);
        Assert.Equal("Beta (renamed)", await target.ScalarAsync("SELECT name FROM groups WHERE slug = 'beta'"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Edits_new_rows_a_new_child_of_an_old_parent_and_a_moved_row_are_written_and_nothing_else(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        var physical = engine == "postgres" ? await target.QueryAsync(Physical) : [];
        var garden = await target.ScalarAsync("SELECT id FROM places WHERE name = 'Garden'");
        var hall = await target.ScalarAsync("SELECT p.id FROM places p JOIN groups g ON g.id = p.group_id WHERE g.slug = 'beta' AND p.name = 'Hall'");

        // At the source: an edit, a row moved between two places of the tenant, a new activity at an old place,
        // a new reply in an old thread, a new note, and a value of every type changed.
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta (renamed)' WHERE id = 2");
        await source.ExecuteAsync("UPDATE activities SET place_id = 3 WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        await source.ExecuteAsync("INSERT INTO messages (id, conversation_id, author_id, reply_to_id, body) VALUES (10, '" + CommunityFixture.Uuid1 + "', 1, 2, 'A late reply')");
        await source.ExecuteAsync("UPDATE notes SET amount = 1.5, ratio = 0.25, flag = FALSE, day = '2025-01-01' WHERE id = 1");
        var report = await Move.UpdateAsync(target, await Move.ExportAsync(source));

        var counts = report.Tables.ToDictionary(t => t.Name, t => (t.Inserted, t.Updated, t.Unchanged, t.Conflicting));
        Assert.Equal((0L, 1L, 0L, 0L), counts["groups"]);
        Assert.Equal((1L, 1L, 1L, 0L), counts["activities"]);
        Assert.Equal((1L, 0L, 3L, 0L), counts["messages"]);
        Assert.Equal((0L, 1L, 1L, 0L), counts["notes"]);
        Assert.Equal((0L, 0L, 2L, 0L), counts["places"]);
        Assert.Equal(2L, report.LedgerImport);

        Assert.Equal("Beta (renamed)", await target.ScalarAsync("SELECT name FROM groups WHERE slug = 'beta'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
        Assert.Equal(garden, await target.ScalarAsync("SELECT place_id FROM activities WHERE title = 'Potluck'"));
        Assert.Equal(garden, await target.ScalarAsync("SELECT place_id FROM activities WHERE title = 'Harvest'"));
        Assert.Equal(await target.ScalarAsync("SELECT group_id FROM activities WHERE title = 'Potluck'"), await target.ScalarAsync("SELECT group_id FROM activities WHERE title = 'Harvest'"));
        Assert.Equal(await target.ScalarAsync("SELECT id FROM messages WHERE body LIKE 'Hi!%'"), await target.ScalarAsync("SELECT reply_to_id FROM messages WHERE body = 'A late reply'"));
        Assert.Equal("0", await target.ScalarAsync($"SELECT COUNT(*) FROM activities WHERE place_id = {hall}"));
        Assert.Equal("2025-01-01", (await target.ScalarAsync("SELECT CAST(day AS TEXT) FROM notes WHERE title LIKE 'Ü%'"))![..10]);
        if (engine == "postgres")
        {
            // Only the rows written changed physically: the group, Potluck, the note; the new rows are new.
            var after = (await target.QueryAsync(Physical)).Select(r => r[0]!).ToHashSet();
            var changed = physical.Select(r => r[0]!).Where(r => !after.Contains(r)).Select(r => r[..r.IndexOf(':', StringComparison.Ordinal)]).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(3, changed.Count);
            Assert.Contains("g3", changed);
        }
        // The app's next rows get the next ids.
        await target.ExecuteAsync("INSERT INTO activities (group_id, title) VALUES (1, 'next')");
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title = 'next' AND id > (SELECT MAX(id) FROM activities WHERE title <> 'next')"));

        // Idempotent: the same archive again writes nothing.
        var again = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.True(again.NothingChanged);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_row_changed_on_both_sides_is_a_conflict_unless_prefer_says_which_side_wins(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        await target.ExecuteAsync("UPDATE activities SET title = 'Potluck (target)' WHERE title = 'Potluck'");
        // Changed in the target only: the target's edit stays, and is no conflict.
        await target.ExecuteAsync("UPDATE places SET name = 'Garden (target)' WHERE name = 'Garden'");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive));
        Assert.Equal(1, refused.Report.ConflictCount);
        var conflict = Assert.Single(refused.Report.Conflicts);
        Assert.Equal(("activities", "changed"), (conflict.Table, conflict.Kind));
        Assert.Equal(await target.ScalarAsync("SELECT id FROM activities WHERE title = 'Potluck (target)'"), conflict.Values[0]);
        Assert.Equal(before, await target.DumpAsync());

        var kept = await Move.UpdateAsync(target, archive, Prefer.Target);
        Assert.Equal((1L, 0L, 1L), (kept.Tables.Single(t => t.Name == "activities").Inserted, kept.Updated, kept.Conflicting));
        Assert.Equal("Potluck (target)", await target.ScalarAsync("SELECT title FROM activities WHERE title LIKE 'Potluck%'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE name = 'Garden (target)'"));
        // Settled: the same archive again finds nothing to do, without --prefer.
        Assert.True((await Move.UpdateAsync(target, archive)).NothingChanged);

        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source, again)' WHERE id = 1");
        await target.ExecuteAsync("UPDATE activities SET title = 'Potluck (target, again)' WHERE title LIKE 'Potluck%'");
        var overwritten = await Move.UpdateAsync(target, await Move.ExportAsync(source), Prefer.Source);
        Assert.Equal((0L, 1L, 1L), (overwritten.Inserted, overwritten.Updated, overwritten.Conflicting));
        Assert.Equal("Potluck (source, again)", await target.ScalarAsync("SELECT title FROM activities WHERE title LIKE 'Potluck%'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE name = 'Garden (target)'"));
        Assert.True((await Move.UpdateAsync(target, await Move.ExportAsync(source))).NothingChanged);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_identity_matched_user_who_changed_e_mail_is_found_again_through_the_ledger(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        var users = await target.ScalarAsync("SELECT COUNT(*) FROM users");
        var annId = await target.ScalarAsync("SELECT id FROM users WHERE email = 'ann@example.org'");
        var bobId = await target.ScalarAsync("SELECT id FROM users WHERE email = 'bob@example.org'");
        // Ann (inserted by the first import) and Bob (matched to the target's own) change e-mail at the source.
        await source.ExecuteAsync("UPDATE users SET email = 'ann@new.example' WHERE id = 1");
        await source.ExecuteAsync("UPDATE users SET email = 'bob@new.example' WHERE id = 2");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        await source.ExecuteAsync("INSERT INTO activity_participants (activity_id, user_id) VALUES (10, 1), (10, 2)");

        var report = await Move.UpdateAsync(target, await Move.ExportAsync(source));

        Assert.Equal(0L, report.Tables.Single(t => t.Name == "users").Inserted);
        Assert.Equal(users, await target.ScalarAsync("SELECT COUNT(*) FROM users"));
        // Identities are the target's: matched, never updated.
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM users WHERE email LIKE '%new.example'"));
        Assert.Equal(string.Join(",", new[] { annId, bobId }.Order(StringComparer.Ordinal)), string.Join(",", (await target.QueryAsync(
            "SELECT p.user_id FROM activity_participants p JOIN activities a ON a.id = p.activity_id WHERE a.title = 'Harvest' ")).Select(r => r[0]).Order(StringComparer.Ordinal)));
        Assert.True((await Move.UpdateAsync(target, await Move.ExportAsync(source))).NothingChanged);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_second_tenant_of_the_same_source_is_another_tenant(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var beta = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        var gamma = await Move.UpdateAsync(target, await Move.ExportAsync(source, ids: "3"));
        Assert.NotEqual(beta.Tenant, gamma.Tenant);
        Assert.True(gamma.Inserted > 0);
        Assert.Equal(0L, gamma.Unchanged);
        await source.ExecuteAsync("UPDATE groups SET name = 'Gamma (renamed)' WHERE id = 3");
        Assert.True((await Move.UpdateAsync(target, await Move.ExportAsync(source))).NothingChanged);
        var again = await Move.UpdateAsync(target, await Move.ExportAsync(source, ids: "3"));
        Assert.Equal((0L, 1L), (again.Inserted, again.Updated));
        Assert.Equal("Gamma (renamed)", await target.ScalarAsync("SELECT name FROM groups WHERE slug = 'gamma'"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_updated_row_taking_a_unique_value_the_target_holds_is_a_conflict_before_anything_is_written(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        // The target's app requires unique activity titles, which the source does not.
        await target.ExecuteAsync("CREATE UNIQUE INDEX activities_title ON activities (title)");
        // The group's slug becomes one of the target's groups'; Potluck takes the title of a target activity, and a new
        // activity the title that an updated one takes too.
        await source.ExecuteAsync("UPDATE groups SET slug = 'delta' WHERE id = 2");
        await source.ExecuteAsync("UPDATE activities SET title = 'Existing' WHERE id = 1");
        await source.ExecuteAsync("UPDATE activities SET title = 'Twice' WHERE id = 2");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Twice')");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive));

        Assert.Equal(3, refused.Report.ConflictCount);
        var found = refused.Report.Conflicts.Select(c => (c.Table, c.Kind, c.Values[0])).Order().ToList();
        Assert.Equal([("activities", "updated", "Existing"), ("activities", "updated", "Twice"), ("groups", "updated", "delta")], found);
        Assert.Equal(before, await target.DumpAsync());
    }

    /// <summary>
    /// A profile's own SQL may add rows to the staged tenant or take some out: under --update a row it adds is new
    /// (mapped and inserted, though the ledger maps every row the archive brought), and one it takes out is neither
    /// written nor counted.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Rows_a_profiles_sql_adds_to_or_takes_from_the_staged_tenant_are_inserted_or_left_alone(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var archive = await Move.ExportAsync(source);
        await Move.UpdateAsync(target, archive);
        var profile = Profiles.ProfileLoader.Parse(
            "transforms:\n" +
            "  - {sql: \"INSERT INTO {places} (id, group_id, name, ferry_source_digest) SELECT 999, group_id, 'Annex', ferry_source_digest FROM {places} WHERE name = 'Hall'\"}\n" +
            "  - {sql: \"DELETE FROM {memberships} WHERE role = 'organizer'\"}\n", "app.yaml");

        var report = await Move.UpdateAsync(target, archive, profile: profile);

        var places = report.Tables.Single(t => t.Name == "places");
        var memberships = report.Tables.Single(t => t.Name == "memberships");
        Assert.Equal((1L, 2L, 0L, 2L), (places.Inserted, places.Unchanged, memberships.Inserted, memberships.Unchanged));
        Assert.Equal(["Annex", "Garden", "Hall"], (await target.QueryAsync(
            "SELECT p.name FROM places p JOIN groups g ON g.id = p.group_id WHERE g.slug = 'beta' ORDER BY p.name")).Select(r => r[0]));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_column_the_target_gained_or_a_profile_fills_is_no_change_and_a_row_changed_at_the_source_is_settled_once(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        // The target's app gained a column with a default: rows not changed at the source stay as they are, and one
        // changed there is updated without touching the column.
        await target.ExecuteAsync("ALTER TABLE activities ADD COLUMN rating INTEGER DEFAULT 3");
        await target.ExecuteAsync("UPDATE activities SET rating = 5 WHERE title = 'Potluck'");
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        var report = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.Equal((0L, 1L, 1L, 0L), (report.Tables.Single(t => t.Name == "activities").Inserted, report.Updated, report.Tables.Single(t => t.Name == "activities").Unchanged, report.Conflicting));
        Assert.Equal("5", await target.ScalarAsync("SELECT rating FROM activities WHERE title = 'Potluck (source)'"));

        // A NOT NULL column that a profile transform fills: the source digest is the archive's row before the
        // transforms, so rows unchanged at the source stay as the target has them (the column keeps its default) and
        // nothing is written. A row then changed at the source differs on both sides (the target's digest now covers
        // the filled column, which the ledger's did not): a conflict, settled once by --prefer, written with the fill.
        await target.ExecuteAsync("ALTER TABLE places ADD COLUMN kind TEXT NOT NULL DEFAULT 'room'");
        var profile = Profiles.ProfileLoader.Parse("transforms:\n  - {fill: places.kind, sql: \"'outdoor'\"}\n", "app.yaml");
        Assert.True((await Move.UpdateAsync(target, await Move.ExportAsync(source), profile: profile)).NothingChanged);
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE kind = 'outdoor'"));
        await source.ExecuteAsync("UPDATE places SET name = 'Big Garden' WHERE id = 3");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();
        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive, profile: profile));
        Assert.Equal([("places", "changed")], refused.Report.Conflicts.Select(c => (c.Table, c.Kind)));
        Assert.Equal(before, await target.DumpAsync());
        var settled = await Move.UpdateAsync(target, archive, Prefer.Source, profile: profile);
        Assert.Equal((1L, 1L), (settled.Updated, settled.Conflicting));
        Assert.Equal("outdoor", await target.ScalarAsync("SELECT kind FROM places WHERE name = 'Big Garden'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE kind = 'outdoor'"));
        Assert.True((await Move.UpdateAsync(target, archive, profile: profile)).NothingChanged);
        await source.ExecuteAsync("UPDATE places SET name = 'Bigger Garden' WHERE id = 3");
        var edited = await Move.UpdateAsync(target, await Move.ExportAsync(source), profile: profile);
        Assert.Equal((1L, 0L), (edited.Updated, edited.Conflicting));
        Assert.Equal("outdoor", await target.ScalarAsync("SELECT kind FROM places WHERE name = 'Bigger Garden'"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Rows_deleted_in_the_target_since_are_written_again_and_new_rows_can_point_at_them(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        // The target's app deleted a note and a place of the tenant (nothing points at them); at the source, a new
        // activity takes place at that place. (On SQLite the unchanged rows are not staged: the ledger's rows whose
        // target row is gone must not count as unchanged.)
        await target.ExecuteAsync("DELETE FROM notes WHERE title LIKE 'Ü%'");
        await target.ExecuteAsync("DELETE FROM places WHERE name = 'Garden'");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");

        var report = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        var counts = report.Tables.ToDictionary(t => t.Name, t => (t.Inserted, t.Updated, t.Unchanged, t.Conflicting));
        Assert.Equal((1L, 0L, 1L, 0L), counts["notes"]);
        Assert.Equal((1L, 0L, 1L, 0L), counts["places"]);
        Assert.Equal((1L, 0L, 2L, 0L), counts["activities"]);
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM notes WHERE title LIKE 'Ü%'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM places WHERE name = 'Garden'"));
        Assert.Equal("Garden", await target.ScalarAsync("SELECT p.name FROM activities a JOIN places p ON p.id = a.place_id WHERE a.title = 'Harvest'"));
        Assert.Equal(await target.ScalarAsync("SELECT group_id FROM activities WHERE title = 'Potluck'"), await target.ScalarAsync("SELECT group_id FROM places WHERE name = 'Garden'"));

        // The ledger follows the new copies: the same archive again writes nothing.
        var again = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.True(again.NothingChanged, string.Join("; ", again.Tables.Select(t => $"{t.Name} {t.Inserted} {t.Updated} {t.Unchanged}")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_dry_run_counts_the_same_and_writes_nothing(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var dry = await Move.UpdateAsync(target, archive, dryRun: true);
        Assert.Equal(before, await target.DumpAsync());
        var real = await Move.UpdateAsync(target, archive);
        Assert.Equal(real.Tables.Select(t => (t.Name, t.Inserted, t.Updated, t.Unchanged, t.Conflicting)), dry.Tables.Select(t => (t.Name, t.Inserted, t.Updated, t.Unchanged, t.Conflicting)));
        Assert.Equal((1L, 1L), (real.Inserted, real.Updated));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_failed_update_leaves_the_target_and_its_ledger_as_before(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await Move.ImportAsync(target, await Move.ExportAsync(source));
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta (renamed)' WHERE id = 2");
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        // The target refuses the last write of the run (activities are updated after groups and every insert).
        await target.ExecuteAsync(engine switch
        {
            TestEngines.Sqlite => "CREATE TRIGGER stop BEFORE UPDATE ON activities BEGIN SELECT RAISE(ABORT, 'stopped by the target'); END",
            TestEngines.MariaDb => "CREATE TRIGGER stop BEFORE UPDATE ON activities FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'stopped by the target'",
            _ => "CREATE FUNCTION stop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'stopped by the target'; END $$; " +
                 "CREATE TRIGGER stop BEFORE UPDATE ON activities FOR EACH ROW EXECUTE FUNCTION stop()",
        });
        var before = await target.DumpAsync();

        var archive = await Move.ExportAsync(source);
        await Assert.ThrowsAnyAsync<Exception>(() => Move.UpdateAsync(target, archive));

        // Every row and the ledger as before; a PostgreSQL sequence keeps the ids the run drew (as after any rollback).
        Assert.Equal(WithoutSequences(before), WithoutSequences(await target.DumpAsync()));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_imports"));
    }

    private static string WithoutSequences(string dump) =>
        string.Join("\n", dump.Split('\n').Where(l => !l.StartsWith("sequence ", StringComparison.Ordinal)));
}
