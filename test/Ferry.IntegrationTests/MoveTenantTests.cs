using Ferry.Testing;
using Ferry.Import;

namespace Ferry.IntegrationTests;

/// <summary>
/// Moves group "beta" between real databases in every direction (<see cref="TestEngines.Directions"/>), into a target
/// that already holds rows with the same ids and one of the same people.
/// </summary>
public sealed class MoveTenantTests
{
    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Moves_a_group_with_fresh_ids_matched_users_cycle_and_threads(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        var sourceBefore = await source.DumpAsync();

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source));

        Assert.Equal(sourceBefore, await source.DumpAsync());
        Assert.Equal("imported", report.Outcome);
        Assert.Equal(["beta", "delta", "epsilon"], Column(await target.QueryAsync("SELECT slug FROM groups ORDER BY slug")));
        var beta = await target.ScalarAsync("SELECT id FROM groups WHERE slug = 'beta'");
        Assert.Equal("3", beta);

        // Bob already existed: matched by e-mail, left untouched; Ann and Cat are new; Dan stayed behind.
        Assert.Equal(["ann@example.org", "bob@example.org", "cat@example.org", "yan@example.org", "zed@example.org"],
            Column(await target.QueryAsync("SELECT email FROM users ORDER BY email")));
        Assert.Equal("Robert (target)", await target.ScalarAsync("SELECT name FROM users WHERE email = 'bob@example.org'"));
        Assert.Equal("1", await target.ScalarAsync("SELECT id FROM users WHERE email = 'bob@example.org'"));
        Assert.Equal(beta, await target.ScalarAsync("SELECT current_group_id FROM users WHERE email = 'ann@example.org'"));
        Assert.Null(await target.ScalarAsync("SELECT current_group_id FROM users WHERE email = 'cat@example.org'"));

        Assert.Equal(
            ["ann@example.org organizer", "bob@example.org member", "cat@example.org member"],
            Column(await target.QueryAsync($"SELECT u.email || ' ' || m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = {beta} ORDER BY u.email")));
        Assert.Equal(["Garden", "Hall"], Column(await target.QueryAsync($"SELECT name FROM places WHERE group_id = {beta} ORDER BY name")));

        // The activity at another group's place keeps its row, its place cut to NULL.
        Assert.Equal(
            ["Potluck @ Hall", "Walk in the other group's park @ -"],
            Column(await target.QueryAsync($"SELECT a.title || ' @ ' || COALESCE(p.name, '-') FROM activities a LEFT JOIN places p ON p.id = a.place_id AND p.group_id = a.group_id WHERE a.group_id = {beta} ORDER BY a.title")));
        Assert.Null(await target.ScalarAsync($"SELECT place_id FROM activities WHERE group_id = {beta} AND title LIKE 'Walk%'"));
        Assert.Equal(
            ["Potluck ann@example.org", "Potluck bob@example.org", "Walk in the other group's park cat@example.org"],
            Column(await target.QueryAsync($"SELECT a.title || ' ' || u.email FROM activity_participants ap JOIN activities a ON a.id = ap.activity_id JOIN users u ON u.id = ap.user_id WHERE a.group_id = {beta} ORDER BY 1")));

        // The cycle (conversation ↔ latest message) and the thread (reply_to) point at the new rows.
        Assert.Equal($"Planning|It's on|{beta}", await target.ScalarAsync(
            $"SELECT c.subject || '|' || m.body || '|' || c.group_id FROM conversations c JOIN messages m ON m.id = c.latest_message_id WHERE c.id = '{CommunityFixture.Uuid1}'"));
        Assert.Equal(
            ["Hello 👋 <- - by ann@example.org", "Hi!\nSecond line, \"quoted\" <- Hello 👋 by bob@example.org", "It's on <- Hi!\nSecond line, \"quoted\" by cat@example.org"],
            Column(await target.QueryAsync(
                $"SELECT m.body || ' <- ' || COALESCE(r.body, '-') || ' by ' || u.email FROM messages m LEFT JOIN messages r ON r.id = m.reply_to_id JOIN users u ON u.id = m.author_id WHERE m.conversation_id = '{CommunityFixture.Uuid1}' ORDER BY m.id")).Select(s => s!.Replace("\r", "")));
        Assert.Equal(["4", "5", "6"], Column(await target.QueryAsync($"SELECT id FROM messages WHERE conversation_id = '{CommunityFixture.Uuid1}' ORDER BY id")));

        var users = report.Tables.Single(t => t.Name == "users");
        Assert.Equal((3L, 2L, 1L), (users.ArchiveRows, users.Inserted, users.Matched));
        Assert.Equal(1, report.Tables.Single(t => t.Name == "activities").NulledReferences);
        Assert.Equal(1, report.Tables.Single(t => t.Name == "groups").Inserted);

        // The application's next insert gets an id past the imported ones.
        await target.ExecuteAsync("INSERT INTO groups (slug, name, created_at) VALUES ('next', 'Next', '2025-01-01 00:00:00')");
        Assert.Equal("4", await target.ScalarAsync("SELECT id FROM groups WHERE slug = 'next'"));
        await target.ExecuteAsync($"INSERT INTO messages (conversation_id, author_id, body) VALUES ('{CommunityFixture.Uuid1}', 1, 'after')");
        Assert.Equal("7", await target.ScalarAsync("SELECT id FROM messages WHERE body = 'after'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Every_value_type_arrives_intact(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);

        await Move.ImportAsync(target, await Move.ExportAsync(source));

        var sql = target.Engine switch
        {
            TestEngines.Postgres => "SELECT title, encode(payload, 'hex'), big::text, amount::text, ratio::text, flag::text, day::text, at_time::text, local_ts::text, zoned_ts::text, token::text, doc::text FROM notes n JOIN groups g ON g.id = n.group_id WHERE g.slug = 'beta' ORDER BY n.id",
            TestEngines.MariaDb => "SELECT title, hex(payload), CAST(big AS CHAR), CAST(amount AS CHAR), CAST(ratio AS CHAR), CAST(flag AS CHAR), CAST(day AS CHAR), CAST(at_time AS CHAR), CAST(local_ts AS CHAR), CAST(zoned_ts AS CHAR), CAST(token AS CHAR), CAST(doc AS CHAR) FROM notes n JOIN `groups` g ON g.id = n.group_id WHERE g.slug = 'beta' ORDER BY n.id",
            _ => "SELECT title, CASE WHEN payload IS NOT NULL THEN hex(payload) END, CAST(big AS TEXT), CASE WHEN amount IS NOT NULL THEN printf('%.15g', amount) END, CAST(ratio AS TEXT), CAST(flag AS TEXT), day, at_time, local_ts, zoned_ts, token, doc FROM notes n JOIN groups g ON g.id = n.group_id WHERE g.slug = 'beta' ORDER BY n.id",
        };
        var rows = await target.QueryAsync(sql);
        Assert.Equal(2, rows.Count);
        Assert.All(rows[1], Assert.Null);
        var expected = new List<string?>
        {
            "Ünïcödé 🚀 \"quotes\" and\nnewlines",
            target.Engine == TestEngines.Postgres ? "00ff10" : "00FF10",
            "9223372036854775807",
            // SQLite keeps DECIMAL columns as REAL (its own limit; printed with 15 digits, as SQLite versions differ in
            // how CAST prints a REAL); between PostgreSQL databases the value is exact.
            // (from SQLite, a REAL: its nearest DECIMAL(40, 10) on the other targets).
            (from, to) switch
            {
                ("postgres" or "mariadb", "postgres" or "mariadb") => "123456789012345678901234567890.0123456789",
                (_, "postgres" or "mariadb") => "123456789012345680000000000000.0000000000",
                _ => "1.23456789012346e+29",
            },
            "0.1",
            target.Engine == TestEngines.Postgres ? "true" : "1",
            "2024-02-29",
            "13:45:30",
            "2024-05-01 10:00:00.123456",
            // MariaDB's TIMESTAMP holds the instant and shows it in the session's zone (UTC here).
            (from, to) switch
            {
                ("sqlite", "sqlite") => "2024-05-01 10:00:00+02:00",
                ("postgres" or "mariadb", "sqlite") => "2024-05-01 08:00:00+00:00",
                (_, "mariadb") => "2024-05-01 08:00:00",
                _ => "2024-05-01 08:00:00+00",
            },
            CommunityFixture.Uuid3,
            """{"a": [1, 2], "b": "x"}""",
        };
        Assert.Equal(expected, rows[0].Select(v => v?.Replace("\r", "")));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_second_import_of_the_same_group_reports_every_conflict_and_writes_nothing(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        var archive = await Move.ExportAsync(source);
        await Move.ImportAsync(target, archive);
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<ConflictException>(() => Move.ImportAsync(target, archive));

        Assert.Equal(ExitCodes.Conflicts, failure.ExitCode);
        Assert.Equal(before, await target.DumpAsync());
        Assert.Contains(failure.Report.Conflicts, c => c.Table == "groups" && c.Columns.SequenceEqual(["slug"]) && c.Values.SequenceEqual(["beta"]) && c.Kind == "existing");
        Assert.Contains(failure.Report.Conflicts, c => c.Table == "conversations" && c.Values.SequenceEqual([CommunityFixture.Uuid1]));
        Assert.Equal(failure.Report.Conflicts.Count, failure.Report.ConflictCount);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_dry_run_reports_the_import_and_leaves_the_target_unchanged(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        var before = await target.DumpAsync();

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), dryRun: true);

        Assert.True(report.DryRun);
        Assert.Equal(before, await target.DumpAsync());
        Assert.Equal(3, report.Tables.Single(t => t.Name == "messages").Inserted);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_root_id_that_does_not_exist_fails_the_export(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);

        var failure = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "2,99"));

        Assert.Contains("99", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("2,", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Several_root_ids_move_together_into_an_empty_target(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, _ => "SELECT 1;");

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "1,2"));

        Assert.Equal(["alpha", "beta"], Column(await target.QueryAsync("SELECT slug FROM groups ORDER BY slug")));
        // Dan belongs to alpha now, so he comes along; Eve (gamma only) does not.
        Assert.Equal(["ann@example.org", "bob@example.org", "cat@example.org", "dan@example.org"], Column(await target.QueryAsync("SELECT email FROM users ORDER BY email")));
        // The activity at alpha's park is no longer cut: alpha is part of the move.
        Assert.Equal("Park", await target.ScalarAsync("SELECT p.name FROM activities a JOIN places p ON p.id = a.place_id WHERE a.title LIKE 'Walk%'"));
        Assert.Equal(0, report.NulledReferences);
        Assert.Equal(await source.ScalarAsync("SELECT COUNT(*) FROM messages"), await target.ScalarAsync("SELECT COUNT(*) FROM messages"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task A_wrong_password_fails_before_the_target_is_touched(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<ArchiveException>(() => Move.ImportAsync(target, Move.ExportAsync(source).Result, password: "wrong"));

        Assert.Equal("wrong password", failure.Message);
        Assert.Equal(before, await target.DumpAsync());
    }

    public static TheoryData<string, double> Truncations()
    {
        var cases = new TheoryData<string, double>();
        foreach (var engine in TestEngines.All)
        {
            cases.Add(engine, 0.5);
            cases.Add(engine, 0.98);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Truncations))]
    public async Task A_truncated_archive_leaves_the_target_unchanged(string engine, double keep)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        await Assert.ThrowsAsync<ArchiveException>(() => Move.ImportAsync(target, archive[..(int)(archive.Length * keep)]));

        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task An_archive_column_missing_in_the_target_is_named_and_nothing_is_written(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await target.ExecuteAsync("ALTER TABLE notes DROP COLUMN title; ALTER TABLE notes DROP COLUMN ratio;");
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<FerryException>(() => Move.ImportAsync(target, Move.ExportAsync(source).Result));

        Assert.Contains("notes.title", failure.Message, StringComparison.Ordinal);
        Assert.Contains("notes.ratio", failure.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_unique_key_only_the_target_has_is_checked_against_existing_and_incoming_rows(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        // A newer app version made roles unique: beta brings "member" twice, and the target already has one.
        if (engine == TestEngines.MariaDb)
        {
            await target.ExecuteAsync("ALTER TABLE memberships MODIFY role enum('member', 'organizer', 'owner') NOT NULL");
        }
        await target.ExecuteAsync("UPDATE memberships SET role = 'owner' WHERE group_id = 2; CREATE UNIQUE INDEX memberships_role ON memberships (role);");
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<ConflictException>(() => Move.ImportAsync(target, Move.ExportAsync(source).Result));

        Assert.Contains(failure.Report.Conflicts, c => c.Constraint == "memberships_role" && c.Kind == "existing" && c.Values.SequenceEqual(["member"]));
        Assert.Contains(failure.Report.Conflicts, c => c.Constraint == "memberships_role" && c.Kind == "duplicate" && c.Values.SequenceEqual(["member"]) && c.Rows == 2);
        Assert.Equal(3, failure.Report.ConflictCount);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_row_the_target_refuses_fails_the_whole_import_with_the_database_reason(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        await target.ExecuteAsync(target.Engine != TestEngines.Sqlite
            ? "ALTER TABLE notes ADD CONSTRAINT no_rockets CHECK (title NOT LIKE '%🚀%')"
            : "CREATE TRIGGER no_rockets BEFORE INSERT ON notes WHEN NEW.title LIKE '%🚀%' BEGIN SELECT RAISE(ABORT, 'no rockets'); END");
        var archive = await Move.ExportAsync(source);
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<FerryException>(() => Move.ImportAsync(target, archive));

        if (target.Engine == TestEngines.Postgres)
        {
            // PostgreSQL's CHECK is read and checked on the incoming rows before any id is drawn: the sequences too are as they were.
            Assert.Equal("1 incoming row(s) of table notes break the target's check constraint no_rockets (title !~~ '%🚀%'::text); nothing was written", failure.Message);
            Assert.Equal(before, await target.DumpAsync());
        }
        else
        {
            // SQLite's trigger, and MariaDB's CHECK whose text information_schema gives with '?' for the 🚀 (utf8mb3), are
            // the target's to apply as the rows are written.
            Assert.StartsWith("the database refused a statement (INSERT INTO ", failure.Message, StringComparison.Ordinal);
            Assert.Contains(target.Engine != TestEngines.Sqlite ? "no_rockets" : "no rockets", failure.Message, StringComparison.Ordinal);
        }
        // Every row is as it was (a sequence keeps ids an insert drew, as for any rolled-back insert of the application).
        Assert.Equal(WithoutSequences(before), WithoutSequences(await target.DumpAsync()));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Rows_with_uuid_keys_can_be_matched_to_existing_ones(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, CommunityFixture.TargetData);
        await target.ExecuteAsync($"INSERT INTO conversations (id, group_id, subject) VALUES ('{CommunityFixture.Uuid1}', 1, 'Planning')");

        // Conversations matched by subject: beta's "Planning" is the target's, and its messages join it.
        var report = await Move.ImportAsync(target, await Move.ExportAsync(source), match: ["users:email", "conversations:subject"]);

        Assert.Equal(1, report.Tables.Single(t => t.Name == "conversations").Matched);
        Assert.Equal("3", await target.ScalarAsync($"SELECT COUNT(*) FROM messages WHERE conversation_id = '{CommunityFixture.Uuid1}'"));
        Assert.Equal("1", await target.ScalarAsync($"SELECT group_id FROM conversations WHERE id = '{CommunityFixture.Uuid1}'"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Many_conflicts_are_counted_beyond_the_listed_examples(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var tags = engine == TestEngines.MariaDb
            ? "CREATE TABLE tags (id bigint unsigned PRIMARY KEY, group_id bigint unsigned NOT NULL, name varchar(100) NOT NULL UNIQUE, FOREIGN KEY (group_id) REFERENCES `groups` (id));"
            : "CREATE TABLE tags (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups (id), name TEXT NOT NULL UNIQUE);";
        string Rows(int group) => string.Join(", ", Enumerable.Range(1, 25).Select(i => $"({i}, {group}, 'tag {i}')"));
        await source.ExecuteAsync($"{tags} INSERT INTO tags (id, group_id, name) VALUES {Rows(2)};");
        await target.ExecuteAsync($"{tags} INSERT INTO tags (id, group_id, name) VALUES {Rows(1)};");
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<ConflictException>(() => Move.ImportAsync(target, Move.ExportAsync(source).Result));

        Assert.Equal(25, failure.Report.ConflictCount);
        Assert.Equal(20, failure.Report.Conflicts.Count);
        Assert.All(failure.Report.Conflicts, c => Assert.Equal(("tags", "existing"), (c.Table, c.Kind)));
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_sequence_left_behind_its_table_is_moved_past_it_before_ids_are_drawn()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("postgres", CommunityFixture.TargetData);
        // The application inserted explicit ids without moving the sequence.
        await target.ExecuteAsync("INSERT INTO messages (id, conversation_id, author_id, body) VALUES (50, '" + CommunityFixture.Uuid2 + "', 1, 'explicit'); SELECT setval(pg_get_serial_sequence('messages', 'id'), 3);");

        await Move.ImportAsync(target, await Move.ExportAsync(source));

        Assert.Equal(["51", "52", "53"], Column(await target.QueryAsync($"SELECT id FROM messages WHERE conversation_id = '{CommunityFixture.Uuid1}' ORDER BY id")));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Without_match_rules_existing_people_collide_on_their_email(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<ConflictException>(() => Move.ImportAsync(target, Move.ExportAsync(source).Result, match: ""));

        var conflict = Assert.Single(failure.Report.Conflicts);
        Assert.Equal(("users", "bob@example.org"), (conflict.Table, conflict.Values[0]));
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task An_unencrypted_archive_moves_the_same_rows(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);

        var plain = await Move.ExportAsync(source, encrypt: false);
        var refused = await Assert.ThrowsAsync<ArchiveException>(() => Move.ImportAsync(target, plain));
        Assert.Contains("--allow-plaintext", refused.Message, StringComparison.Ordinal);
        var report = await Move.ImportAsync(target, plain, allowPlaintext: true);

        Assert.Equal(3, report.Tables.Single(t => t.Name == "messages").Inserted);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Following_a_nullable_edge_makes_its_table_a_tenant_table(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);

        // Following users.current_group_id makes users owned by their current group: Dan (current group beta,
        // member of alpha only) comes along, while Bob and Cat, members of beta whose current group is elsewhere,
        // are now outside the tenant, and their NOT NULL memberships cannot be exported.
        var failure = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, follow: [("users", "current_group_id")]));

        Assert.Contains("memberships.user_id is NOT NULL", failure.Message, StringComparison.Ordinal);
        Assert.Contains("memberships 2,2 → users 2", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Excluding_a_table_cuts_the_references_into_it(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);

        // activities.place_id is nullable: excluding places sets it NULL; NOT NULL references would fail the export.
        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, exclude: ["places"]));

        Assert.DoesNotContain(report.Tables, t => t.Name == "places");
        Assert.Equal(2, report.Tables.Single(t => t.Name == "activities").NulledReferences);
        var failure = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, exclude: ["users"]));
        Assert.Contains("memberships.user_id", failure.Message, StringComparison.Ordinal);
    }

    private static string WithoutSequences(string dump) =>
        string.Join('\n', dump.Split('\n').Where(line => !line.StartsWith("sequence ", StringComparison.Ordinal)));

    private static List<string?> Column(List<string?[]> rows) => rows.Select(r => r[0]).ToList();
}
