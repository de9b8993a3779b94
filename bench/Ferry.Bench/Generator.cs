using System.Text;

namespace Ferry.Bench;

/// <summary>
/// Set-based generation of the demo community schema (samples/community), as bench/core.sh does:
/// a group of scale S holds about 9.2*S rows (S users and memberships, S/10 places, S activities,
/// 2S participants, S/10 conversations, 4S messages with replies and each conversation's latest message).
/// </summary>
internal static class Generator
{
    public enum Engine { Sqlite, Postgres, MariaDb }

    /// <summary>Indexes the demo schema lacks: every foreign key gets one (InnoDB makes them itself).</summary>
    private const string _extraIndexes = """

        CREATE INDEX messages_author ON messages (author_id);
        CREATE INDEX conversations_latest ON conversations (latest_message_id);

        """;

    public static string Schema(string repo, Engine engine) => engine switch
    {
        Engine.Postgres => File.ReadAllText(Path.Combine(repo, "samples/community/schema.postgres.sql")) + _extraIndexes,
        Engine.MariaDb => File.ReadAllText(Path.Combine(repo, "samples/community/schema.mariadb.sql")),
        _ => File.ReadAllText(Path.Combine(repo, "samples/community/schema.sql")) + _extraIndexes,
    };

    /// <summary>The scale whose group holds about <paramref name="rows"/> rows.</summary>
    public static int ScaleFor(long rows) => (int)Math.Max(100, rows / 9.2);

    /// <summary>SQL inserting groups <paramref name="first"/>..<paramref name="last"/>, each of the given scale, in one transaction.</summary>
    public static string Groups(Engine engine, int first, int last, int scale)
    {
        var sql = new StringBuilder(engine switch
        {
            Engine.Postgres => "SET session_replication_role = replica;\nBEGIN;\n",
            // The rows are generated in key order and consistent: InnoDB need not check each one.
            Engine.MariaDb => "SET foreign_key_checks = 0;\nSET unique_checks = 0;\nSET time_zone = '+00:00';\nBEGIN;\n",
            _ => "BEGIN;\n",
        });
        for (var g = first; g <= last; g++)
        {
            sql.Append(Group(engine, g, scale));
        }
        return sql.Append(engine == Engine.MariaDb
            ? "COMMIT;\nANALYZE TABLE `groups`, users, memberships, places, activities, activity_participants, conversations, messages;\n"
            : "COMMIT;\nANALYZE;\n").ToString();
    }

    private static string Group(Engine engine, int g, int s)
    {
        var postgres = engine == Engine.Postgres;
        // MariaDB's sequence engine gives seq_1_to_N; || is OR there, so text is built with concat().
        string Series(long n) => engine switch
        {
            Engine.Postgres => $"(SELECT generate_series(1, {n}) AS i)",
            Engine.MariaDb => $"(SELECT seq AS i FROM seq_1_to_{n})",
            _ => $"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) SELECT i FROM n)",
        };
        string Concat(params string[] parts) => engine == Engine.MariaDb ? $"concat({string.Join(", ", parts)})" : string.Join(" || ", parts);
        string Uuid(string e) => engine switch
        {
            Engine.Postgres => $"('00000000-0000-4000-8000-' || lpad(({e})::text, 12, '0'))::uuid",
            Engine.MariaDb => $"concat('00000000-0000-4000-8000-', lpad({e}, 12, '0'))",
            _ => $"('00000000-0000-4000-8000-' || substr('000000000000' || ({e}), -12, 12))",
        };
        var json = postgres ? "::jsonb" : "";
        // TIMESTAMP literals with a zone are PostgreSQL's and SQLite's text; MariaDB's session runs in UTC (above).
        var startsAt = engine == Engine.MariaDb ? "'2024-05-01 08:00:00'" : "'2024-05-01 10:00:00+02:00'";
        var latest = engine == Engine.MariaDb
            ? $"UPDATE conversations JOIN (SELECT conversation_id, max(id) AS latest FROM messages WHERE id BETWEEN {{0}} AND {{1}} GROUP BY conversation_id) x ON conversations.id = x.conversation_id SET latest_message_id = x.latest;"
            : $"UPDATE conversations SET latest_message_id = x.latest FROM (SELECT conversation_id, max(id) AS latest FROM messages WHERE id BETWEEN {{0}} AND {{1}} GROUP BY conversation_id) x WHERE conversations.id = x.conversation_id;";
        var groups = engine == Engine.MariaDb ? "`groups`" : "groups";
        long u = (long)(g - 1) * s, a = u, m = u * 4, p = u / 10, c = s / 10;
        return $"""
            INSERT INTO {groups} (id, slug, name, created_at) VALUES ({g}, 'group-{g}', 'Group {g}', '2024-01-01 10:00:00');
            INSERT INTO users (id, email, display_name, current_group_id, created_at) SELECT {u} + i, {Concat("'user'", $"({u} + i)", "'@example.org'")}, {Concat("'User '", "i")}, {g}, '2024-01-01 10:00:00' FROM {Series(s)} s;
            INSERT INTO memberships (group_id, user_id, role, joined_at) SELECT {g}, {u} + i, 'member', '2024-01-02 10:00:00' FROM {Series(s)} s;
            INSERT INTO places (id, group_id, name, latitude, longitude) SELECT {p} + i, {g}, {Concat("'Place '", "i")}, 48.1, 11.5 FROM {Series(c)} s;
            INSERT INTO activities (id, group_id, place_id, title, starts_at, fee, max_participants) SELECT {a} + i, {g}, {p} + 1 + (i % {c}), {Concat("'Activity '", "i")}, {startsAt}, 12.5, 20 FROM {Series(s)} s;
            INSERT INTO activity_participants (activity_id, user_id, status) SELECT {a} + i, {u} + i, 'going' FROM {Series(s)} s;
            INSERT INTO activity_participants (activity_id, user_id, status) SELECT {a} + i, {u} + 1 + (i % {s - 1}), 'maybe' FROM {Series(s)} s WHERE i <> 1 + (i % {s - 1});
            INSERT INTO conversations (id, group_id, subject) SELECT {Uuid($"{g} * 1000000 + i")}, {g}, {Concat("'Conversation '", "i")} FROM {Series(c)} s;
            INSERT INTO messages (id, conversation_id, author_id, reply_to_id, body, metadata, sent_at) SELECT {m} + i, {Uuid($"{g} * 1000000 + 1 + (i % {c})")}, {u} + 1 + (i % {s}), CASE WHEN i > {c} THEN {m} + i - {c} END, {Concat("'Message body number '", "i", "' with some text 🌱'")}, ({Concat("'{\"n\": '", "i", "'}'")}){json}, '2024-06-01 10:00:00' FROM {Series(4L * s)} s;
            {string.Format(System.Globalization.CultureInfo.InvariantCulture, latest, m + 1, m + 4L * s)}

            """;
    }
}
