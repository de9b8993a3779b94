namespace Ferry.Testing;

/// <summary>
/// The CKAN-like portal of samples/ckan as issue 13's end-to-end tests move it (library and CLI tiers): its profile,
/// the source portal's data (two organisations, thematic groups, tags with a vocabulary, activity documents with ids
/// at any depth) and a target portal that already has some of its people, tags and thematic groups.
/// Ids: the first digit says the kind, the last digits the row (source) or 9xx (the target's own rows).
/// </summary>
public static class CkanPortal
{
    public const string ProfileYaml = """
        app: ckan
        root: group
        shared:
          - {table: group, reason: thematic groups are used by every organisation}
        relations:
          - {from: package.owner_org, to: group, owns: true}
          - {from: member.table_id, type_column: table_name, types: {user: user, package: package}, owns: true}
          - {from: activity.object_id, type_column: activity_type, types: {"new package": package, "changed package": package}, owns: true}
          - {from: activity.user_id, to: user}
          - {from: activity.data, path: "$.package.id", to: package}
          - {from: activity.data, path: "$.package.owner_org", to: group}
          - {from: activity.data, path: "$.package.creator_user_id", to: user}
          - {from: activity.data, path: "$.package.tags[*].id", to: tag}
          - {from: activity.data, path: "$.package.groups[*].id", to: group}
        identities:
          - {table: user, key: email}
          - {table: vocabulary, key: name}
          - {table: tag, key: [name, vocabulary_id]}
          - {table: group, key: name}
        transforms:
          - {set: user.sysadmin, value: false}
        """;

    // Ids: the first digit says the kind, the last digits the row (source) or 9xx (target's own rows).
    public static string Id(int kind, int n) => $"{kind:D8}-0000-4000-8000-{n:D12}";

    // The first activity's document, with its ids as placeholders: {P1} and so on.
    public const string Document =
        "{\"package\": {\"id\": \"{P1}\", \"name\": \"rivers\", \"owner_org\": \"{ORG1}\", \"creator_user_id\": \"{ALICE}\", " +
        "\"tags\": [{\"id\": \"{CSV}\", \"name\": \"csv\"}, {\"name\": \"no id\"}, {\"id\": \"{MAPS}\", \"name\": \"maps\"}], " +
        "\"groups\": [{\"id\": \"{THEME1}\", \"name\": \"theme-1\"}], \"extras\": {\"z\": 1.50, \"a\": \"caf\\u00e9\"}},  \"actor\": \"alice\"}";

    public static readonly string Lakes =
        "{\"package\": {\"id\": \"" + Id(4, 2) + "\", \"tags\": [{\"id\": \"" + Id(6, 2) + "\"}], \"groups\": [{\"id\": \"" + Id(2, 12) + "\"}, {\"id\": \"" + Id(2, 2) + "\"}]}}";

    public static readonly string Roads = "{\"package\": {\"id\": \"" + Id(4, 3) + "\"}}";

    public static string Fill(string text, IReadOnlyDictionary<string, string> ids) =>
        ids.Aggregate(text, (t, p) => t.Replace("{" + p.Key + "}", p.Value, StringComparison.Ordinal));

    public static readonly Dictionary<string, string> SourceIds = new()
    {
        ["P1"] = Id(4, 1), ["ORG1"] = Id(2, 1), ["ALICE"] = Id(1, 1), ["CSV"] = Id(6, 1), ["MAPS"] = Id(6, 2), ["THEME1"] = Id(2, 11),
    };

    /// <summary>The portal's schema as samples/ckan writes it for <paramref name="engine"/> (one of <see cref="TestEngines.All"/>).</summary>
    public static string SchemaSql(string engine)
    {
        var root = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(root, "samples", "ckan")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("samples/ckan not found above the test's directory");
        }
        var file = engine switch
        {
            TestEngines.Postgres => "schema.postgres.sql",
            TestEngines.MariaDb => "schema.mariadb.sql",
            TestEngines.Sqlite => "schema.sql",
            _ => throw new ArgumentException($"unknown test engine {engine}", nameof(engine)),
        };
        return File.ReadAllText(Path.Combine(root, "samples", "ckan", file));
    }

    public static string Bool(string engine, bool value) => engine == TestEngines.Postgres ? (value ? "true" : "false") : (value ? "1" : "0");

    // A text literal's content: MariaDB reads a backslash in a literal as an escape ('\u' is 'u') unless the session has
    // NO_BACKSLASH_ESCAPES, which test sessions do not set, so the document's \u00e9 is written with its backslash doubled.
    private static string Text(string engine, string value) => engine == TestEngines.MariaDb ? value.Replace("\\", "\\\\", StringComparison.Ordinal) : value;

    public static string SourceData(string engine) => $"""
        INSERT INTO vocabulary (id, name) VALUES ('{Id(3, 1)}', 'formats');
        INSERT INTO "user" (id, name, email, state, sysadmin, created) VALUES
          ('{Id(1, 1)}', 'alice', 'alice@example.org', 'active', {Bool(engine, true)}, '2024-01-01 10:00:00'),
          ('{Id(1, 2)}', 'bob', 'bob@example.org', 'active', {Bool(engine, true)}, '2024-01-01 10:00:00'),
          ('{Id(1, 3)}', 'carol', 'carol@example.org', 'active', {Bool(engine, false)}, '2024-01-01 10:00:00');
        INSERT INTO "group" (id, name, title, type, is_organization, created) VALUES
          ('{Id(2, 1)}', 'org-1', 'Rivers agency', 'organization', {Bool(engine, true)}, '2024-01-01 10:00:00'),
          ('{Id(2, 2)}', 'org-2', 'Other agency', 'organization', {Bool(engine, true)}, '2024-01-01 10:00:00'),
          ('{Id(2, 11)}', 'theme-1', 'Water', 'group', {Bool(engine, false)}, '2024-01-01 10:00:00'),
          ('{Id(2, 12)}', 'theme-2', 'Maps', 'group', {Bool(engine, false)}, '2024-01-01 10:00:00'),
          ('{Id(2, 13)}', 'theme-3', 'Unused', 'group', {Bool(engine, false)}, '2024-01-01 10:00:00');
        INSERT INTO tag (id, name, vocabulary_id) VALUES
          ('{Id(6, 1)}', 'csv', '{Id(3, 1)}'), ('{Id(6, 2)}', 'maps', '{Id(3, 1)}'), ('{Id(6, 3)}', 'other', '{Id(3, 1)}');
        INSERT INTO package (id, name, title, owner_org, creator_user_id, metadata_modified) VALUES
          ('{Id(4, 1)}', 'rivers', 'Rivers', '{Id(2, 1)}', '{Id(1, 1)}', '2024-02-01 10:00:00'),
          ('{Id(4, 2)}', 'lakes', 'Lakes', '{Id(2, 1)}', '{Id(1, 2)}', '2024-02-01 10:00:00'),
          ('{Id(4, 3)}', 'roads', 'Roads', '{Id(2, 2)}', '{Id(1, 3)}', '2024-02-01 10:00:00');
        INSERT INTO package_tag (id, package_id, tag_id) VALUES
          ('{Id(5, 1)}', '{Id(4, 1)}', '{Id(6, 1)}'), ('{Id(5, 2)}', '{Id(4, 1)}', '{Id(6, 2)}'),
          ('{Id(5, 3)}', '{Id(4, 2)}', '{Id(6, 2)}'), ('{Id(5, 4)}', '{Id(4, 3)}', '{Id(6, 3)}');
        INSERT INTO resource (id, package_id, url, format) VALUES ('{Id(7, 1)}', '{Id(4, 1)}', 'https://example.org/rivers.csv', 'CSV');
        INSERT INTO member (id, group_id, table_name, table_id, capacity) VALUES
          ('{Id(8, 1)}', '{Id(2, 1)}', 'user', '{Id(1, 1)}', 'admin'),
          ('{Id(8, 2)}', '{Id(2, 1)}', 'user', '{Id(1, 2)}', 'editor'),
          ('{Id(8, 3)}', '{Id(2, 2)}', 'user', '{Id(1, 3)}', 'admin'),
          ('{Id(8, 4)}', '{Id(2, 11)}', 'package', '{Id(4, 1)}', 'public'),
          ('{Id(8, 5)}', '{Id(2, 12)}', 'package', '{Id(4, 2)}', 'public'),
          ('{Id(8, 6)}', '{Id(2, 11)}', 'package', '{Id(4, 3)}', 'public');
        INSERT INTO activity (id, timestamp, user_id, object_id, activity_type, data) VALUES
          ('{Id(9, 1)}', '2024-03-01 10:00:00', '{Id(1, 1)}', '{Id(4, 1)}', 'new package', '{Text(engine, Fill(Document, SourceIds))}'),
          ('{Id(9, 2)}', '2024-03-02 10:00:00', '{Id(1, 2)}', '{Id(4, 2)}', 'changed package',
           '{Lakes}'),
          ('{Id(9, 3)}', '2024-03-03 10:00:00', '{Id(1, 3)}', '{Id(4, 3)}', 'new package', '{Roads}');
        """;

    // The target portal: alice, the formats vocabulary with csv, and theme-1, under ids of its own.
    public static string TargetData(string engine) => $"""
        INSERT INTO vocabulary (id, name) VALUES ('{Id(3, 901)}', 'formats');
        INSERT INTO "user" (id, name, email, state, sysadmin, created) VALUES
          ('{Id(1, 901)}', 'alice', 'alice@example.org', 'active', {Bool(engine, false)}, '2023-01-01 10:00:00'),
          ('{Id(1, 902)}', 'dave', 'dave@example.org', 'active', {Bool(engine, true)}, '2023-01-01 10:00:00');
        INSERT INTO "group" (id, name, title, type, is_organization, created) VALUES
          ('{Id(2, 901)}', 'theme-1', 'Water (target)', 'group', {Bool(engine, false)}, '2023-01-01 10:00:00'),
          ('{Id(2, 902)}', 'org-9', 'Target agency', 'organization', {Bool(engine, true)}, '2023-01-01 10:00:00');
        INSERT INTO tag (id, name, vocabulary_id) VALUES ('{Id(6, 901)}', 'csv', '{Id(3, 901)}');
        """;
}
