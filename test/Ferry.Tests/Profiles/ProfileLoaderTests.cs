using Ferry.Profiles;

namespace Ferry.Tests.Profiles;

/// <summary>The loader reads the complete example into the expected records, each with its line.</summary>
public class ProfileLoaderTests
{
    private static readonly Profile P = ProfileLoader.Parse(ProfileSamples.Full, "/some/dir/community.yaml");

    [Fact]
    public void Top_level_rules()
    {
        Assert.Equal("/some/dir/community.yaml", P.Path);
        Assert.Equal("community", P.App);
        Assert.Equal(new RootRule("groups", "id", 2), P.Root);
        Assert.True(P.Complete);
        Assert.Equal([new FollowRule("conversations", "latest_message_id", 4)], P.Follow);
        Assert.Equal([new TableRule("sessions", null, 6), new TableRule("audit_log", "instance-specific audit trail", 7)], P.Exclude);
        Assert.Equal([new TableRule("django_migrations", "framework bookkeeping", 9)], P.Ignore);
        Assert.Equal("profile community.yaml:12", P.Where(12));
    }

    [Fact]
    public void An_identity_reads_where_and_prefer_as_one_column_or_a_list_with_directions()
    {
        var p = ProfileLoader.Parse("""
            identities:
              - {table: users, key: email, where: "state = 'active'", prefer: [last_login DESC, id asc, name]}
              - {table: tags, key: name, prefer: id}
            """, "app.yaml");

        Assert.Equal("state = 'active'", p.Identities[0].Where);
        Assert.Equal([new PreferColumn("last_login", true), new PreferColumn("id", false), new PreferColumn("name", false)], p.Identities[0].Prefer);
        Assert.Null(p.Identities[1].Where);
        Assert.Equal([new PreferColumn("id", false)], p.Identities[1].Prefer);
        Assert.Empty(P.Identities[0].Prefer);
    }

    [Fact]
    public void An_identity_reads_a_key_taken_through_another_table()
    {
        var p = ProfileLoader.Parse(
            "identities:\n  - {table: users, key: value, through: {table: user_properties, column: user_id, where: \"name = 'email'\"}}\n", "app.yaml");

        Assert.Equal(new IdentityThrough("user_properties", "user_id", "name = 'email'"), p.Identities[0].Through);
        Assert.Equal(["value"], p.Identities[0].Columns);
        Assert.Null(P.Identities[0].Through);
    }

    [Fact]
    public void Identities_with_typed_placeholder_values()
    {
        var users = P.Identities[0];
        Assert.Equal(("users", "email", true, MissingIdentity.Create, 11), (users.Table, Assert.Single(users.Columns), users.CaseInsensitive, users.Missing, users.Line));
        Assert.Empty(users.Placeholder);
        var people = P.Identities[1];
        Assert.Equal(["first", "last"], people.Columns);
        Assert.Equal((false, MissingIdentity.Placeholder, 15), (people.CaseInsensitive, people.Missing, people.Line));
        Assert.Equal(false, people.Placeholder["is_active"]);
        Assert.Equal("Former member", people.Placeholder["display_name"]);
        Assert.Equal(0L, people.Placeholder["age"]);
        Assert.Equal(1.5, people.Placeholder["score"]);
        Assert.Null(people.Placeholder["note"]);
        Assert.Equal("007", people.Placeholder["code"]);
    }

    [Fact]
    public void Relations_of_every_kind()
    {
        var (plain, poly, array, json) = (P.Relations[0], P.Relations[1], P.Relations[2], P.Relations[3]);
        Assert.Equal(("comments", "post_id", RelationKind.Column, "posts", null, false, 20), (plain.Table, plain.Column, plain.Kind, plain.RefTable, plain.RefColumn, plain.Owns, plain.Line));
        Assert.Equal(("reactions", "target_id", RelationKind.Polymorphic, null, "target_type", true, 21), (poly.Table, poly.Column, poly.Kind, poly.RefTable, poly.TypeColumn, poly.Owns, poly.Line));
        Assert.Equal(new Dictionary<string, string> { ["post"] = "posts", ["comment"] = "comments" }, poly.Types);
        Assert.Equal((RelationKind.Array, "tags", "id", (string?)null, 22), (array.Kind, array.RefTable, array.RefColumn, array.Path, array.Line));
        Assert.Equal((RelationKind.Json, "history", "payload", "places", "$.place_id", 23), (json.Kind, json.Table, json.Column, json.RefTable, json.Path, json.Line));
    }

    [Fact]
    public void Files_transforms_conflicts_requires()
    {
        Assert.Equal([new FileRule("photos", "photos", "path", MissingFile.Warn, 25)], P.Files);

        Assert.Equal(new RenameTable("old_name", "new_name", 27), P.Transforms[0]);
        Assert.Equal(new RenameColumn("users", "fullname", "display_name", 28), P.Transforms[1]);
        Assert.Equal(new DropColumn("users", "legacy_flag", 29), P.Transforms[2]);
        Assert.Equal(new SetColumn("users", "is_superuser", false, 30), P.Transforms[3]);
        var map = Assert.IsType<MapValues>(P.Transforms[4]);
        Assert.Equal(("users", "role", 31), (map.Table, map.Column, map.Line));
        Assert.Equal(new Dictionary<string, object?> { ["admin"] = "member", ["owner"] = "member" }, map.Values);
        Assert.Equal(new FillColumn("places", "slug", "lower(replace(name, ' ', '-'))", 32), P.Transforms[5]);
        Assert.Equal(new StagingSql("UPDATE {places} SET kind = lower(kind)", 33), P.Transforms[6]);
        Assert.Equal(7, P.Transforms.Count);

        var (reuse, rename, fail) = (P.Conflicts[0], P.Conflicts[1], P.Conflicts[2]);
        Assert.Equal(("tags", null, ConflictAction.Reuse, 35), (reuse.Table, reuse.Constraint, reuse.Action, reuse.Line));
        Assert.Equal(["slug"], reuse.Columns);
        Assert.Equal(("groups", "groups_slug_key", ConflictAction.Rename, "{value} (imported)", 36), (rename.Table, rename.Constraint, rename.Action, rename.Pattern, rename.Line));
        Assert.Empty(rename.Columns);
        Assert.Equal((ConflictAction.Fail, 37), (fail.Action, fail.Line));
        Assert.Equal(["group_id", "name"], fail.Columns);

        Assert.Equal(new RequireRule(RequireSide.Source, "SELECT MAX(revision) >= 63 FROM schema_version", "schema revision must be at least 63", 39), P.Requires[0]);
        Assert.Equal((RequireSide.Target, 40), (P.Requires[1].On, P.Requires[1].Line));
    }

    [Fact]
    public void A_minimal_profile_has_defaults()
    {
        var p = ProfileLoader.Parse("root: groups\n", "app.yaml");
        Assert.Equal(new RootRule("groups", null, 1), p.Root);
        Assert.False(p.Complete);
        Assert.Empty(p.Follow);
        Assert.Empty(p.Requires);
        var empty = ProfileLoader.Parse("root: groups\nexclude:\nfollow: []\n", "app.yaml");
        Assert.Empty(empty.Exclude);
    }

    [Fact]
    public void Defaults_of_identities_files_and_relations()
    {
        var p = ProfileLoader.Parse("""
            identities: [{table: users, key: email}]
            files: [{store: s, table: t, column: c}]
            relations: [{from: a.b, to: c, path: "$.x.y[*]"}]
            """, "app.yaml");
        Assert.Equal((false, MissingIdentity.Create), (p.Identities[0].CaseInsensitive, p.Identities[0].Missing));
        Assert.Equal(MissingFile.Fail, p.Files[0].Missing);
        Assert.Equal((RelationKind.Json, "$.x.y[*]", false), (p.Relations[0].Kind, p.Relations[0].Path, p.Relations[0].Owns));
    }

    [Fact]
    public void Load_reads_the_file_and_names_a_missing_one()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ferry-profile-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, ProfileSamples.Full);
        try
        {
            Assert.Equal(P.Transforms.Count, ProfileLoader.Load(path).Transforms.Count);
        }
        finally
        {
            File.Delete(path);
        }
        var error = Assert.Throws<FerryException>(() => ProfileLoader.Load(path));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.StartsWith($"cannot read profile {path}: ", error.Message, StringComparison.Ordinal);
    }
}
