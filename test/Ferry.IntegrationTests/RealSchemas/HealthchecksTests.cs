using Ferry.Planning;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// Healthchecks, a Django app (<c>Schemas/healthchecks-*.sql</c>, the tables its migrations create on
/// each engine): one project, with its checks, pings, flips, channels, their many-to-many checks,
/// notifications and members, moves into a live instance with users of its own, one of them the
/// project's owner under an e-mail in another case. Django's style differs from Pagila's: identity and
/// AUTOINCREMENT keys, every foreign key DEFERRABLE INITIALLY DEFERRED, no database defaults. The
/// target is then usable: a normal INSERT into every table works, every foreign key holds, and the
/// project reads the same as in the source.
/// </summary>
public sealed class HealthchecksTests
{
    // Project 3 is Bob's first project; the target knows Bob as BOB@example.org.
    private const string Moved = "3";

    private static string Project(bool postgres, string code) => $"(SELECT \"id\" FROM \"accounts_project\" WHERE \"code\" = '{code}')";

    // The project by natural keys (codes, e-mails, times), as each engine writes it.
    private static string[] Projections(bool postgres)
    {
        // SQLite's hex(NULL) is '', MariaDB's NULL: a NULL body reads as NULL on both.
        var hex = postgres ? "encode(p.\"body_raw\", 'hex')" : "CASE WHEN p.\"body_raw\" IS NOT NULL THEN lower(hex(p.\"body_raw\")) END";
        string T(string e) => postgres ? $"({e})::text" : $"CAST({e} AS TEXT)";
        return
        [
            $"SELECT pr.\"name\" || '|' || pr.\"badge_key\" || '|' || COALESCE(pr.\"ping_key\", '-') || '|' || lower(u.\"email\") || '|' || {T("pr.\"show_slugs\"")} " +
            "FROM \"accounts_project\" pr JOIN \"auth_user\" u ON u.\"id\" = pr.\"owner_id\" WHERE pr.\"id\" = {0}",
            "SELECT lower(u.\"email\") || '|' || m.\"role\" FROM \"accounts_member\" m JOIN \"auth_user\" u ON u.\"id\" = m.\"user_id\" WHERE m.\"project_id\" = {0}",
            $"SELECT {T("c.\"code\"")} || '|' || c.\"name\" || '|' || c.\"slug\" || '|' || c.\"desc\" || '|' || c.\"kind\" || '|' || {T("c.\"timeout\"")} || '|' || " +
            $"{T("c.\"grace\"")} || '|' || c.\"status\" || '|' || {T("c.\"n_pings\"")} || '|' || {T("c.\"badge_key\"")} || '|' || COALESCE({T("c.\"last_duration\"")}, '-') " +
            "FROM \"api_check\" c WHERE c.\"project_id\" = {0}",
            $"SELECT {T("c.\"code\"")} || '|' || {T("p.\"n\"")} || '|' || {T("p.\"created\"")} || '|' || COALESCE(p.\"kind\", '-') || '|' || {T("p.\"remote_addr\"")} || '|' || " +
            $"p.\"method\" || '|' || COALESCE({hex}, '-') || '|' || COALESCE({T("p.\"exitstatus\"")}, '-') || '|' || COALESCE({T("p.\"rid\"")}, '-') " +
            "FROM \"api_ping\" p JOIN \"api_check\" c ON c.\"id\" = p.\"owner_id\" WHERE c.\"project_id\" = {0}",
            $"SELECT {T("c.\"code\"")} || '|' || {T("f.\"created\"")} || '|' || COALESCE({T("f.\"processed\"")}, '-') || '|' || f.\"new_status\" " +
            "FROM \"api_flip\" f JOIN \"api_check\" c ON c.\"id\" = f.\"owner_id\" WHERE c.\"project_id\" = {0}",
            $"SELECT {T("h.\"code\"")} || '|' || h.\"kind\" || '|' || h.\"value\" || '|' || {T("h.\"last_notify_duration\"")} FROM \"api_channel\" h WHERE h.\"project_id\" = {{0}}",
            $"SELECT {T("h.\"code\"")} || '|' || {T("c.\"code\"")} FROM \"api_channel_checks\" x JOIN \"api_channel\" h ON h.\"id\" = x.\"channel_id\" " +
            "JOIN \"api_check\" c ON c.\"id\" = x.\"check_id\" WHERE h.\"project_id\" = {0} AND c.\"project_id\" = {0}",
            $"SELECT {T("n.\"code\"")} || '|' || {T("h.\"code\"")} || '|' || COALESCE({T("c.\"code\"")}, '-') || '|' || n.\"error\" FROM \"api_notification\" n " +
            "JOIN \"api_channel\" h ON h.\"id\" = n.\"channel_id\" LEFT JOIN \"api_check\" c ON c.\"id\" = n.\"owner_id\" WHERE h.\"project_id\" = {0}",
        ];
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task One_project_moves_into_a_live_instance_that_stays_usable(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(engine, HealthchecksData.Schema, e => HealthchecksData.Source(e == TestEngines.Postgres));
        await using var target = await TestDb.CreatePerEngineAsync(engine, HealthchecksData.Schema, e => HealthchecksData.Target(e == TestEngines.Postgres));
        var postgres = engine == TestEngines.Postgres;
        var code = await source.ScalarAsync($"SELECT \"code\" FROM \"accounts_project\" WHERE \"id\" = {Moved}");
        var theirs = await ProjectAsync(target, postgres, "1", "2", "3");
        var usersBefore = await target.ScalarAsync("SELECT COUNT(*) FROM \"auth_user\"");

        var report = await PlanAsync(source, "accounts_project", Moved);
        var exported = await ExportAsync(source, "accounts_project", Moved);
        var imported = await ImportAsync(target, exported.Archive, match: "auth_user:email/i");

        var roles = report.Tables.ToDictionary(t => t.Name, t => t.Role);
        Assert.All(["accounts_member", "api_check", "api_ping", "api_flip", "api_channel", "api_channel_checks", "api_notification"],
            t => Assert.Equal(PlanRole.Owned, roles[t]));
        Assert.Equal(PlanRole.Referenced, roles["auth_user"]);
        Assert.All(["accounts_profile", "auth_group", "django_admin_log", "django_migrations", "logs_record"], t => Assert.Equal(PlanRole.NotReached, roles[t]));
        Assert.Empty(report.Undeclared);
        Assert.Equal("imported", imported.Outcome);
        // Bob is the target's BOB: matched whatever the case, left as he is.
        Assert.Equal(1, imported.Tables.Single(t => t.Name == "auth_user").Matched);
        Assert.Equal("BOB@example.org", await target.ScalarAsync(
            $"SELECT u.\"email\" FROM \"accounts_project\" p JOIN \"auth_user\" u ON u.\"id\" = p.\"owner_id\" WHERE p.\"id\" = {Project(postgres, code!)}"));
        var moved = await ProjectAsync(source, postgres, Moved);
        Assert.True(moved.Count > 100, $"the project has {moved.Count} lines");
        Assert.Equal(moved, await ProjectAsync(target, postgres, Project(postgres, code!)));
        Assert.Equal(theirs, await ProjectAsync(target, postgres, "1", "2", "3"));
        Assert.Equal(long.Parse(usersBefore!) + imported.Tables.Single(t => t.Name == "auth_user").Inserted,
            long.Parse((await target.ScalarAsync("SELECT COUNT(*) FROM \"auth_user\""))!));

        // The application's next rows, in every table, keys from the identities and AUTOINCREMENT counters.
        var t = postgres ? "now()" : "'2025-01-01 00:00:00'";
        var (yes, no, uuid) = engine switch
        {
            TestEngines.Postgres => ("true", "false", "gen_random_uuid()"),
            TestEngines.MariaDb => ("1", "0", "lower(hex(random_bytes(16)))"),
            _ => ("1", "0", "lower(hex(randomblob(16)))"),
        };
        var day = postgres ? "interval '1 day'" : "86400000000";
        var project = Project(postgres, code!);
        await target.ExecuteAsync($"""
            INSERT INTO "django_migrations" ("app", "name", "applied") VALUES ('api', '0124_next', {t});
            INSERT INTO "django_content_type" ("app_label", "model") VALUES ('api', 'flip');
            INSERT INTO "auth_permission" ("name", "content_type_id", "codename") VALUES ('Can view flip', 1, 'view_flip');
            INSERT INTO "auth_group" ("name") VALUES ('Billing');
            INSERT INTO "auth_user" ("password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined")
                VALUES ('!', {no}, 'next-user', 'next', '', 'next@example.org', {no}, {yes}, {t});
            INSERT INTO "auth_user_groups" ("user_id", "group_id") VALUES ((SELECT MAX("id") FROM "auth_user"), 1);
            INSERT INTO "auth_group_permissions" ("group_id", "permission_id") VALUES (1, 1);
            INSERT INTO "django_admin_log" ("action_time", "object_id", "object_repr", "action_flag", "change_message", "user_id")
                VALUES ({t}, '1', 'x', 1, '[]', (SELECT MAX("id") FROM "auth_user"));
            INSERT INTO "accounts_profile" ("reports", "nag_period", "ping_log_limit", "check_limit", "token", "sms_limit", "sms_sent", "call_limit", "calls_sent",
                "sort", "tz", "user_id") VALUES ('monthly', {day}, 100, 20, '', 5, 0, 0, 0, 'created', 'UTC', (SELECT MAX("id") FROM "auth_user"));
            INSERT INTO "accounts_project" ("code", "name", "api_key", "api_key_readonly", "badge_key", "show_slugs", "owner_id")
                VALUES ({uuid}, 'Next', '', '', 'next-badge', {no}, (SELECT MAX("id") FROM "auth_user"));
            INSERT INTO "accounts_member" ("role", "project_id", "user_id") VALUES ('w', {project}, (SELECT MAX("id") FROM "auth_user"));
            INSERT INTO "api_check" ("name", "slug", "tags", "code", "desc", "created", "kind", "timeout", "grace", "schedule", "tz", "filter_subject",
                "filter_body", "start_kw", "success_kw", "failure_kw", "methods", "manual_resume", "badge_key", "n_pings", "has_confirmation_link", "status",
                "project_id") VALUES ('next', 'next', '', {uuid}, '', {t}, 'simple', {day}, {day}, '* * * * *', 'UTC', {no}, {no}, '', '', '', '', {no}, {uuid},
                0, {no}, 'new', {project});
            INSERT INTO "api_ping" ("n", "created", "scheme", "method", "ua", "owner_id") VALUES (1, {t}, 'http', 'GET', '', (SELECT MAX("id") FROM "api_check"));
            INSERT INTO "api_flip" ("created", "old_status", "new_status", "reason", "owner_id") VALUES ({t}, 'new', 'up', '', (SELECT MAX("id") FROM "api_check"));
            INSERT INTO "api_channel" ("name", "code", "created", "kind", "value", "email_verified", "disabled", "last_error", "project_id")
                VALUES ('', {uuid}, {t}, 'email', 'x@example.org', {no}, {no}, '', {project});
            INSERT INTO "api_channel_checks" ("channel_id", "check_id") VALUES ((SELECT MAX("id") FROM "api_channel"), (SELECT MAX("id") FROM "api_check"));
            INSERT INTO "api_notification" ("code", "check_status", "created", "error", "channel_id", "owner_id")
                VALUES ({uuid}, 'up', {t}, '', (SELECT MAX("id") FROM "api_channel"), (SELECT MAX("id") FROM "api_check"));
            INSERT INTO "api_tokenbucket" ("value", "tokens", "updated") VALUES ('next', 1.0, {t});
            INSERT INTO "logs_record" ("created", "host", "name", "level", "message", "traceback") VALUES ({t}, 'web1', 'hc', 20, 'ok', '');
            """);
        // Every foreign key holds (PostgreSQL checked the deferred ones at commit; on MariaDB each is read back, since a
        // session may turn InnoDB's checks off).
        if (engine == TestEngines.Sqlite)
        {
            Assert.Empty(await target.QueryAsync("SELECT * FROM pragma_foreign_key_check"));
        }
        else if (engine == TestEngines.MariaDb)
        {
            var keys = await target.QueryAsync(
                "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE " +
                "WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL");
            Assert.Equal(19, keys.Count);
            foreach (var k in keys)
            {
                Assert.Equal("0", await target.ScalarAsync(
                    $"SELECT COUNT(*) FROM \"{k[0]}\" c WHERE c.\"{k[1]}\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM \"{k[2]}\" p WHERE p.\"{k[3]}\" = c.\"{k[1]}\")"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task The_project_imported_again_follows_its_edits_and_new_pings_and_the_instance_stays_usable(string engine)
    {
        // --update on a real schema: on SQLite and MariaDB the unchanged rows are not staged (UnchangedRows).
        await using var source = await TestDb.CreatePerEngineAsync(engine, HealthchecksData.Schema, e => HealthchecksData.Source(e == TestEngines.Postgres));
        await using var target = await TestDb.CreatePerEngineAsync(engine, HealthchecksData.Schema, e => HealthchecksData.Target(e == TestEngines.Postgres));
        var postgres = engine == TestEngines.Postgres;
        var code = await source.ScalarAsync($"SELECT \"code\" FROM \"accounts_project\" WHERE \"id\" = {Moved}");
        await ImportAsync(target, (await ExportAsync(source, "accounts_project", Moved)).Archive, match: "auth_user:email/i");
        var theirs = await ProjectAsync(target, postgres, "1", "2", "3");

        // At the source: a check renamed, and a new ping of an old check.
        await source.ExecuteAsync($"UPDATE \"api_check\" SET \"name\" = 'renamed' WHERE \"id\" = (SELECT MIN(\"id\") FROM \"api_check\" WHERE \"project_id\" = {Moved})");
        await source.ExecuteAsync($"""
            INSERT INTO "api_ping" ("id", "n", "created", "scheme", "method", "ua", "owner_id")
            SELECT MAX(p."id") + 1, 999, (SELECT MAX("created") FROM "api_ping"), 'http', 'GET', 'again', (SELECT MIN("id") FROM "api_check" WHERE "project_id" = {Moved}) FROM "api_ping" p
            """);
        var report = await Move.UpdateAsync(target, (await ExportAsync(source, "accounts_project", Moved)).Archive, match: "auth_user:email/i");

        var counts = report.Tables.ToDictionary(t => t.Name, t => (t.Inserted, t.Updated));
        Assert.Equal((0L, 1L), counts["api_check"]);
        Assert.Equal((1L, 0L), counts["api_ping"]);
        Assert.True(report.Unchanged > 100, $"{report.Unchanged} unchanged");
        Assert.Equal(await ProjectAsync(source, postgres, Moved), await ProjectAsync(target, postgres, Project(postgres, code!)));
        Assert.Equal(theirs, await ProjectAsync(target, postgres, "1", "2", "3"));
        // The app's next ping gets the next id, after the one the update inserted.
        await target.ExecuteAsync("INSERT INTO \"api_ping\" (\"n\", \"created\", \"scheme\", \"method\", \"ua\", \"owner_id\") " +
                                  $"SELECT 1000, MAX(\"created\"), 'http', 'GET', 'next', MAX(\"owner_id\") FROM \"api_ping\"");
        Assert.Equal("next", await target.ScalarAsync("SELECT \"ua\" FROM \"api_ping\" WHERE \"id\" = (SELECT MAX(\"id\") FROM \"api_ping\")"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM \"api_ping\" WHERE \"ua\" = 'again'"));

        var again = await Move.UpdateAsync(target, (await ExportAsync(source, "accounts_project", Moved)).Archive, match: "auth_user:email/i");
        Assert.True(again.NothingChanged);
    }

    // Self-hosted Healthchecks starts on SQLite (its default) and moves to MySQL/MariaDB, or back: Django writes the same
    // forms on both (UUIDs as 32 hex digits, durations as microseconds in a bigint, booleans as 1/0), so a project moves
    // between them without a profile, and reads the same there but for how each engine prints a time's fraction.
    [Theory]
    [InlineData(TestEngines.Sqlite, TestEngines.MariaDb)]
    [InlineData(TestEngines.MariaDb, TestEngines.Sqlite)]
    public async Task One_project_moves_between_an_instance_on_sqlite_and_one_on_mariadb(string from, string to)
    {
        await using var source = await TestDb.CreatePerEngineAsync(from, HealthchecksData.Schema, _ => HealthchecksData.Source(false));
        await using var target = await TestDb.CreatePerEngineAsync(to, HealthchecksData.Schema, _ => HealthchecksData.Target(false));
        var code = await source.ScalarAsync($"SELECT \"code\" FROM \"accounts_project\" WHERE \"id\" = {Moved}");
        var theirs = Times(await ProjectAsync(target, false, "1", "2", "3"));

        var exported = await ExportAsync(source, "accounts_project", Moved);
        var imported = await ImportAsync(target, exported.Archive, match: "auth_user:email/i");

        Assert.Equal("imported", imported.Outcome);
        Assert.Equal(1, imported.Tables.Single(t => t.Name == "auth_user").Matched);
        var moved = Times(await ProjectAsync(source, false, Moved));
        Assert.True(moved.Count > 100, $"the project has {moved.Count} lines");
        Assert.Equal(moved, Times(await ProjectAsync(target, false, Project(false, code!))));
        Assert.Equal(theirs, Times(await ProjectAsync(target, false, "1", "2", "3")));
        // The binary ping bodies arrive byte for byte; the app's next ping takes an id past them.
        const string Bodies = "SELECT COUNT(*) FROM \"api_ping\" p JOIN \"api_check\" c ON c.\"id\" = p.\"owner_id\" WHERE p.\"body_raw\" = x'00010200' AND c.\"project_id\" = ";
        var bodies = await source.ScalarAsync(Bodies + Moved);
        Assert.NotEqual("0", bodies);
        Assert.Equal(bodies, await target.ScalarAsync(Bodies + Project(false, code!)));
        var before = long.Parse((await target.ScalarAsync("SELECT MAX(\"id\") FROM \"api_ping\""))!, System.Globalization.CultureInfo.InvariantCulture);
        await target.ExecuteAsync("INSERT INTO \"api_ping\" (\"n\", \"created\", \"scheme\", \"method\", \"ua\", \"owner_id\") " +
                                  "VALUES (1, '2025-01-01 00:00:00', 'http', 'GET', '', (SELECT MAX(\"id\") FROM \"api_check\"))");
        // Past every id (on MariaDB the counter may stand further on: InnoDB reserves an INSERT … SELECT's ids in blocks of
        // 1, 2, 4, … and keeps what it did not use, so 80 pings took 127 values).
        Assert.True(long.Parse((await target.ScalarAsync("SELECT MAX(\"id\") FROM \"api_ping\""))!, System.Globalization.CultureInfo.InvariantCulture) > before);
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT \"id\" FROM \"api_ping\" GROUP BY \"id\" HAVING COUNT(*) > 1) d"));
    }

    // Django's forms on PostgreSQL differ (uuid and interval columns where the others have 32 hex digits and microseconds):
    // a project of the other engines' form does not fit, and the first such value stops the import with one line.
    [Theory]
    [InlineData(TestEngines.Sqlite, TestEngines.Postgres, "column code, row 1 of the archive: '37dfe2d852e01627492c5c1755626749' is not a UUID")]
    [InlineData(TestEngines.Postgres, TestEngines.MariaDb, "column code, row 1 of the archive: '37dfe2d8-52e0-1627-492c-5c1755626749' is 36 characters, longer than char(32)")]
    public async Task Between_postgres_and_the_others_djangos_uuids_do_not_fit_and_nothing_is_written(string from, string to, string refusal)
    {
        await using var source = await TestDb.CreatePerEngineAsync(from, HealthchecksData.Schema, e => HealthchecksData.Source(e == TestEngines.Postgres));
        await using var target = await TestDb.CreatePerEngineAsync(to, HealthchecksData.Schema, e => HealthchecksData.Target(e == TestEngines.Postgres));
        var exported = await ExportAsync(source, "accounts_project", Moved);
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<FerryException>(() => ImportAsync(target, exported.Archive, match: "auth_user:email/i"));

        Assert.Contains("a value does not fit the target: table accounts_project, " + refusal, error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    // A time as its engine prints it: SQLite keeps the text it was given (a fraction of zeros too), MariaDB prints
    // DATETIME(6) with six digits, and an archive carries the fraction without its trailing zeros.
    private static List<string> Times(List<string> lines) =>
        lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"(\d\d:\d\d:\d\d)(\.\d*?)0*(?=\||$)", m => m.Groups[1].Value + (m.Groups[2].Value == "." ? "" : m.Groups[2].Value)))
            .Order(StringComparer.Ordinal).ToList();

    private static async Task<List<string>> ProjectAsync(TestDb db, bool postgres, params string[] projects)
    {
        var lines = new List<string>();
        foreach (var project in projects)
        {
            foreach (var projection in Projections(postgres))
            {
                lines.AddRange((await Column(db, string.Format(System.Globalization.CultureInfo.InvariantCulture, projection, project))).Order(StringComparer.Ordinal));
            }
        }
        return lines;
    }
}
