using Ferry.Archive;
using Ferry.Schema;
using Ferry.Testing;

namespace Ferry;

// The archive the contract imports: its manifest and its rows.
public abstract partial class MergeSqlContract
{
    private static ManifestColumn Column(string name, FerryType type, bool nullable = false) => new(name, type, type.ToName(), nullable);

    private static ManifestForeignKey Key(string table, string column, string refTable, bool nullable = false) =>
        new($"{table}_{column}_fkey", table, [column], refTable, ["id"], nullable);

    private static ManifestForeignKey Polymorphic(string type, string refTable) =>
        new($"reactions_{type}", "reactions", ["target_id"], refTable, ["id"], false, new ManifestReference("column", TypeColumn: "target_type", TypeValue: type));

    // Reactions to a message or a group (target_type, target_id): a polymorphic relation of a profile, which no
    // constraint of the target declares. The same DDL on every engine (MariaDB's test sessions make the key AUTO_INCREMENT).
    private const string ReactionsTable =
        "CREATE TABLE reactions (id INTEGER PRIMARY KEY, target_type VARCHAR(20) NOT NULL, target_id BIGINT NOT NULL, label VARCHAR(20) NOT NULL)";

    private static readonly ManifestTable Reactions = new("reactions", "owned",
        [Column("id", FerryType.Int), Column("target_type", FerryType.Text), Column("target_id", FerryType.Int), Column("label", FerryType.Text)],
        ["id"], [Polymorphic("message", "messages"), Polymorphic("group", "groups")], []);

    // Group beta as an export writes it: tables in load order, the conversation's latest message the cycle's break;
    // with its reactions or without them.
    private static Manifest ArchiveOf(bool reactions) => new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:source.db"),
        new ManifestRoot("groups", ["2"]),
        [
            new ManifestTable("groups", "root",
                [Column("id", FerryType.Int), Column("slug", FerryType.Text), Column("name", FerryType.Text), Column("created_at", FerryType.Timestamp)],
                ["id"], [], []),
            new ManifestTable("users", "referenced",
                [Column("id", FerryType.Int), Column("email", FerryType.Text), Column("name", FerryType.Text), Column("current_group_id", FerryType.Int, true)],
                ["id"], [Key("users", "current_group_id", "groups", true)], []),
            new ManifestTable("memberships", "owned",
                [Column("group_id", FerryType.Int), Column("user_id", FerryType.Int), Column("role", FerryType.Text)],
                ["group_id", "user_id"], [Key("memberships", "group_id", "groups"), Key("memberships", "user_id", "users")], []),
            new ManifestTable("conversations", "owned",
                [Column("id", FerryType.Uuid), Column("group_id", FerryType.Int), Column("subject", FerryType.Text), Column("latest_message_id", FerryType.Int, true)],
                ["id"], [Key("conversations", "group_id", "groups"), Key("conversations", "latest_message_id", "messages", true)], []),
            new ManifestTable("messages", "owned",
                [Column("id", FerryType.Int), Column("conversation_id", FerryType.Uuid), Column("author_id", FerryType.Int),
                 Column("reply_to_id", FerryType.Int, true), Column("body", FerryType.Text)],
                ["id"], [Key("messages", "conversation_id", "conversations"), Key("messages", "author_id", "users"), Key("messages", "reply_to_id", "messages", true)], []),
            .. reactions ? [Reactions] : Array.Empty<ManifestTable>(),
        ],
        [Key("conversations", "latest_message_id", "messages", true)], [], []);

    private const string Uuid1 = CommunityFixture.Uuid1;

    // The archive's rows, per table, in the archive's columns (their in-memory form: long and text).
    private static Dictionary<string, object?[][]> Beta() => new(StringComparer.Ordinal)
    {
        ["groups"] = [[2L, "beta", "Beta ☕", "2024-02-01 11:30:00"]],
        ["users"] = [[1L, "ann@example.org", "Ann", 2L], [2L, "bob@example.org", "Bob", null], [3L, "cat@example.org", "Cat", null]],
        ["memberships"] = [[2L, 1L, "organizer"], [2L, 2L, "member"], [2L, 3L, "member"]],
        ["conversations"] = [[Uuid1, 2L, "Planning", 3L]],
        ["messages"] = [[1L, Uuid1, 1L, null, "Hello 👋"], [2L, Uuid1, 2L, 1L, "Hi!"], [3L, Uuid1, 3L, 2L, "It's on"]],
        ["reactions"] = [[1L, "message", 3L, "like"], [2L, "group", 2L, "cheer"], [3L, "message", 1L, "love"]],
    };
}
