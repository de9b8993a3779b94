using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ferry.Testing;

/// <summary>
/// Kopano's mailbox tables as the server creates them on MariaDB (issue 15, "no declared foreign keys"): InnoDB, not one
/// foreign key, composite primary keys (<c>properties (hierarchyid, tag, type)</c>, <c>singleinstances (instanceid,
/// hierarchyid, tag)</c>, <c>stores (hierarchy_id, id)</c>), AUTO_INCREMENT columns that are part of a composite key and
/// unique by themselves (<c>stores.id</c>, <c>singleinstances.instanceid</c>), unsigned integers, BLOB and LONGBLOB
/// values, utf8mb4 text (and a utf8mb3 <c>user_name</c>, as Kopano declares it), and attachments kept as files named
/// after <c>singleinstances.instanceid</c>: <c>&lt;dir&gt;/&lt;id % 10&gt;/&lt;(id / 10) % 20&gt;/&lt;id&gt;</c>, with
/// <c>.gz</c> when compressed. The same tables on PostgreSQL, for a target. Everything is described by
/// <see cref="MailboxProfileYaml"/>. The data is generated: stores of ann, bob and carol on the source; dave's store and
/// an existing ann (same <c>externid</c> and <c>objectclass</c>, another id) on the target, whose hierarchy and instance
/// ids collide with the source's.
/// </summary>
public static partial class KopanoStores
{
    /// <summary>MAPI tags: the entry id (binary), the attachment's size, the attachment's data (what singleinstances holds); PT_BINARY.</summary>
    public const int EntryId = 0x0FFF, AttachSize = 0x0E20, AttachDataBin = 0x3701, Binary = 0x0102;

    /// <summary>The attachment store's name in the profile (<c>--files attachments=DIR</c>).</summary>
    public const string AttachmentStore = "attachments";

    /// <summary>Where Kopano keeps the attachment of instance <paramref name="id"/> (without the <c>.gz</c> of a compressed one).</summary>
    public static string AttachmentPath(long id) => $"{id % 10}/{id / 10 % 20}/{id}";

    /// <summary>The profile: every reference a relation, people matched by (externid, objectclass), attachments by instance id.</summary>
    public const string MailboxProfileYaml = """
        app: kopano
        root: {table: stores, key: id}
        complete: true
        relations:
          - {from: stores.hierarchy_id, to: hierarchy, owner: from}     # a store owns its folder tree
          - {from: hierarchy.parent, to: hierarchy, owner: to}          # a folder owns what is in it
          - {from: properties.hierarchyid, to: hierarchy, owns: true}
          - {from: singleinstances.hierarchyid, to: hierarchy, owns: true}
          - {from: stores.user_id, to: users}
          - {from: hierarchy.owner, to: users}
        identities:
          - {table: users, key: [externid, objectclass]}
        files:
          - store: attachments
            table: singleinstances
            path: "{instanceid % 10}/{instanceid / 10 % 20}/{instanceid}"
            suffixes: ["", ".gz"]
        """;

    /// <summary>
    /// The tables as Kopano's server creates them on MariaDB (ECDBDef.h), reduced to the columns these tests use, with
    /// <c>stores</c> keyed <c>(hierarchy_id, id)</c>. (Kopano's <c>externid</c> is a BLOB; here VARCHAR, so that people are
    /// matched by text on every target.)
    /// </summary>
    public const string MailboxMariaDbSchema = """
        CREATE TABLE users (id int(11) unsigned NOT NULL AUTO_INCREMENT, externid varchar(255) NOT NULL, objectclass int(11) NOT NULL DEFAULT 0,
          signature varbinary(255) NOT NULL DEFAULT '0', company int(11) unsigned NOT NULL DEFAULT 0,
          PRIMARY KEY (id), UNIQUE KEY externid (externid, objectclass)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE hierarchy (id int(11) unsigned NOT NULL AUTO_INCREMENT, parent int(11) unsigned DEFAULT NULL, type tinyint(4) unsigned NOT NULL DEFAULT 0,
          flags smallint(6) unsigned NOT NULL DEFAULT 0, owner int(11) unsigned NOT NULL DEFAULT 0,
          PRIMARY KEY (id), KEY parenttypeflags (parent, type, flags)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE properties (hierarchyid int(11) unsigned NOT NULL DEFAULT 0, tag smallint(6) unsigned NOT NULL DEFAULT 0, type smallint(6) unsigned NOT NULL,
          val_ulong int(11) unsigned DEFAULT NULL, val_string longtext, val_binary longblob, val_double double DEFAULT NULL, val_longint bigint(20) DEFAULT NULL,
          comp tinyint(1) DEFAULT 0, PRIMARY KEY (hierarchyid, tag, type)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE singleinstances (instanceid int(11) unsigned NOT NULL AUTO_INCREMENT, hierarchyid int(11) unsigned NOT NULL DEFAULT 0,
          tag smallint(6) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (instanceid, hierarchyid, tag), UNIQUE KEY hkey (hierarchyid, tag)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE stores (id int(11) unsigned NOT NULL AUTO_INCREMENT, hierarchy_id int(11) unsigned NOT NULL DEFAULT 0, user_id int(11) unsigned NOT NULL DEFAULT 0,
          type smallint(6) unsigned NOT NULL DEFAULT 0, user_name varchar(255) CHARACTER SET utf8mb3 NOT NULL DEFAULT '', company int(11) unsigned NOT NULL DEFAULT 0,
          guid blob NOT NULL, PRIMARY KEY (hierarchy_id, id), UNIQUE KEY id (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        """;

    /// <summary>The same tables on PostgreSQL: serial columns where MariaDB has AUTO_INCREMENT, bigint for unsigned int.</summary>
    public const string MailboxPostgresSchema = """
        CREATE TABLE users (id serial PRIMARY KEY, externid varchar(255) NOT NULL, objectclass int NOT NULL DEFAULT 0,
          signature bytea NOT NULL DEFAULT '\x30', company bigint NOT NULL DEFAULT 0, UNIQUE (externid, objectclass));
        CREATE TABLE hierarchy (id serial PRIMARY KEY, parent bigint, type smallint NOT NULL DEFAULT 0, flags int NOT NULL DEFAULT 0, owner bigint NOT NULL DEFAULT 0);
        CREATE INDEX parenttypeflags ON hierarchy (parent, type, flags);
        CREATE TABLE properties (hierarchyid bigint NOT NULL DEFAULT 0, tag int NOT NULL DEFAULT 0, type int NOT NULL, val_ulong bigint, val_string text,
          val_binary bytea, val_double double precision, val_longint bigint, comp boolean DEFAULT false, PRIMARY KEY (hierarchyid, tag, type));
        CREATE TABLE singleinstances (instanceid serial, hierarchyid bigint NOT NULL DEFAULT 0, tag int NOT NULL DEFAULT 0,
          PRIMARY KEY (instanceid, hierarchyid, tag), UNIQUE (hierarchyid, tag));
        CREATE TABLE stores (id serial UNIQUE, hierarchy_id bigint NOT NULL DEFAULT 0, user_id bigint NOT NULL DEFAULT 0, type int NOT NULL DEFAULT 0,
          user_name varchar(255) NOT NULL DEFAULT '', company bigint NOT NULL DEFAULT 0, guid bytea NOT NULL, PRIMARY KEY (hierarchy_id, id));
        """;

    /// <summary>The schema of <paramref name="postgres"/>'s engine, else MariaDB's.</summary>
    public static string MailboxSchema(bool postgres) => postgres ? MailboxPostgresSchema : MailboxMariaDbSchema;

    /// <summary>The source: ann's mailbox (store 1, tree from hierarchy 1, instances from 1), bob's (2, 100, 50), carol's (3, 200, 80).</summary>
    public static string MailboxSourceData(bool postgres) =>
        "INSERT INTO users (id, externid, objectclass, company) VALUES (1, 'ann', 65537, 0), (2, 'bob', 65537, 0), (3, 'carol', 65537, 0);\n" +
        Mailbox(postgres, 1, 1, "ann", 1, 1, messages: 6) +
        Mailbox(postgres, 2, 2, "bob", 100, 50, messages: 3) +
        Mailbox(postgres, 3, 3, "carol", 200, 80, messages: 2) +
        MailboxSync(postgres);

    /// <summary>The target: dave (id 1) and ann (id 2, the source's user 1 by externid and objectclass), dave's mailbox over hierarchy 1 to 9, instances 1 and 2.</summary>
    public static string MailboxTargetData(bool postgres) =>
        "INSERT INTO users (id, externid, objectclass, company) VALUES (1, 'dave', 65537, 0), (2, 'ann', 65537, 0);\n" +
        Mailbox(postgres, 1, 1, "dave", 1, 1, messages: 2) +
        MailboxSync(postgres);

    /// <summary>
    /// A mailbox: the tree of <see cref="Store"/> (root, IPM_SUBTREE, Inbox, Sent Items, Projects, then messages each with
    /// one attachment), every row's name, each message's size and 24-byte entry id, each attachment's size, compression
    /// flag and instance (<paramref name="instance"/> onwards, one per attachment), and the store row. Message 1's
    /// subject has text beyond Latin-1 and beyond the BMP.
    /// </summary>
    public static string Mailbox(bool postgres, int store, int user, string name, int root, int instance, int messages)
    {
        var rows = new List<(int Id, int? Parent, int Type, string Name)>
        {
            (root, null, StoreType, $"{name}'s store"),
            (root + 1, root, FolderType, "IPM_SUBTREE"),
            (root + 2, root + 1, FolderType, "Inbox"),
            (root + 3, root + 1, FolderType, "Sent Items"),
            (root + 4, root + 2, FolderType, "Projects"),
        };
        for (var m = 0; m < messages; m++)
        {
            var id = root + 5 + 2 * m;
            rows.Add((id, m % 2 == 0 ? root + 2 : root + 4, MessageType, SubjectOf(name, m)));
            rows.Add((id + 1, id, AttachmentType, $"{name} attachment {m + 1}"));
        }
        string Flag(bool value) => value ? (postgres ? "true" : "1") : (postgres ? "false" : "0");
        var properties = rows.Select(r => $"({r.Id}, {(r.Type == MessageType ? Subject : DisplayName)}, {Unicode}, NULL, {Text(r.Name)}, NULL, {Flag(false)})")
            .Concat(rows.Where(r => r.Type == MessageType).Select(r => $"({r.Id}, {MessageSize}, {Long}, {1000 + r.Id - root}, NULL, NULL, {Flag(false)})"))
            .Concat(rows.Where(r => r.Type == MessageType).Select(r => $"({r.Id}, {EntryId}, {Binary}, NULL, NULL, {Bytes(postgres, EntryIdOf(name, r.Id - root))}, {Flag(false)})"))
            .Concat(Enumerable.Range(0, messages).Select(m =>
                $"({root + 6 + 2 * m}, {AttachSize}, {Long}, {AttachmentContent(name, m).Length}, NULL, NULL, {Flag(Compressed(m))})"));
        var sql = new StringBuilder();
        sql.Append("INSERT INTO hierarchy (id, parent, type, flags, owner) VALUES ")
            .AppendJoin(", ", rows.Select(r => $"({r.Id}, {(r.Parent is { } p ? p.ToString(CultureInfo.InvariantCulture) : "NULL")}, {r.Type}, 0, {user})"))
            .Append(";\n");
        sql.Append("INSERT INTO properties (hierarchyid, tag, type, val_ulong, val_string, val_binary, comp) VALUES ").AppendJoin(", ", properties).Append(";\n");
        sql.Append("INSERT INTO singleinstances (instanceid, hierarchyid, tag) VALUES ")
            .AppendJoin(", ", Enumerable.Range(0, messages).Select(m => $"({instance + m}, {root + 6 + 2 * m}, {AttachDataBin})"))
            .Append(";\n");
        sql.Append(CultureInfo.InvariantCulture,
            $"INSERT INTO stores (id, hierarchy_id, user_id, type, user_name, company, guid) VALUES ({store}, {root}, {user}, 0, '{name}', 0, {Guid(postgres, store)});\n");
        return sql.ToString();
    }

    /// <summary>The files of a mailbox's attachments, as Kopano lays them out: relative path (instance id, <c>.gz</c> when compressed) and content.</summary>
    public static IEnumerable<(string Path, byte[] Content)> AttachmentFiles(string name, int instance, int messages) =>
        Enumerable.Range(0, messages).Select(m => (AttachmentPath(instance + m) + (Compressed(m) ? ".gz" : ""), AttachmentContent(name, m)));

    /// <summary>
    /// The content of attachment <paramref name="m"/> (from 0) of <paramref name="name"/>'s mailbox: a few kilobytes
    /// derived from its name; attachments 1 and 2 have the same content (a file sent twice).
    /// </summary>
    public static byte[] AttachmentContent(string name, int m)
    {
        var seed = m == 1 ? 0 : m;
        var content = new byte[3000 + 700 * seed];
        for (var i = 0; i < content.Length; i += 32)
        {
            var block = SHA256.HashData(Encoding.UTF8.GetBytes($"{name}/{seed}/{i}"));
            block.AsSpan(0, Math.Min(32, content.Length - i)).CopyTo(content.AsSpan(i));
        }
        return content;
    }

    /// <summary>True for the attachments kept compressed (<c>.gz</c>): every third.</summary>
    public static bool Compressed(int m) => m % 3 == 2;

    /// <summary>The subject of message <paramref name="m"/> (from 0).</summary>
    public static string SubjectOf(string name, int m) => m == 0 ? $"{name}: Grüße 👋 日本 — it's \"quoted\"" : $"{name} message {m + 1}";

    /// <summary>
    /// A mailbox as people read it, one line per row of its tree (sorted by the caller, ordinally): the path of names
    /// from the store's root, the row's type, and a message's size and entry id length, an attachment's size. Equal on
    /// source and target exactly when the tree, its properties and every parent link moved intact. Runs on MariaDB (test
    /// sessions read <c>||</c> as concatenation) and PostgreSQL.
    /// </summary>
    public static string MailboxQuery(string storeUserName) => $"""
        WITH RECURSIVE tree (id, path, type) AS (
          SELECT h.id, n.val_string, h.type
          FROM stores s JOIN hierarchy h ON h.id = s.hierarchy_id
          JOIN properties n ON n.hierarchyid = h.id AND n.tag = {DisplayName}
          WHERE s.user_name = '{storeUserName}'
          UNION ALL
          SELECT h.id, t.path || '/' || n.val_string, h.type
          FROM tree t JOIN hierarchy h ON h.parent = t.id
          JOIN properties n ON n.hierarchyid = h.id AND n.tag IN ({DisplayName}, {Subject}) AND n.type = {Unicode})
        SELECT t.path || ' ' || t.type || COALESCE(' size ' || z.val_ulong, '') || COALESCE(' entry id of ' || LENGTH(e.val_binary), '')
               || COALESCE(' attachment of ' || a.val_ulong, '')
        FROM tree t LEFT JOIN properties z ON z.hierarchyid = t.id AND z.tag = {MessageSize}
        LEFT JOIN properties e ON e.hierarchyid = t.id AND e.tag = {EntryId}
        LEFT JOIN properties a ON a.hierarchyid = t.id AND a.tag = {AttachSize}
        """;

    /// <summary>Each attachment's name (<c>ann attachment 3</c>) with its instance id, for the mailbox of <paramref name="name"/>.</summary>
    public static string InstancesQuery(string name) =>
        $"SELECT n.val_string, i.instanceid FROM singleinstances i JOIN properties n ON n.hierarchyid = i.hierarchyid AND n.tag = {DisplayName} " +
        $"WHERE n.val_string LIKE '{name} attachment %' ORDER BY n.val_string";

    private static byte[] EntryIdOf(string name, int offset) => SHA256.HashData(Encoding.UTF8.GetBytes($"{name}#{offset}"))[..24];

    private static string Bytes(bool postgres, byte[] value) =>
        postgres ? $"'\\x{Convert.ToHexString(value)}'::bytea" : $"X'{Convert.ToHexString(value)}'";

    private static string Text(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string MailboxSync(bool postgres) => postgres
        ? "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX(id) FROM users));\n" +
          "SELECT setval(pg_get_serial_sequence('hierarchy', 'id'), (SELECT MAX(id) FROM hierarchy));\n" +
          "SELECT setval(pg_get_serial_sequence('stores', 'id'), (SELECT MAX(id) FROM stores));\n" +
          "SELECT setval(pg_get_serial_sequence('singleinstances', 'instanceid'), (SELECT MAX(instanceid) FROM singleinstances));\n"
        : "";
}
