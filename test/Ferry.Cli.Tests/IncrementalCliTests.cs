using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 16's incremental export through the command line, on every engine (source and target the same engine): a whole
/// export imported, edits at the source (a row whose changed-at column advanced, new rows, a new row pointing at a row that
/// did not change, deleted rows), <c>export --since first.archive</c>, and <c>import --update --sync</c> of the incremental
/// archive gives the target a full re-import would; a second run writes nothing; a target without the base and an import
/// without <c>--update</c> are refused with one line and an unchanged target.
/// </summary>
public sealed class IncrementalCliTests() : CliScratch("ferry-since-")
{
    private static readonly string[] AppTables =
        ["groups", "users", "memberships", "places", "activities", "activity_participants", "conversations", "messages"];

    private string ProfilePath => Path.Combine(Dir, "community.yaml");

    private string Profile()
    {
        var path = ProfilePath;
        File.WriteAllText(path, "root: groups\nchanged:\n  activities: changed_at\n");
        return path;
    }

    private static async Task<TestDb> WithChangedAtAsync(TestDb db)
    {
        var type = db.Engine switch { TestEngines.MariaDb => "datetime(6)", TestEngines.Postgres => "timestamp", _ => "TIMESTAMP" };
        await db.ExecuteAsync($"ALTER TABLE activities ADD COLUMN changed_at {type}");
        await db.ExecuteAsync("UPDATE activities SET changed_at = '2020-01-01 00:00:00'");
        return db;
    }

    /// <summary>
    /// The source (with activity 5 added), the target and a second target that import its full exports, a third target
    /// that never imports the base, every one with activities.changed_at; and the options of an update (the same on
    /// every engine: --update --sync).
    /// </summary>
    private async Task<(TestDb Source, TestDb Target, TestDb Full, TestDb Other, string[] Sync)> UpdateScenarioAsync(string engine)
    {
        var source = Keep(await WithChangedAtAsync(await TestDb.CreateAsync(engine, CommunityFixture.SourceData)));
        var target = Keep(await WithChangedAtAsync(await TestDb.CreateAsync(engine, CommunityFixture.TargetData)));
        var full = Keep(await WithChangedAtAsync(await TestDb.CreateAsync(engine, CommunityFixture.TargetData)));
        var other = Keep(await WithChangedAtAsync(await TestDb.CreateAsync(engine, CommunityFixture.TargetData)));
        string[] sync = ["--update", "--sync"];
        Profile();
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title, changed_at) VALUES (5, 2, 2, 'Quiz', '2020-01-01 00:00:00')");
        return (source, target, full, other, sync);
    }

    private string[] ExportArgs(TestDb source, string archive, string[] more) =>
        ["export", "--from", source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", archive, "--profile", ProfilePath, .. more];

    private string[] ImportArgs(TestDb into, string archive, string[] more) =>
        ["import", archive, "--to", into.ConnectionString, "--allow-plaintext", "--match", "users:email", "--profile", ProfilePath, .. more];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task An_incremental_archive_updates_a_target_as_a_full_export_would_and_only_where_its_base_was_imported(string engine)
    {
        var (source, target, full, other, sync) = await UpdateScenarioAsync(engine);
        var first = Path.Combine(Dir, $"first-{engine}.tar.gz");
        var second = Path.Combine(Dir, $"second-{engine}.tar.gz");
        var third = Path.Combine(Dir, $"third-{engine}.tar.gz");
        var report = Path.Combine(Dir, $"report-{engine}.json");
        string[] Export(string archive, params string[] more) => ExportArgs(source, archive, more);
        string[] Import(TestDb into, string archive, params string[] more) => ImportArgs(into, archive, more);

        (await CliRun.RunAsync(Export(first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(target, first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(full, first))).AssertSucceeds();

        // At the source: one activity edited (its changed-at advanced), one new with a participant, a new participant of an
        // activity that did not change, one activity deleted with its participants.
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (moved)', changed_at = '2099-01-01 00:00:00' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title, changed_at) VALUES (10, 2, 3, 'Harvest', '2099-01-01 00:00:00')");
        await source.ExecuteAsync("INSERT INTO activity_participants (activity_id, user_id) VALUES (10, 1), (5, 4)");
        await source.ExecuteAsync("DELETE FROM activity_participants WHERE activity_id = 2");
        await source.ExecuteAsync("DELETE FROM activities WHERE id = 2");

        var export = await CliRun.RunAsync(Export(second, "--since", first));
        export.AssertSucceeds();
        Assert.Contains("Export complete (incremental since", export.Stderr, StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(Member(second, "manifest.json")).RootElement;
        Assert.Equal(4, manifest.GetProperty("formatVersion").GetInt32());
        Assert.Equal(JsonDocument.Parse(Member(first, "manifest.json")).RootElement.GetProperty("exportId").GetString(),
            manifest.GetProperty("incremental").GetProperty("base").GetString());
        // Activities: 1 and 10 whole, 5 as its key only.
        Assert.Equal("[5]\n", Keys(second, "activities"));
        (await CliRun.RunAsync(Export(third))).AssertSucceeds();

        // Without --update: a usage error; into a target without the base: one error line; both leave the target as it was.
        var before = await target.DumpAsync();
        (await CliRun.RunAsync(Import(target, second))).AssertFails(2, "error: this archive is incremental");
        var otherBefore = await other.DumpAsync();
        (await CliRun.RunAsync(Import(other, second, sync))).AssertFails(1, "and the target's ledger holds no import of its base, export");
        Assert.Equal(otherBefore, await other.DumpAsync());
        Assert.Equal(before, await target.DumpAsync());

        var done = await CliRun.RunAsync(Import(target, second, [.. sync, "--report", report]));
        done.AssertSucceeds();
        Assert.Empty(done.ErrorLines);
        (await CliRun.RunAsync(Import(full, third, sync))).AssertSucceeds();
        foreach (var table in AppTables)
        {
            Assert.Equal(await RowsAsync(full, table), await RowsAsync(target, table));
        }
        Assert.Equal(["Harvest", "Potluck (moved)", "Quiz"], (await target.QueryAsync(
            "SELECT title FROM activities WHERE group_id = (SELECT id FROM groups WHERE slug = 'beta') ORDER BY title")).Select(r => r[0] ?? "NULL").ToArray());
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var activities = json.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "activities");
            Assert.Equal((1, 1, 1), (activities.GetProperty("inserted").GetInt32(), activities.GetProperty("updated").GetInt32(),
                activities.GetProperty("unchanged").GetInt32()));
            Assert.Equal(1, activities.TryGetProperty("deleted", out var deleted) ? deleted.GetInt32() : 0);
        }

        var after = await target.DumpAsync();
        var again = await CliRun.RunAsync(Import(target, second, sync));
        again.AssertSucceeds();
        Assert.Contains("Nothing changed since the last import: nothing was written", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(after, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_key_row_the_target_deleted_is_an_error_and_a_ledger_of_an_earlier_ferry_is_upgraded(string engine)
    {
        var source = Keep(await WithChangedAtAsync(await TestDb.CreateAsync(engine, CommunityFixture.SourceData)));
        var target = Keep(await WithChangedAtAsync(await TestDb.CreateAsync(engine, CommunityFixture.TargetData)));
        var profile = Profile();
        var first = Path.Combine(Dir, $"first-{engine}.tar.gz");
        var second = Path.Combine(Dir, $"second-{engine}.tar.gz");
        var third = Path.Combine(Dir, $"third-{engine}.tar.gz");
        string[] Export(string archive, params string[] more) =>
            ["export", "--from", source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", archive, "--profile", profile, .. more];
        string[] Import(string archive) =>
            ["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", "--profile", profile, "--update"];
        (await CliRun.RunAsync(Export(first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(first))).AssertSucceeds();
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (moved)', changed_at = '2099-01-01 00:00:00' WHERE id = 1");
        (await CliRun.RunAsync(Export(second, "--since", first))).AssertSucceeds();

        // The walk (unchanged at the source, a key row) was deleted in the target: the archive cannot write it again.
        var walk = await target.ScalarAsync("SELECT id FROM activities WHERE title LIKE 'Walk%'");
        await target.ExecuteAsync($"DELETE FROM activity_participants WHERE activity_id = {walk}");
        await target.ExecuteAsync($"DELETE FROM activities WHERE id = {walk}");
        var before = await target.DumpAsync();
        (await CliRun.RunAsync(Import(second))).AssertFails(1,
            "error: this incremental archive carries the rows unchanged since its base as their keys only, and the target does not hold these as its ledger recorded them " +
            "(deleted in the target since, or never imported): 1 activities row(s) (id = 2); nothing was written");
        Assert.Equal(before, await target.DumpAsync());

        // A ledger written before export ids existed: the next import adds the columns and records its export.
        foreach (var column in new[] { "export_id", "complete_before" })
        {
            await target.ExecuteAsync($"ALTER TABLE ferry_ledger_imports DROP COLUMN {column}");
        }
        (await CliRun.RunAsync(Import(second))).AssertFails(1, "and the target's ledger holds no import of its base");
        (await CliRun.RunAsync(Export(third))).AssertSucceeds();
        (await CliRun.RunAsync(Import(third))).AssertSucceeds();
        var id = JsonDocument.Parse(Member(third, "manifest.json")).RootElement.GetProperty("exportId").GetString();
        Assert.Equal(id, await target.ScalarAsync("SELECT export_id FROM ferry_ledger_imports WHERE import_no = (SELECT MAX(import_no) FROM ferry_ledger_imports)"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_imports WHERE export_id IS NULL"));
    }

    [Fact]
    public async Task On_mariadb_complete_before_is_no_later_than_the_start_of_a_transaction_still_running_and_the_clock_without_process_privilege()
    {
        var source = Keep(await WithChangedAtAsync(await TestDb.CreateAsync("mariadb", CommunityFixture.SourceData)));
        var profile = Profile();
        var archive = Path.Combine(Dir, "open-transaction.tar.gz");
        // A role that may read the database but not see other sessions' transactions (no PROCESS privilege).
        var user = $"ferry_np_{Guid.NewGuid():N}"[..24];
        await source.ExecuteAsync($"CREATE USER '{user}'@'%' IDENTIFIED BY 'np-pass'");
        try
        {
            await source.ExecuteAsync($"GRANT SELECT, SHOW VIEW, CREATE TEMPORARY TABLES ON `{await source.ScalarAsync("SELECT DATABASE()")}`.* TO '{user}'@'%'");
            await using var open = await source.OpenMariaDbConnectionAsync();
            await using var transaction = await open.BeginTransactionAsync();
            // The application's transaction writes a changed-at value of its own clock, and commits after the export.
            await using (var write = new MySqlConnector.MySqlCommand("UPDATE activities SET title = 'Potluck (late)', changed_at = UTC_TIMESTAMP(6) WHERE id = 1", open, transaction))
            {
                await write.ExecuteNonQueryAsync();
            }
            await using var command = new MySqlConnector.MySqlCommand("SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%dT%H:%i:%s.%fZ')", open, transaction);
            var started = DateTimeOffset.Parse((string)(await command.ExecuteScalarAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            await ExportsBeforeAsync(source, profile, archive, started);

            // Without the privilege the export still succeeds, with the clock alone (docs/reimport.md).
            var plain = Path.Combine(Dir, "no-process.tar.gz");
            (await CliRun.RunAsync(["export", "--from", source.UrlAs(user, "np-pass"), "--ids", "2", "--no-encrypt", "-o", plain, "--profile", profile])).AssertSucceeds();
            var clock = JsonDocument.Parse(Member(plain, "manifest.json")).RootElement.GetProperty("completeBefore").GetDateTimeOffset();
            Assert.True(clock > started.AddSeconds(1), $"completeBefore {clock:O} without PROCESS is not the clock (the transaction started {started:O})");
            await transaction.RollbackAsync();
        }
        finally
        {
            await source.ExecuteAsync($"DROP USER '{user}'@'%'");
        }
    }

    [Fact]
    public async Task On_postgres_complete_before_is_no_later_than_the_start_of_a_transaction_still_running()
    {
        var source = Keep(await WithChangedAtAsync(await TestDb.CreateAsync("postgres", CommunityFixture.SourceData)));
        var profile = Profile();
        var archive = Path.Combine(Dir, "open-transaction.tar.gz");
        await using var open = await source.OpenPostgresConnectionAsync();
        await using var transaction = await open.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", open, transaction))
        {
            var started = DateTimeOffset.Parse((string)(await command.ExecuteScalarAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            await ExportsBeforeAsync(source, profile, archive, started);
        }
        await transaction.RollbackAsync();
    }

    // A second later, an export whose completeBefore is no later than the start of the transaction still open.
    private async Task ExportsBeforeAsync(TestDb source, string profile, string archive, DateTimeOffset started)
    {
        await Task.Delay(1100);
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", archive, "--profile", profile])).AssertSucceeds();
        var manifest = JsonDocument.Parse(Member(archive, "manifest.json")).RootElement;
        var before = manifest.GetProperty("completeBefore").GetDateTimeOffset();
        Assert.True(before <= started, $"completeBefore {before:O} is after the open transaction's start {started:O}");
        Assert.True(manifest.GetProperty("createdAt").GetDateTimeOffset() - before >= TimeSpan.FromSeconds(1));

        // A time given by hand after that start, though before the clock, is refused: rows the transaction changed
        // before it may commit later, and no export since it would carry them. A time before the start is taken.
        string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var since = Path.Combine(Dir, "since-open.tar.gz");
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", since, "--profile", profile,
            "--since", At(started.AddMilliseconds(500))])).AssertFails(2, "another session has had a transaction open on the source since ");
        Assert.False(File.Exists(since));
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", since, "--profile", profile,
            "--since", At(started.AddSeconds(-2))])).AssertSucceeds();
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task An_archive_since_a_time_updates_a_target_whose_ledger_covers_that_time_as_a_full_export_would(string engine)
    {
        var (source, target, full, other, sync) = await UpdateScenarioAsync(engine);
        var first = Path.Combine(Dir, $"first-{engine}.tar.gz");
        var late = Path.Combine(Dir, $"late-{engine}.tar.gz");
        var second = Path.Combine(Dir, $"second-{engine}.tar.gz");
        var third = Path.Combine(Dir, $"third-{engine}.tar.gz");
        string[] Export(string archive, params string[] more) => ExportArgs(source, archive, more);
        string[] Import(TestDb into, string archive, params string[] more) => ImportArgs(into, archive, more);

        (await CliRun.RunAsync(Export(first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(target, first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(full, first))).AssertSucceeds();
        // A time after the first export's completeBefore: the target's ledger does not cover the changes before it.
        await Task.Delay(1100);
        var afterFirst = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (moved)', changed_at = '2099-01-01 00:00:00' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title, changed_at) VALUES (10, 2, 3, 'Harvest', '2099-01-01 00:00:00')");
        await source.ExecuteAsync("INSERT INTO activity_participants (activity_id, user_id) VALUES (10, 1), (5, 4)");
        await source.ExecuteAsync("DELETE FROM activity_participants WHERE activity_id = 2");
        await source.ExecuteAsync("DELETE FROM activities WHERE id = 2");

        (await CliRun.RunAsync(Export(second, "--since", "yesterday"))).AssertFails(2, "error: --since yesterday: no such archive file, and not an ISO 8601 time with a zone");
        (await CliRun.RunAsync(Export(second, "--since", "2999-01-01T00:00:00Z"))).AssertFails(2, "is later than the source's clock");
        Assert.False(File.Exists(second));
        (await CliRun.RunAsync(Export(late, "--since", afterFirst))).AssertSucceeds();
        (await CliRun.RunAsync(Export(second, "--since", "2021-01-01T00:00:00Z"))).AssertSucceeds();
        var manifest = JsonDocument.Parse(Member(second, "manifest.json")).RootElement;
        Assert.Equal(4, manifest.GetProperty("formatVersion").GetInt32());
        Assert.Equal(JsonValueKind.Null, manifest.GetProperty("incremental").GetProperty("base").ValueKind);
        Assert.Equal("[5]\n", Keys(second, "activities"));
        (await CliRun.RunAsync(Export(third))).AssertSucceeds();

        var before = await target.DumpAsync();
        (await CliRun.RunAsync(Import(target, second))).AssertFails(2, "error: this archive is incremental");
        (await CliRun.RunAsync(Import(target, late, sync))).AssertFails(1, $"and the target's ledger holds no import of the tenant exported (complete) at or after {afterFirst[..^1]}.000000Z");
        Assert.Equal(before, await target.DumpAsync());
        var otherBefore = await other.DumpAsync();
        (await CliRun.RunAsync(Import(other, second, sync))).AssertFails(1, "and the target's ledger holds no import of the tenant exported (complete) at or after 2021-01-01T00:00:00");
        Assert.Equal(otherBefore, await other.DumpAsync());

        var done = await CliRun.RunAsync(Import(target, second, sync));
        done.AssertSucceeds();
        Assert.Empty(done.ErrorLines);
        (await CliRun.RunAsync(Import(full, third, sync))).AssertSucceeds();
        foreach (var table in AppTables)
        {
            Assert.Equal(await RowsAsync(full, table), await RowsAsync(target, table));
        }
        Assert.Contains("Harvest", (await target.QueryAsync("SELECT title FROM activities")).Select(r => r[0]));

        var after = await target.DumpAsync();
        var again = await CliRun.RunAsync(Import(target, second, sync));
        again.AssertSucceeds();
        Assert.Contains("Nothing changed since the last import: nothing was written", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(after, await target.DumpAsync());
    }

    [Fact]
    public async Task Export_since_refuses_another_tenants_archive_a_bad_time_and_a_time_after_the_source_clock()
    {
        var source = Keep(await WithChangedAtAsync(await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData)));
        var profile = Profile();
        var first = Path.Combine(Dir, "alpha.tar.gz");
        var second = Path.Combine(Dir, "second.tar.gz");
        string[] Export(string ids, string archive, params string[] more) =>
            ["export", "--from", source.ConnectionString, "--ids", ids, "--no-encrypt", "-o", archive, "--profile", profile, .. more];
        (await CliRun.RunAsync(Export("1", first))).AssertSucceeds();

        (await CliRun.RunAsync(Export("2", second, "--since", first))).AssertFails(2, "that archive holds tenant");
        (await CliRun.RunAsync(Export("2", second, "--since", "yesterday"))).AssertFails(2, "error: --since yesterday: no such archive file, and not an ISO 8601 time with a zone");
        (await CliRun.RunAsync(Export("2", second, "--since", "2026-01-01T00:00:00"))).AssertFails(2, "give the time with its zone");
        (await CliRun.RunAsync(Export("2", second, "--since", "2999-01-01T00:00:00Z"))).AssertFails(2, "is later than the source's clock");
        Assert.False(File.Exists(second));

        var since = await CliRun.RunAsync(Export("2", second, "--since", "2021-01-01T00:00:00+02:00"));
        since.AssertSucceeds();
        var manifest = JsonDocument.Parse(Member(second, "manifest.json")).RootElement;
        Assert.Equal(JsonValueKind.Null, manifest.GetProperty("incremental").GetProperty("base").ValueKind);
        Assert.Equal("[1]\n[2]\n", Keys(second, "activities"));
    }

    // The first key member of a table, whatever its number in the load order.
    private static string Keys(string archive, string table) => Member(archive, name => name.StartsWith("keys/", StringComparison.Ordinal) && name.EndsWith($"-{table}/000001.jsonl", StringComparison.Ordinal));

    private static string Member(string archive, string name) => Member(archive, n => n == name);

    private static async Task<string[]> RowsAsync(TestDb db, string table) =>
        (await db.QueryAsync($"SELECT * FROM {db.Quote(table)} ORDER BY 1, 2")).Select(r => string.Join("|", r)).ToArray();

    private static string Member(string archive, Func<string, bool> named)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            if (named(entry.Name))
            {
                using var reader = new StreamReader(entry.DataStream!);
                return reader.ReadToEnd();
            }
        }
        throw new InvalidOperationException($"{archive} has no such member");
    }
}
