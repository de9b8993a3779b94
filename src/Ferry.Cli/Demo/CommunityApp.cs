using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Ferry.Cli.Demo;

/// <summary>
/// Builds SQLite databases of the demo community app (samples/community/schema.sql) with
/// generated, deterministic data: the same seed gives the same database.
/// </summary>
public static class CommunityApp
{
    private static readonly string[] FirstNames = ["Ada", "Bruno", "Chloé", "Dmitri", "Eun-ji", "Farah", "Gustav", "Hana", "Ígor", "Jonas", "Kaito", "Lena", "Mateo", "Nora", "Olu", "Priya", "Quentin", "Rosa", "Sven", "Tomás"];
    private static readonly string[] LastNames = ["Okafor", "Müller", "Nakamura", "García", "O'Brien", "Kowalski", "Haddad", "Lindqvist"];

    /// <summary>The schema, embedded from samples/community/schema.sql.</summary>
    public static string Schema()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ferry.Cli.Demo.schema.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Creates a new database file with the schema and the given groups, their members and content.</summary>
    public static void Create(string path, int seed, IReadOnlyList<(string Slug, string Name)> groups, IReadOnlyList<string> emails)
    {
        var random = new Random(seed);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, null, Schema());
        using var tx = connection.BeginTransaction();
        var start = new DateTime(2023, 1, 1, 9, 0, 0, DateTimeKind.Utc);

        for (var g = 0; g < groups.Count; g++)
        {
            Insert(connection, tx, "INSERT INTO groups (slug, name, description, is_public, created_at) VALUES (@0, @1, @2, @3, @4)",
                groups[g].Slug, groups[g].Name, $"The {groups[g].Name} meet every week.\nEveryone is welcome — bring a friend! 🌱", g % 3 == 0 ? 0 : 1, Stamp(start.AddDays(g * 17)));
        }
        for (var u = 0; u < emails.Count; u++)
        {
            var avatar = u % 3 == 0 ? null : RandomBytes(random, 24 + (u % 5));
            var name = $"{FirstNames[u % FirstNames.Length]} {LastNames[(u * 7) % LastNames.Length]}";
            Insert(connection, tx, "INSERT INTO users (email, display_name, avatar, current_group_id, created_at) VALUES (@0, @1, @2, @3, @4)",
                emails[u], name, avatar, u % 4 == 3 ? null : 1 + (u % groups.Count), Stamp(start.AddHours(u * 31)));
        }

        var placeIds = new List<List<long>>();
        for (var g = 1; g <= groups.Count; g++)
        {
            // A few members per group, with overlaps between groups.
            var members = Enumerable.Range(1, emails.Count).Where(u => (u + g) % 3 == 0 || (u * g) % 7 == 1).ToList();
            foreach (var (user, i) in members.Select((m, i) => (m, i)))
            {
                Insert(connection, tx, "INSERT INTO memberships (group_id, user_id, role, joined_at) VALUES (@0, @1, @2, @3)",
                    g, user, i == 0 ? "organizer" : "member", Stamp(start.AddDays(g * 17 + i)));
            }
            var places = new List<long>();
            for (var p = 0; p < 4; p++)
            {
                places.Add(Insert(connection, tx, "INSERT INTO places (group_id, name, latitude, longitude) VALUES (@0, @1, @2, @3)",
                    g, $"{groups[g - 1].Name} spot {p + 1}", 48.1 + random.NextDouble(), p == 3 ? null : 11.5 + random.NextDouble()));
            }
            placeIds.Add(places);
            for (var a = 0; a < 8; a++)
            {
                // One activity borrows another group's place: a reference the export cuts to NULL.
                var place = a == 7 && g > 1 ? placeIds[0][0] : places[a % places.Count];
                var activity = Insert(connection, tx, "INSERT INTO activities (group_id, place_id, title, starts_at, fee, max_participants) VALUES (@0, @1, @2, @3, @4, @5)",
                    g, a == 5 ? null : place, $"Meet-up #{a + 1} \"{groups[g - 1].Name}\"", Stamp(start.AddDays(60 + a * 7 + g)) + "+02:00",
                    a % 2 == 0 ? null : (a * 2.5m + 0.25m).ToString(CultureInfo.InvariantCulture), a % 3 == 0 ? null : 10 + a);
                foreach (var user in members.Where((_, i) => (i + a) % 2 == 0))
                {
                    Insert(connection, tx, "INSERT INTO activity_participants (activity_id, user_id, status) VALUES (@0, @1, @2)",
                        activity, user, (user + a) % 5 == 0 ? "maybe" : "going");
                }
            }
            for (var c = 0; c < 3; c++)
            {
                var conversation = new Guid(RandomBytes(random, 16)).ToString("D");
                Insert(connection, tx, "INSERT INTO conversations (id, group_id, subject) VALUES (@0, @1, @2)", conversation, g, $"Planning round {c + 1}");
                long? previous = null;
                for (var m = 0; m < 6; m++)
                {
                    var author = members[(m + c) % members.Count];
                    previous = Insert(connection, tx, "INSERT INTO messages (conversation_id, author_id, reply_to_id, body, metadata, sent_at) VALUES (@0, @1, @2, @3, @4, @5)",
                        conversation, author, m % 3 == 0 ? null : previous, $"Message {m + 1}: see you there 👋\nIt's \"on\" unless it rains.",
                        m % 2 == 0 ? "{\"reactions\": {\"👍\": " + (m + 1) + "}, \"edited\": false}" : null, Stamp(start.AddDays(90 + c).AddMinutes(m * 13)));
                }
                Insert(connection, tx, "UPDATE conversations SET latest_message_id = @0 WHERE id = @1", previous, conversation);
            }
        }
        tx.Commit();
    }

    private static string Stamp(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? tx, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Insert(SqliteConnection connection, SqliteTransaction tx, string sql, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql + "; SELECT last_insert_rowid();";
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue($"@{i}", values[i] ?? DBNull.Value);
        }
        return (long)command.ExecuteScalar()!;
    }
}
