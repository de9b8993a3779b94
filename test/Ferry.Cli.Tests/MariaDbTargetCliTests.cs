using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// MariaDB as an import's target through the command line, from every engine (SQLite, PostgreSQL, and MariaDB itself:
/// another database of the same server): the tenant lands with fresh AUTO_INCREMENT ids and its links right, the
/// application's next INSERT works, and every bad input (a conflict, a case-insensitive one included, a value the target
/// cannot hold) is a report or one <c>error:</c> line with the target unchanged.
/// </summary>
public sealed class MariaDbTargetCliTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-mariadb-target-").FullName;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, "s3cret-pass\n");
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    private async Task ExportAsync(TestDb source)
    {
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile]);
        Assert.True(export.ExitCode == 0, export.Stderr);
    }

    private Task<CliRun> ImportAsync(TestDb target, params string[] more) =>
        CliRun.RunAsync(["import", Archive, "--to", target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", .. more]);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    [InlineData("mariadb")]
    public async Task Imports_into_mariadb_with_fresh_ids_links_kept_and_counters_moved(string from)
    {
        await using var source = await TestDb.CreateAsync(from, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await ExportAsync(source);

        var dry = await ImportAsync(target, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        var import = await ImportAsync(target);
        Assert.True(import.ExitCode == 0, import.Stderr);

        // Links: the tenant's places, activities, messages (threaded, a self-reference) and the conversation's latest message.
        Assert.Equal(["Garden", "Hall"], (await target.QueryAsync("SELECT p.name FROM places p JOIN `groups` g ON g.id = p.group_id WHERE g.slug = 'beta' ORDER BY p.name")).Select(r => r[0]));
        Assert.Equal("Hall", await target.ScalarAsync("SELECT p.name FROM activities a JOIN places p ON p.id = a.place_id JOIN `groups` g ON g.id = a.group_id WHERE g.slug = 'beta' AND a.title = 'Potluck'"));
        Assert.Equal("Hi!\nSecond line, \"quoted\"", await target.ScalarAsync(
            "SELECT r.body FROM messages m JOIN messages r ON r.id = m.reply_to_id WHERE m.body = 'It''s on'"));
        Assert.Equal("It's on", await target.ScalarAsync(
            $"SELECT m.body FROM conversations c JOIN messages m ON m.id = c.latest_message_id WHERE c.id = '{CommunityFixture.Uuid1}'"));
        // Bob exists in the target: matched by email, not inserted again; Ann and Cat are new.
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM users WHERE email = 'bob@example.org'"));
        Assert.Equal(["ann@example.org", "bob@example.org", "cat@example.org"], (await target.QueryAsync(
            "SELECT u.email FROM memberships ms JOIN users u ON u.id = ms.user_id JOIN `groups` g ON g.id = ms.group_id WHERE g.slug = 'beta' ORDER BY u.email")).Select(r => r[0]));
        // Values of every type arrived as they were.
        var note = (await target.QueryAsync("SELECT n.title, HEX(n.payload), n.amount, n.flag, CAST(n.day AS CHAR), n.at_time, CAST(n.local_ts AS CHAR), CAST(n.zoned_ts AS CHAR), n.token, n.doc " +
                                            "FROM notes n JOIN `groups` g ON g.id = n.group_id WHERE g.slug = 'beta' AND n.title IS NOT NULL")).Single();
        // SQLite keeps a DECIMAL(40, 10) as a double: the source itself holds 1.2345678901234568E+29.
        var amount = from == "sqlite" ? "123456789012345680000000000000.0000000000" : "123456789012345678901234567890.0123456789";
        Assert.Equal(["Ünïcödé 🚀 \"quotes\" and\nnewlines", "00FF10", amount, "1", "2024-02-29", "13:45:30",
                      "2024-05-01 10:00:00.123456", "2024-05-01 08:00:00", CommunityFixture.Uuid3], note[..9].Select(v => v ?? "NULL"));
        Assert.Contains("\"a\"", note[9] ?? "", StringComparison.Ordinal);

        // The application's next INSERT works: every AUTO_INCREMENT counter is past the ids the import drew.
        await target.ExecuteAsync("INSERT INTO `groups` (slug, name, created_at) VALUES ('next', 'Next', '2025-01-01 00:00:00')");
        await target.ExecuteAsync("INSERT INTO places (group_id, name) VALUES (1, 'Next place')");
        await target.ExecuteAsync($"INSERT INTO messages (conversation_id, author_id, body) VALUES ('{CommunityFixture.Uuid2}', 1, 'next')");
        await target.ExecuteAsync("INSERT INTO notes (group_id, title) VALUES (1, 'next')");
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT id FROM messages GROUP BY id HAVING COUNT(*) > 1) d"));

        // The same tenant again: its places collide with themselves on (group_id, name)? No: a new group, new ids; the slug collides.
        var before = await target.DumpAsync();
        var again = await ImportAsync(target);
        Assert.Equal(ExitCodes.Conflicts, again.ExitCode);
        Assert.Contains("beta", again.Stderr + again.StdoutText, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_case_insensitive_unique_key_conflicts_case_insensitively_and_nothing_is_written()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        // utf8mb4_general_ci (the database's): 'BETA' and 'beta' are the same slug to MariaDB.
        await target.ExecuteAsync("INSERT INTO `groups` (slug, name, created_at) VALUES ('BETA', 'Beta, upper case', '2023-01-01 00:00:00')");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        Assert.Equal(ExitCodes.Conflicts, run.ExitCode);
        Assert.Contains("beta", run.Stderr + run.StdoutText, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_value_the_target_column_cannot_hold_is_one_error_line_and_nothing_is_written()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        // SQLite holds any text; the target's enum does not take this role.
        await source.ExecuteAsync("UPDATE memberships SET role = 'owner' WHERE group_id = 2 AND user_id = 1");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        // Refused by Ferry before anything is staged further, not by MariaDB in the middle of the inserts.
        run.AssertFails(ExitCodes.Failure, "a value does not fit the target: table memberships, column role, row 1 of the archive: " +
                                           "'owner' is not one of the column's members (allowed: 'member', 'organizer'); nothing was written");
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [InlineData("enum('member', 'organizer')", "Member", "'Member' is not one of the column's members (allowed: 'member', 'organizer')")]
    [InlineData("set('member', 'organizer')", "organizer,admin,guest",
        "'organizer,admin,guest' is a set of members holding 'admin', 'guest', which the column's set does not have (allowed: 'member', 'organizer')")]
    public async Task A_member_the_enum_or_set_lacks_is_refused_exactly_before_anything_is_written(string type, string role, string text)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await target.ExecuteAsync($"ALTER TABLE memberships MODIFY role {type} NOT NULL");
        // MariaDB would store 'Member' as the member 'member' of its case-insensitive enum: not the value that was sent.
        await source.ExecuteAsync($"UPDATE memberships SET role = '{role}' WHERE group_id = 2 AND user_id = 1");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        run.AssertFails(ExitCodes.Failure, text);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_set_takes_its_members_in_any_order()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await target.ExecuteAsync("ALTER TABLE memberships MODIFY role set('member', 'organizer') NOT NULL");
        await source.ExecuteAsync("UPDATE memberships SET role = 'organizer,member' WHERE group_id = 2 AND user_id = 1");
        await ExportAsync(source);

        var run = await ImportAsync(target);

        Assert.True(run.ExitCode == 0, run.Stderr);
        // Bob (matched, 1), then Ann and Cat (new): Ann's roles in the column's own order.
        Assert.Equal(["member", "member,organizer", "member"], (await target.QueryAsync(
            "SELECT ms.role FROM memberships ms JOIN `groups` g ON g.id = ms.group_id WHERE g.slug = 'beta' ORDER BY ms.user_id")).Select(r => r[0]));
    }

    [Fact]
    public async Task Text_a_latin1_column_cannot_store_is_one_error_line_and_a_euro_sign_is_stored()
    {
        await using var source = await TestDb.CreateAsync("postgres", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await target.ExecuteAsync("ALTER TABLE `groups` MODIFY name text CHARACTER SET latin1 NOT NULL");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        // Beta's name is 'Beta ☕': latin1 has no cup of coffee, and MariaDB would refuse it in the middle of the inserts (strict mode) or store '?'.
        run.AssertFails(ExitCodes.Failure, "a value does not fit the target: table groups, column name: 'Beta ☕' holds ☕ (U+2615), which the column " +
                                           "(text COLLATE latin1_swedish_ci) cannot store: it would be written as 'Beta ?'; nothing was written");
        Assert.Equal(before, await target.DumpAsync());

        // MariaDB's latin1 is Windows-1252, which has the euro sign (ISO 8859-1 has not).
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta € Œuvre' WHERE slug = 'beta'");
        File.Delete(Archive);
        await ExportAsync(source);
        var again = await ImportAsync(target);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal("Beta € Œuvre 80", await target.ScalarAsync("SELECT CONCAT(name, ' ', HEX(SUBSTRING(name, 6, 1))) FROM `groups` WHERE slug = 'beta'"));
    }

    [Fact]
    public async Task A_date_mariadb_cannot_hold_is_one_error_line_and_nothing_is_written()
    {
        await using var source = await TestDb.CreateAsync("postgres", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await source.ExecuteAsync("UPDATE notes SET day = '0044-03-15 BC' WHERE id = 1");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        run.AssertFails(ExitCodes.Failure, "'0044-03-15 BC' is a date MariaDB cannot hold");
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task Incoming_rows_that_differ_only_in_case_are_duplicates_in_a_case_insensitive_key()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        // SQLite's UNIQUE (group_id, name) compares exactly; the target's VARCHAR in utf8mb4_general_ci does not.
        await source.ExecuteAsync("INSERT INTO places (id, group_id, name) VALUES (10, 2, 'HALL')");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        Assert.Equal(ExitCodes.Conflicts, run.ExitCode);
        Assert.Contains("places", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_fill_transform_completes_a_column_the_archive_lacks()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await target.ExecuteAsync("ALTER TABLE `groups` ADD COLUMN visibility varchar(20) NULL");
        var profile = Path.Combine(_dir, "fill.yaml");
        await File.WriteAllTextAsync(profile, "transforms:\n  - {fill: groups.visibility, sql: \"CASE WHEN slug = 'beta' THEN 'public' ELSE 'members' END\"}\n");
        await ExportAsync(source);

        var run = await ImportAsync(target, "--profile", profile);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("beta:public", await target.ScalarAsync("SELECT slug || ':' || visibility FROM `groups` WHERE slug = 'beta'"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM `groups` WHERE slug <> 'beta' AND visibility = 'public'"));
    }

    [Fact]
    public Task A_fill_expression_the_target_refuses_is_one_error_line_naming_its_profile_line_and_nothing_is_written() =>
        AssertFillFailsAsync("no_such_function(slug)", "error: profile fill.yaml:2: the transform failed on the target");

    [Fact]
    public Task A_column_named_as_the_staged_row_number_is_one_error_line_and_nothing_is_written() =>
        AssertFillFailsAsync("'members'", "error: table groups has a column named ferry_stage_row", "ferry_stage_row");

    // A fill of groups.visibility (a column the target gained) with the expression fails with the error, the target
    // unchanged; with extraColumn, groups has that column on both sides.
    private async Task AssertFillFailsAsync(string expression, string error, string? extraColumn = null)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        if (extraColumn is not null)
        {
            await source.ExecuteAsync($"ALTER TABLE groups ADD COLUMN {extraColumn} INTEGER");
            await target.ExecuteAsync($"ALTER TABLE `groups` ADD COLUMN {extraColumn} bigint NULL");
        }
        await target.ExecuteAsync("ALTER TABLE `groups` ADD COLUMN visibility varchar(20) NULL");
        var profile = Path.Combine(_dir, "fill.yaml");
        await File.WriteAllTextAsync(profile, $"transforms:\n  - {{fill: groups.visibility, sql: \"{expression}\"}}\n");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target, "--profile", profile);

        run.AssertFails(ExitCodes.Failure, error);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_negative_number_for_an_unsigned_column_is_one_error_line_and_nothing_is_written()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await target.ExecuteAsync("ALTER TABLE notes MODIFY big bigint unsigned");
        await source.ExecuteAsync("UPDATE notes SET big = -5 WHERE id = 1");
        await ExportAsync(source);
        var before = await target.DumpAsync();

        var run = await ImportAsync(target);

        run.AssertFails(ExitCodes.Failure, "out of the range of bigint(20) unsigned");
        Assert.Equal(before, await target.DumpAsync());
    }

    /// <summary>
    /// A polymorphic relation's keys are rewritten in the staged rows before any row is written, with the ids the key maps
    /// expect; on MariaDB the insert draws the ids, and an application inserting into the table meanwhile moves them (here
    /// a trigger, deterministically): the import stops instead of writing marks that point at the wrong card.
    /// </summary>
    [Fact]
    public async Task A_polymorphic_reference_into_ids_the_application_moved_during_the_import_stops_it()
    {
        await using var source = await TestDb.CreateAsync("sqlite", _ => """
            CREATE TABLE boards (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
            CREATE TABLE cards (id INTEGER PRIMARY KEY, board_id INTEGER NOT NULL, title TEXT NOT NULL);
            CREATE TABLE marks (id INTEGER PRIMARY KEY, board_id INTEGER NOT NULL, target_type TEXT NOT NULL, target_id INTEGER NOT NULL);
            """, _ => """
            INSERT INTO boards VALUES (1, 'board');
            INSERT INTO cards VALUES (1, 1, 'first card'), (2, 1, 'second card');
            INSERT INTO marks VALUES (1, 1, 'Card', 2), (2, 1, 'Board', 1);
            """);
        await using var target = await TestDb.CreateAsync("mariadb", _ => """
            CREATE TABLE boards (id int unsigned AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL) ENGINE=InnoDB;
            CREATE TABLE cards (id int unsigned AUTO_INCREMENT PRIMARY KEY, board_id int unsigned NOT NULL, title varchar(50) NOT NULL) ENGINE=InnoDB;
            CREATE TABLE marks (id int unsigned AUTO_INCREMENT PRIMARY KEY, board_id int unsigned NOT NULL, target_type varchar(10) NOT NULL, target_id int unsigned NOT NULL) ENGINE=InnoDB;
            """, _ => """
            INSERT INTO boards VALUES (1, 'theirs');
            INSERT INTO cards VALUES (1, 1, 'their card');
            CREATE TRIGGER app_after_board AFTER INSERT ON boards FOR EACH ROW BEGIN
              INSERT INTO cards (board_id, title) VALUES (0, 'by the app'); DELETE FROM cards WHERE board_id = 0;
            END;
            """);
        var profile = Path.Combine(_dir, "boards.yaml");
        await File.WriteAllTextAsync(profile, """
            root: boards
            relations:
              - {from: cards.board_id, to: boards, owns: true}
              - {from: marks.board_id, to: boards, owns: true}
              - {from: marks.target_id, type_column: target_type, types: {Card: cards, Board: boards}}
            """);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--ids", "1", "--profile", profile, "-o", Archive, "--password-file", _passwordFile]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = await target.DumpAsync();

        var run = await CliRun.RunAsync(["import", Archive, "--to", target.ConnectionString, "--password-file", _passwordFile, "--profile", profile]);

        run.AssertFails(ExitCodes.Failure, "the ids drawn for cards start at 3, not at 2 as its key map expected: another session inserted into it during the import, " +
                                           "and marks.target_id (a polymorphic relation) was already rewritten with the expected ids; nothing was written: import again");
        // Rows as they were; the cards' counter stays past the id the application's insert drew (InnoDB gives none back).
        Assert.Equal(before.Replace("table cards auto_increment 2", "table cards auto_increment 3", StringComparison.Ordinal), await target.DumpAsync());

        // Without an application writing meanwhile, each mark points at its own card and board.
        await target.ExecuteAsync("DROP TRIGGER app_after_board");
        var again = await CliRun.RunAsync(["import", Archive, "--to", target.ConnectionString, "--password-file", _passwordFile, "--profile", profile]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(["Board board", "Card second card"], (await target.QueryAsync(
            "SELECT CONCAT(m.target_type, ' ', COALESCE(c.title, b.name)) FROM marks m LEFT JOIN cards c ON m.target_type = 'Card' AND c.id = m.target_id " +
            "LEFT JOIN boards b ON m.target_type = 'Board' AND b.id = m.target_id ORDER BY 1")).Select(r => r[0]));
    }

    [Fact]
    public async Task Serve_imports_a_push_into_mariadb()
    {
        await using var source = await TestDb.CreateAsync("postgres", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync("mariadb", CommunityFixture.TargetData);
        await ExportAsync(source);
        await using var serve = await ServeHost.StartAsync(_dir, target.ConnectionString, "127.0.0.1/32", []);

        var push = await CliRun.RunAsync(["push", Archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint, "--match", "users:email"],
            null, new() { ["FERRY_PASSWORD"] = "s3cret-pass" });

        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Contains("Import complete", push.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await serve.StopAsync());
        Assert.Equal(["Garden", "Hall"], (await target.QueryAsync("SELECT p.name FROM places p JOIN `groups` g ON g.id = p.group_id WHERE g.slug = 'beta' ORDER BY p.name")).Select(r => r[0]));
    }
}
