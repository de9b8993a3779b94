using System.Globalization;
using System.Text;
using Ferry.Testing;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// The Healthchecks schema (<c>Schemas/healthchecks-*.sql</c>) and data for it, generated here: Django's
/// bookkeeping, users with profiles, projects (the tenants) with members, checks with their pings and
/// flips, notification channels with their checks (a many-to-many table) and notifications. Values take
/// the form Django writes on each engine (UUIDs as 32 hex digits and durations in microseconds on
/// SQLite and MySQL/MariaDB, which get the same data). Deterministic for a given seed.
/// </summary>
internal sealed class HealthchecksData
{
    private readonly Random _random;
    private readonly bool _postgres;
    private readonly StringBuilder _sql = new();
    private readonly Dictionary<string, int> _last = new(StringComparer.Ordinal);

    private HealthchecksData(int seed, bool postgres)
    {
        _random = new Random(seed);
        _postgres = postgres;
    }

    /// <summary>The tables Django's migrations create on the engine (one of <see cref="TestEngines.All"/>).</summary>
    public static string Schema(string engine) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", engine switch
    {
        TestEngines.Postgres => "healthchecks-postgres.sql",
        TestEngines.MariaDb => "healthchecks-mariadb.sql",
        _ => "healthchecks-sqlite.sql",
    }));

    /// <summary>The source: six users, each owning two projects, some sharing them with others.</summary>
    public static string Source(bool postgres) => new HealthchecksData(1, postgres).Build("alice bob carol dave erin frank", "src");

    /// <summary>A live target with users of its own; one of them (Bob) is a user of the source too, his e-mail in another case.</summary>
    public static string Target(bool postgres) => new HealthchecksData(2, postgres).Build("grace heidi BOB ivan", "tgt");

    private string Build(string people, string instance)
    {
        Insert("django_migrations", ["app", "name", "applied"], new[] { "contenttypes", "auth", "accounts", "api" }.Select(a => new object?[] { a, "0001_initial", Time(0) }));
        Insert("django_content_type", ["id", "app_label", "model"], new[] { ("auth", "user"), ("accounts", "project"), ("api", "check") }
            .Select((m, i) => new object?[] { i + 1, m.Item1, m.Item2 }));
        Insert("auth_permission", ["id", "name", "content_type_id", "codename"], Enumerable.Range(1, 3).Select(i => new object?[] { i, $"Can change {i}", i, $"change_{i}" }));
        Insert("auth_group", ["id", "name"], [[1, "Support"]]);
        Insert("auth_group_permissions", ["id", "group_id", "permission_id"], [[1, 1, 3]]);

        var users = people.Split(' ').Select(name =>
        {
            var id = Next("auth_user");
            Insert("auth_user", ["id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active", "date_joined"],
                [[id, "pbkdf2_sha256$720000$salt$hash=", Pick(3) == 0 ? null : Time(Pick(1000)), id == 1, $"{instance}{Hex(12)}",
                  name.ToLowerInvariant(), "", $"{name}@example.org", id == 1, true, Time(Pick(100))]]);
            Insert("accounts_profile", ["id", "next_report_date", "reports", "nag_period", "ping_log_limit", "check_limit", "token", "sms_limit", "sms_sent",
                "call_limit", "calls_sent", "sort", "tz", "theme", "user_id"],
                [[id, null, "monthly", Duration(3600), 100, 20, "", 5, 0, 0, 0, "created", "Europe/Riga", Pick(2) == 0 ? null : "dark", id]]);
            return id;
        }).ToList();
        Insert("auth_user_groups", ["id", "user_id", "group_id"], [[1, users[0], 1]]);
        Insert("django_admin_log", ["id", "action_time", "object_id", "object_repr", "action_flag", "change_message", "content_type_id", "user_id"],
            [[1, Time(5), $"{users[^1]}", "a user", 2, "[]", 1, users[0]]]);

        foreach (var owner in users)
        {
            for (var p = 0; p < 2; p++)
            {
                AddProject(owner, users, instance);
            }
        }
        Insert("api_tokenbucket", ["id", "value", "tokens", "updated"], [[1, $"{instance}-login-{Hex(8)}", 0.5, Time(9)]]);
        Insert("logs_record", ["id", "created", "host", "name", "level", "message", "traceback"], [[1, Time(9), "web1", "hc.api", 40, "boom", ""]]);
        if (_postgres)
        {
            // What Django's loaddata does after rows with explicit ids: move each identity past them.
            foreach (var table in new[] { "django_content_type", "auth_permission", "auth_group", "auth_group_permissions", "auth_user", "auth_user_groups",
                         "django_admin_log", "accounts_profile", "accounts_project", "accounts_member", "api_check", "api_ping", "api_flip", "api_channel",
                         "api_channel_checks", "api_notification", "api_tokenbucket", "logs_record" })
            {
                _sql.Append(CultureInfo.InvariantCulture,
                    $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(\"id\"), 1), MAX(\"id\") IS NOT NULL) FROM \"{table}\";\n");
            }
        }
        return _sql.ToString();
    }

    private void AddProject(int owner, List<int> users, string instance)
    {
        var project = Next("accounts_project");
        Insert("accounts_project", ["id", "code", "name", "api_key", "api_key_readonly", "badge_key", "ping_key", "show_slugs", "owner_id"],
            [[project, Uuid(), $"Project {project} of {instance}", Hex(32), "", $"{instance}-badge-{Hex(16)}", Pick(2) == 0 ? null : $"{instance}-{Hex(22)}", Pick(2) == 0, owner]]);
        foreach (var member in users.Where(u => u != owner && Pick(3) == 0))
        {
            Insert("accounts_member", ["id", "transfer_request_date", "role", "project_id", "user_id"],
                [[Next("accounts_member"), null, "rwm"[Pick(3)].ToString(), project, member]]);
        }

        var checks = new List<int>();
        for (var c = 0; c < 4; c++)
        {
            var check = Next("api_check");
            checks.Add(check);
            var status = new[] { "new", "up", "down", "paused" }[Pick(4)];
            Insert("api_check", ["id", "name", "slug", "tags", "code", "desc", "created", "kind", "timeout", "grace", "schedule", "tz", "filter_subject",
                "filter_body", "start_kw", "success_kw", "failure_kw", "methods", "manual_resume", "badge_key", "n_pings", "last_ping", "last_start",
                "last_start_rid", "last_duration", "has_confirmation_link", "alert_after", "status", "project_id"],
                [[check, $"backup {c}", $"backup-{c}", "prod db", Uuid(), "Nightly \"backup\"\nof the database", Time(Pick(100)), c == 0 ? "cron" : "simple",
                  Duration(86400), Duration(3600), "0 3 * * *", "UTC", false, false, "", "", "", "", false, Uuid(), 20, Time(200), null, null,
                  Pick(2) == 0 ? null : Duration(Pick(100000) / 1000.0), false, status == "up" ? Time(300) : null, status, project]]);
            Insert("api_ping", ["id", "n", "created", "kind", "scheme", "remote_addr", "method", "ua", "body_raw", "object_size", "exitstatus", "rid", "owner_id"],
                Enumerable.Range(1, 20).Select(n => new object?[]
                {
                    Next("api_ping"), n, Time(100 + n), new[] { null, "start", "fail", "log" }[Pick(4)], "https", $"10.0.{Pick(255)}.{Pick(255)}",
                    n % 2 == 0 ? "POST" : "GET", "curl/8.5.0", n % 5 == 0 ? Bytes(0, 1, 2, 0) : null, n % 5 == 0 ? 4 : null,
                    n % 3 == 0 ? Pick(3) : null, Pick(2) == 0 ? Uuid() : null, check,
                }));
            Insert("api_flip", ["id", "created", "processed", "old_status", "new_status", "reason", "owner_id"],
                Enumerable.Range(1, 3).Select(n => new object?[] { Next("api_flip"), Time(150 + n), n == 3 ? null : Time(151 + n), "up", "down", "timeout", check }));
        }
        for (var h = 0; h < 2; h++)
        {
            var channel = Next("api_channel");
            Insert("api_channel", ["id", "name", "code", "created", "kind", "value", "email_verified", "disabled", "last_notify", "last_notify_duration",
                "last_error", "project_id"],
                [[channel, h == 0 ? "Ops mail" : "", Uuid(), Time(50), h == 0 ? "email" : "webhook",
                  h == 0 ? "{\"value\": \"ops@example.org\", \"up\": true, \"down\": true}" : "{\"method_down\": \"POST\", \"url_down\": \"https://example.org/hook\"}",
                  h == 0, false, Time(160), Duration(0.25), "", project]]);
            Insert("api_channel_checks", ["id", "channel_id", "check_id"], checks.Where((_, i) => i % 2 == h || h == 0).Select(c => new object?[] { Next("api_channel_checks"), channel, c }));
            Insert("api_notification", ["id", "code", "check_status", "created", "error", "channel_id", "owner_id"],
                Enumerable.Range(0, 3).Select(n => new object?[] { Next("api_notification"), Uuid(), "down", Time(170 + n), n == 1 ? "Connection timed out" : "",
                    channel, n == 2 ? null : checks[Pick(checks.Count)] }));
        }
    }

    private void Insert(string table, string[] columns, IEnumerable<object?[]> generated)
    {
        var rows = generated.ToList();
        if (rows.Count == 0)
        {
            return;
        }
        var values = rows.Select(r => "(" + string.Join(", ", r.Select(Literal)) + ")");
        _sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES\n  {string.Join(",\n  ", values)};\n");
    }

    private int Next(string table) => _last[table] = _last.GetValueOrDefault(table) + 1;

    private int Pick(int n) => _random.Next(n);

    private string Hex(int length)
    {
        var bytes = new byte[(length + 1) / 2];
        _random.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes)[..length];
    }

    // Django writes UUIDs as uuid on PostgreSQL and as 32 hex digits on SQLite.
    private string Uuid()
    {
        var bytes = new byte[16];
        _random.NextBytes(bytes);
        var uuid = new Guid(bytes);
        return _postgres ? uuid.ToString("D") : uuid.ToString("N");
    }

    // Django writes durations as interval on PostgreSQL and as microseconds in a bigint on SQLite.
    private object Duration(double seconds) =>
        _postgres ? Raw($"interval '{seconds.ToString("0.######", CultureInfo.InvariantCulture)} seconds'") : (long)Math.Round(seconds * 1_000_000);

    private object Time(int minutes)
    {
        var t = new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddMinutes(minutes * 7.5);
        return _postgres ? Raw($"'{t:yyyy-MM-dd HH:mm:ss.ffffff}+00'") : $"{t:yyyy-MM-dd HH:mm:ss.ffffff}";
    }

    private object Bytes(params byte[] bytes) => Raw(_postgres ? $"'\\x{Convert.ToHexStringLower(bytes)}'::bytea" : $"x'{Convert.ToHexStringLower(bytes)}'");

    private static object Raw(string sql) => new RawSql(sql);

    private string Literal(object? value) => value switch
    {
        null => "NULL",
        RawSql raw => raw.Sql,
        bool b => _postgres ? (b ? "true" : "false") : (b ? "1" : "0"),
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        _ => throw new ArgumentException($"no literal for {value.GetType().Name}"),
    };

    private sealed record RawSql(string Sql);
}
