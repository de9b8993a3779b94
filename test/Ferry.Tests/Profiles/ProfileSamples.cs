namespace Ferry.Tests.Profiles;

/// <summary>The team's complete example profile (every rule kind), with known line numbers.</summary>
internal static class ProfileSamples
{
    public const string Full = """
        app: community            # optional, informational
        root: {table: groups, key: id}
        complete: true
        follow: [conversations.latest_message_id]
        exclude:
          - sessions
          - {table: audit_log, reason: "instance-specific audit trail"}
        ignore:
          - {table: django_migrations, reason: "framework bookkeeping"}
        identities:
          - table: users
            key: email
            case_insensitive: true
            missing: create
          - table: people
            key: [first, last]
            missing: placeholder
            placeholder: {is_active: false, display_name: "Former member", age: 0, score: 1.5, note: null, code: '007'}
        relations:
          - {from: comments.post_id, to: posts}
          - {from: reactions.target_id, type_column: target_type, types: {post: posts, comment: comments}, owns: true}
          - {from: events.tag_ids, to: tags.id, array: true}
          - {from: history.payload, path: "$.place_id", to: places}
        files:
          - {store: photos, table: photos, column: path, missing: warn}
        transforms:
          - {rename_table: old_name, to: new_name}
          - {rename_column: users.fullname, to: display_name}
          - {drop_column: users.legacy_flag}
          - {set: users.is_superuser, value: false}
          - {map: users.role, values: {admin: member, owner: member}}
          - {fill: places.slug, sql: "lower(replace(name, ' ', '-'))"}
          - {sql: "UPDATE {places} SET kind = lower(kind)"}
        conflicts:
          - {table: tags, key: slug, action: reuse}
          - {table: groups, constraint: groups_slug_key, action: rename, pattern: "{value} (imported)"}
          - {table: places, key: [group_id, name]}
        requires:
          - {on: source, sql: "SELECT MAX(revision) >= 63 FROM schema_version", message: "schema revision must be at least 63"}
          - {on: target, sql: "SELECT 1", message: "never"}
        """;
}
