using System.Globalization;
using System.Text;

namespace Ferry.Testing;

/// <summary>
/// A Kopano-like mail server (issue 13 point 5, ownership that runs the other way): <c>stores</c> point at the root
/// of their folder tree through <c>hierarchy_id</c>, <c>hierarchy</c> rows form the tree through <c>parent</c> (folders,
/// messages, attachments), and <c>properties</c> hold each row's values keyed by <c>(hierarchyid, tag, type)</c>, as
/// Kopano's own schema has them. Kopano declares no foreign key; <see cref="Schema"/> can declare them, to test a
/// profile that only says who owns along a declared key. The data is generated: stores of ann, bob and carol on the
/// source; dave's store and an existing ann (same <c>externid</c>, another id) on the target, whose hierarchy ids
/// collide with the source's.
/// </summary>
public static partial class KopanoStores
{
    /// <summary>Kopano's property tags (MAPI): display name, subject, message size; and their types.</summary>
    public const int DisplayName = 0x3001, Subject = 0x0037, MessageSize = 0x0E08, Unicode = 0x001F, Long = 0x0003;

    /// <summary>Kopano's object types in <c>hierarchy.type</c>: store root, folder, message, attachment.</summary>
    public const int StoreType = 1, FolderType = 3, MessageType = 5, AttachmentType = 7;

    /// <summary>The profile of the Kopano schema without declared keys: every reference is a relation.</summary>
    public const string ProfileYaml = """
        app: kopano
        root: {table: stores, key: id}
        relations:
          - {from: stores.hierarchy_id, to: hierarchy, owner: from}   # a store owns its folder tree
          - {from: hierarchy.parent, to: hierarchy, owner: to}        # a folder owns what is in it
          - {from: properties.hierarchyid, to: hierarchy, owns: true}
          - {from: stores.user_id, to: users}
          - {from: hierarchy.owner, to: users}
        identities:
          - {table: users, key: externid}
        """;

    /// <summary>The profile of the same schema with declared foreign keys: only who owns along them, and the users.</summary>
    public const string DeclaredProfileYaml = """
        app: kopano
        root: {table: stores, key: id}
        relations:
          - {from: stores.hierarchy_id, owner: from}
          - {from: hierarchy.parent, owner: to}
        identities:
          - {table: users, key: externid}
        """;

    /// <summary>
    /// The schema; <paramref name="declared"/> adds the foreign keys Kopano leaves out; <paramref name="kopanoKey"/> gives
    /// <c>stores</c> Kopano's own primary key, <c>(hierarchy_id, id)</c>, with <c>id</c> unique by itself.
    /// </summary>
    public static string Schema(bool postgres, bool declared, bool kopanoKey)
    {
        var storeKeys = kopanoKey
            ? $"hierarchy_id {(postgres ? "int" : "INTEGER")} NOT NULL{(declared ? " REFERENCES hierarchy (id)" : "")}, id {(postgres ? "serial" : "INTEGER NOT NULL")} UNIQUE"
            : null;
        var schema = Schema(postgres, declared);
        return storeKeys is null ? schema : schema
            .Replace($"CREATE TABLE stores (id {(postgres ? "serial PRIMARY KEY" : "INTEGER PRIMARY KEY")}, hierarchy_id {(postgres ? "int" : "INTEGER")} NOT NULL UNIQUE{(declared ? " REFERENCES hierarchy (id)" : "")},",
                $"CREATE TABLE stores ({storeKeys},", StringComparison.Ordinal)
            .Replace("guid " + (postgres ? "bytea" : "BLOB") + " NOT NULL);", "guid " + (postgres ? "bytea" : "BLOB") + " NOT NULL, PRIMARY KEY (hierarchy_id, id));", StringComparison.Ordinal);
    }

    /// <summary>
    /// The schema as Kopano declares it on MariaDB/MySQL, where it runs: unsigned integers, no foreign key at all,
    /// composite primary keys, BLOBs, and <c>stores.id</c> AUTO_INCREMENT outside the primary key <c>(hierarchy_id, id)</c>.
    /// (Kopano's <c>externid</c> is VARBINARY; here VARCHAR, so that people are matched by text on every target.)
    /// </summary>
    public const string MariaDbSchema = """
        CREATE TABLE users (id int(11) unsigned NOT NULL AUTO_INCREMENT, externid varchar(255) NOT NULL, objectclass int(11) NOT NULL DEFAULT 0,
          company int(11) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (id), UNIQUE KEY externid (externid)) ENGINE=InnoDB;
        CREATE TABLE hierarchy (id int(11) unsigned NOT NULL AUTO_INCREMENT, parent int(11) unsigned DEFAULT NULL, type tinyint(4) unsigned NOT NULL DEFAULT 0,
          flags smallint(6) unsigned NOT NULL DEFAULT 0, owner int(11) unsigned NOT NULL DEFAULT 0, PRIMARY KEY (id), KEY parenttypeflags (parent, type, flags)) ENGINE=InnoDB;
        CREATE TABLE stores (id int(11) unsigned NOT NULL AUTO_INCREMENT, hierarchy_id int(11) unsigned NOT NULL DEFAULT 0, user_id int(11) unsigned NOT NULL DEFAULT 0,
          type smallint(6) unsigned NOT NULL DEFAULT 0, user_name varchar(255) NOT NULL DEFAULT '', guid blob NOT NULL,
          PRIMARY KEY (hierarchy_id, id), UNIQUE KEY id (id), UNIQUE KEY hierarchy (hierarchy_id)) ENGINE=InnoDB;
        CREATE TABLE properties (hierarchyid int(11) unsigned NOT NULL DEFAULT 0, tag smallint(6) unsigned NOT NULL DEFAULT 0, type smallint(6) unsigned NOT NULL DEFAULT 0,
          val_ulong int(11) unsigned DEFAULT NULL, val_string longtext, PRIMARY KEY (hierarchyid, tag, type)) ENGINE=InnoDB;
        """;

    /// <summary>The schema; <paramref name="declared"/> adds the foreign keys Kopano leaves out.</summary>
    public static string Schema(bool postgres, bool declared)
    {
        var (id, i, blob) = postgres ? ("serial PRIMARY KEY", "int", "bytea") : ("INTEGER PRIMARY KEY", "INTEGER", "BLOB");
        string Ref(string to) => declared ? $" REFERENCES {to} (id)" : "";
        return $"""
            CREATE TABLE users (id {id}, externid TEXT NOT NULL UNIQUE, objectclass {i} NOT NULL, company {i} NOT NULL DEFAULT 0);
            CREATE TABLE hierarchy (id {id}, parent {i}{Ref("hierarchy")}, type {i} NOT NULL, flags {i} NOT NULL DEFAULT 0,
                                    owner {i} NOT NULL{Ref("users")});
            CREATE INDEX parenttypeflags ON hierarchy (parent, type, flags);
            CREATE TABLE stores (id {id}, hierarchy_id {i} NOT NULL UNIQUE{Ref("hierarchy")}, user_id {i} NOT NULL{Ref("users")},
                                 type {i} NOT NULL DEFAULT 0, user_name TEXT NOT NULL, guid {blob} NOT NULL);
            CREATE TABLE properties (hierarchyid {i} NOT NULL{Ref("hierarchy")}, tag {i} NOT NULL, type {i} NOT NULL,
                                     val_ulong {i}, val_string TEXT, PRIMARY KEY (hierarchyid, tag, type));
            """;
    }

    /// <summary>The source: ann's store (id 1, tree from hierarchy 1), bob's (2, from 100), carol's (3, from 200).</summary>
    public static string SourceData(bool postgres) =>
        "INSERT INTO users (id, externid, objectclass) VALUES (1, 'ann', 65537), (2, 'bob', 65537), (3, 'carol', 65537);\n" +
        Store(postgres, 1, 1, "ann", 1, messages: 6) +
        Store(postgres, 2, 2, "bob", 100, messages: 3) +
        Store(postgres, 3, 3, "carol", 200, messages: 2) +
        Sync(postgres);

    /// <summary>The target: dave (id 1) and ann (id 2, the source's user 1 by externid), dave's store over hierarchy 1 to 7.</summary>
    public static string TargetData(bool postgres) =>
        "INSERT INTO users (id, externid, objectclass) VALUES (1, 'dave', 65537), (2, 'ann', 65537);\n" +
        Store(postgres, 1, 1, "dave", 1, messages: 2) +
        Sync(postgres);

    /// <summary>The size of the tree <see cref="Store"/> writes for a store with that many messages.</summary>
    public static int TreeSize(int messages) => 5 + 2 * messages;

    /// <summary>
    /// A store and its tree, ids from <paramref name="root"/>: the store's root, IPM_SUBTREE, Inbox, Sent Items and
    /// Projects (in the Inbox), then <paramref name="messages"/> messages alternating between Inbox and Projects,
    /// each with one attachment; every row has its display name or subject, every message its size.
    /// </summary>
    public static string Store(bool postgres, int store, int user, string name, int root, int messages)
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
            rows.Add((id, m % 2 == 0 ? root + 2 : root + 4, MessageType, $"{name} message {m + 1}"));
            rows.Add((id + 1, id, AttachmentType, $"{name} attachment {m + 1}"));
        }
        var sql = new StringBuilder();
        sql.Append("INSERT INTO hierarchy (id, parent, type, owner) VALUES ")
            .AppendJoin(", ", rows.Select(r => $"({r.Id}, {(r.Parent is { } p ? p.ToString(CultureInfo.InvariantCulture) : "NULL")}, {r.Type}, {user})"))
            .Append(";\n");
        sql.Append("INSERT INTO properties (hierarchyid, tag, type, val_ulong, val_string) VALUES ")
            .AppendJoin(", ", rows.Select(r => $"({r.Id}, {(r.Type == MessageType ? Subject : DisplayName)}, {Unicode}, NULL, '{r.Name.Replace("'", "''", StringComparison.Ordinal)}')")
                .Concat(rows.Where(r => r.Type == MessageType).Select(r => $"({r.Id}, {MessageSize}, {Long}, {1000 + r.Id - root}, NULL)")))
            .Append(";\n");
        sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO stores (id, hierarchy_id, user_id, type, user_name, guid) VALUES ({store}, {root}, {user}, 0, '{name}', {Guid(postgres, store)});\n");
        return sql.ToString();
    }

    /// <summary>A store's 16-byte GUID as a literal of the engine.</summary>
    public static string Guid(bool postgres, int store)
    {
        var hex = $"{store:X2}" + new string('A', 30);
        return postgres ? $"'\\x{hex}'::bytea" : $"X'{hex}'";
    }

    /// <summary>
    /// A store's tree as people read it, one line per row in a deterministic order: the path of names from the
    /// store's root (names from <c>properties</c>), the row's type, and its size when it is a message. Equal on
    /// source and target exactly when the tree, its properties and every parent link moved intact.
    /// </summary>
    public static string TreeQuery(string storeUserName) => $"""
        WITH RECURSIVE tree (id, path, type) AS (
          SELECT h.id, CAST(n.val_string AS TEXT), h.type
          FROM stores s JOIN hierarchy h ON h.id = s.hierarchy_id
          JOIN properties n ON n.hierarchyid = h.id AND n.tag = {DisplayName}
          WHERE s.user_name = '{storeUserName}'
          UNION ALL
          SELECT h.id, t.path || '/' || n.val_string, h.type
          FROM tree t JOIN hierarchy h ON h.parent = t.id
          JOIN properties n ON n.hierarchyid = h.id AND n.tag IN ({DisplayName}, {Subject}) AND n.type = {Unicode})
        SELECT t.path || ' ' || CAST(t.type AS TEXT) || COALESCE(' ' || CAST(z.val_ulong AS TEXT), '')
        FROM tree t LEFT JOIN properties z ON z.hierarchyid = t.id AND z.tag = {MessageSize}
        ORDER BY 1
        """;

    private static string Sync(bool postgres) => postgres
        ? string.Concat(new[] { "users", "hierarchy", "stores" }.Select(t => $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}));\n"))
        : "";
}
