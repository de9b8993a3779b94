using System.Text;

namespace Ferry.Bench;

/// <summary>
/// Set-based generation of the demo community schema (samples/community), as bench/core.sh does:
/// a group of scale S holds about 9.2*S rows (S users and memberships, S/10 places, S activities,
/// 2S participants, S/10 conversations, 4S messages with replies and each conversation's latest message).
/// </summary>
internal static class Generator
{
    /// <summary>Indexes the demo schema lacks: every foreign key gets one.</summary>
    private const string _extraIndexes = """

        CREATE INDEX messages_author ON messages (author_id);
        CREATE INDEX conversations_latest ON conversations (latest_message_id);

        """;

    public static string Schema(string repo, bool postgres) =>
        File.ReadAllText(Path.Combine(repo, "samples/community", postgres ? "schema.postgres.sql" : "schema.sql")) + _extraIndexes;

    /// <summary>The scale whose group holds about <paramref name="rows"/> rows.</summary>
    public static int ScaleFor(long rows) => (int)Math.Max(100, rows / 9.2);

    /// <summary>SQL inserting groups <paramref name="first"/>..<paramref name="last"/>, each of the given scale, in one transaction.</summary>
    public static string Groups(bool postgres, int first, int last, int scale)
    {
        var sql = new StringBuilder(postgres ? "SET session_replication_role = replica;\nBEGIN;\n" : "BEGIN;\n");
        for (var g = first; g <= last; g++)
        {
            sql.Append(Group(postgres, g, scale));
        }
        return sql.Append(postgres ? "COMMIT;\nANALYZE;\n" : "COMMIT;\nANALYZE;\n").ToString();
    }

    private static string Group(bool postgres, int g, int s)
    {
        string Series(long n) => postgres
            ? $"(SELECT generate_series(1, {n}) AS i)"
            : $"(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) SELECT i FROM n)";
        string Uuid(string e) => postgres
            ? $"('00000000-0000-4000-8000-' || lpad(({e})::text, 12, '0'))::uuid"
            : $"('00000000-0000-4000-8000-' || substr('000000000000' || ({e}), -12, 12))";
        var json = postgres ? "::jsonb" : "";
        long u = (long)(g - 1) * s, a = u, m = u * 4, p = u / 10, c = s / 10;
        return $"""
            INSERT INTO groups (id, slug, name, created_at) VALUES ({g}, 'group-{g}', 'Group {g}', '2024-01-01 10:00:00');
            INSERT INTO users (id, email, display_name, current_group_id, created_at) SELECT {u} + i, 'user' || ({u} + i) || '@example.org', 'User ' || i, {g}, '2024-01-01 10:00:00' FROM {Series(s)} s;
            INSERT INTO memberships (group_id, user_id, role, joined_at) SELECT {g}, {u} + i, 'member', '2024-01-02 10:00:00' FROM {Series(s)} s;
            INSERT INTO places (id, group_id, name, latitude, longitude) SELECT {p} + i, {g}, 'Place ' || i, 48.1, 11.5 FROM {Series(c)} s;
            INSERT INTO activities (id, group_id, place_id, title, starts_at, fee, max_participants) SELECT {a} + i, {g}, {p} + 1 + (i % {c}), 'Activity ' || i, '2024-05-01 10:00:00+02:00', 12.5, 20 FROM {Series(s)} s;
            INSERT INTO activity_participants (activity_id, user_id, status) SELECT {a} + i, {u} + i, 'going' FROM {Series(s)} s;
            INSERT INTO activity_participants (activity_id, user_id, status) SELECT {a} + i, {u} + 1 + (i % {s - 1}), 'maybe' FROM {Series(s)} s WHERE i <> 1 + (i % {s - 1});
            INSERT INTO conversations (id, group_id, subject) SELECT {Uuid($"{g} * 1000000 + i")}, {g}, 'Conversation ' || i FROM {Series(c)} s;
            INSERT INTO messages (id, conversation_id, author_id, reply_to_id, body, metadata, sent_at) SELECT {m} + i, {Uuid($"{g} * 1000000 + 1 + (i % {c})")}, {u} + 1 + (i % {s}), CASE WHEN i > {c} THEN {m} + i - {c} END, 'Message body number ' || i || ' with some text 🌱', ('{"{"}"n": ' || i || '{"}"}'){json}, '2024-06-01 10:00:00' FROM {Series(4L * s)} s;
            UPDATE conversations SET latest_message_id = x.latest FROM (SELECT conversation_id, max(id) AS latest FROM messages WHERE id BETWEEN {m + 1} AND {m + 4L * s} GROUP BY conversation_id) x WHERE conversations.id = x.conversation_id;

            """;
    }
}
