using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Tests.Profiles;

/// <summary>Identities, conflicts and file stores are checked against the target schema, all mistakes at once.</summary>
public class ProfileTargetCheckTests
{
    private static Column Text(string name) => new(name, "TEXT", FerryType.Text, Nullable: true);

    private static DatabaseSchema Target()
    {
        var id = new Column("id", "INTEGER", FerryType.Int, Nullable: false);
        var users = new Table("users", [id, Text("email"), Text("first"), Text("last"), Text("is_active")], ["id"],
            [new UniqueKey("users_pkey", ["id"], true), new UniqueKey("users_email_key", ["email"], false), new UniqueKey("users_name_key", ["first", "last"], false)], []);
        var tags = new Table("tags", [id, Text("slug"), Text("label")], ["id"], [new UniqueKey("tags_pkey", ["id"], true)], []);
        var userId = new Column("user_id", "INTEGER", FerryType.Int, Nullable: false);
        var tagId = new Column("tag_id", "INTEGER", FerryType.Int, Nullable: false);
        var taggings = new Table("taggings", [userId, tagId, Text("code")], ["user_id", "tag_id"],
            [new UniqueKey("taggings_pkey", ["user_id", "tag_id"], true), new UniqueKey("taggings_code_key", ["code"], false)],
            [new ForeignKey("taggings_user", "taggings", ["user_id"], "users", ["id"], false)]);
        var notes = new Table("notes", [id, userId, tagId], ["id"], [new UniqueKey("notes_pkey", ["id"], true)],
            [new ForeignKey("notes_tagging", "notes", ["user_id", "tag_id"], "taggings", ["user_id", "tag_id"], false)]);
        return new DatabaseSchema([users, tags, taggings, notes]);
    }

    private static void Passes(string yaml, IReadOnlyDictionary<string, string>? stores = null) =>
        ProfileCheck.AgainstTarget(ProfileLoader.Parse(yaml, "app.yaml"), Target(), stores);

    private static string Mistakes(string yaml)
    {
        var error = Assert.Throws<FerryException>(() => ProfileCheck.AgainstTarget(ProfileLoader.Parse(yaml, "app.yaml"), Target(), null));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        return error.Message;
    }

    [Fact]
    public void Correct_identities_and_conflicts_pass()
    {
        Passes("""
            identities:
              - {table: users, key: email, case_insensitive: true}
              - {table: users, key: [first, last], missing: placeholder, placeholder: {is_active: false}}
            conflicts:
              - {table: users, constraint: users_email_key, action: reuse}
              - {table: users, key: [last, first], action: fail}
              - {table: tags, key: id}
              - {table: users, key: email, action: rename, pattern: "{value}.old"}
              - {table: taggings, key: [user_id, tag_id], action: reuse}
            """);
    }

    [Fact]
    public void Export_side_rules_are_not_checked_on_the_target()
    {
        Passes("root: groups\nexclude: [sessions]\nrelations:\n  - {from: a.b, to: c}\ntransforms:\n  - {drop_column: nope.x}\n");
    }

    [Theory]
    [InlineData("identities:\n  - {table: user, key: email}", "profile app.yaml:2: unknown table user: the target has no table of that name")]
    [InlineData("identities:\n  - {table: users, key: [first, surname]}", "profile app.yaml:2: unknown column users.surname: users has no column surname in the target")]
    [InlineData("identities:\n  - {table: users, key: email, missing: placeholder, placeholder: {active: false}}", "profile app.yaml:2: unknown column users.active")]
    [InlineData("conflicts:\n  - {table: tag, key: slug}", "profile app.yaml:2: unknown table tag")]
    [InlineData("conflicts:\n  - {table: tags, key: name}", "profile app.yaml:2: unknown column tags.name")]
    [InlineData("conflicts:\n  - {table: tags, key: slug, action: reuse}", "profile app.yaml:2: (slug) is not a unique key of tags (its unique keys: tags_pkey (id))")]
    [InlineData("conflicts:\n  - {table: users, key: first}", "profile app.yaml:2: (first) is not a unique key of users")]
    [InlineData("conflicts:\n  - {table: users, constraint: users_slug_key}", "profile app.yaml:2: table users has no unique key named users_slug_key (its unique keys: users_pkey (id), users_email_key (email), users_name_key (first, last))")]
    [InlineData("files:\n  - {store: photos, table: photos, column: path}", "profile app.yaml:2: file store photos has no directory on the target: give --files photos=DIR")]
    [InlineData("conflicts:\n  - {table: taggings, key: [user_id, tag_id], action: rename, pattern: \"{value}-2\"}",
        "profile app.yaml:2: rename needs exactly one text column in the key (user_id, tag_id) that is neither the primary key nor a reference")]
    [InlineData("conflicts:\n  - {table: users, key: id, action: rename, pattern: \"{value}-2\"}", "profile app.yaml:2: rename needs exactly one text column in the key (id)")]
    [InlineData("conflicts:\n  - {table: taggings, key: code, action: reuse}",
        "profile app.yaml:2: reuse on (code): taggings has no single-column primary key and other tables point at it, so its rows cannot be mapped to existing ones")]
    public void Each_mistake_names_its_line(string yaml, string expected) =>
        Assert.StartsWith(expected, Mistakes(yaml), StringComparison.Ordinal);

    [Fact]
    public void All_mistakes_are_reported_together()
    {
        var message = Mistakes("""
            identities:
              - {table: user, key: email}
            conflicts:
              - {table: tags, key: slug}
              - {table: users, constraint: nope}
            """);
        Assert.StartsWith("3 mistakes in the profile: profile app.yaml:2: unknown table user", message, StringComparison.Ordinal);
        Assert.Contains("; profile app.yaml:4: (slug) is not a unique key of tags", message, StringComparison.Ordinal);
        Assert.Contains("; profile app.yaml:5: table users has no unique key named nope", message, StringComparison.Ordinal);
    }
}
