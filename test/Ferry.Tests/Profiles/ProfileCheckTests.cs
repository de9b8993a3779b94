using Ferry.Profiles;
using Ferry.Schema;
using Ferry.Tests.Planning;

namespace Ferry.Tests.Profiles;

/// <summary>Every export-side rule is checked against the source schema; all mistakes are reported at once, each with its line.</summary>
public sealed class ProfileCheckTests : IDisposable
{
    private readonly string _store = Directory.CreateTempSubdirectory("ferry-store-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    private static DatabaseSchema Source() => new SchemaBuilder()
        .Tables("groups", "posts", "comments", "reactions", "photos", "sessions")
        .Table("pairs", pk: "a+b")
        .Table("nokey", pk: null)
        .Fk("posts", "group_id", "groups")
        .Fk("groups", "owner_post_id", "posts", nullable: true)
        .Column("comments", "post_ref")
        .Column("reactions", "target_id").Column("reactions", "target_type")
        .Column("photos", "path")
        .Build();

    private static string Mistakes(string yaml, DatabaseSchema schema, IReadOnlyDictionary<string, string>? stores = null)
    {
        var profile = ProfileLoader.Parse(yaml, "app.yaml");
        var error = Assert.Throws<FerryException>(() => ProfileCheck.AgainstSource(profile, schema, stores));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        return error.Message;
    }

    [Fact]
    public void A_correct_profile_passes()
    {
        var profile = ProfileLoader.Parse("""
            root: {table: groups, key: id}
            follow: [groups.owner_post_id, comments.post_ref]
            exclude: [sessions]
            ignore: [nokey]
            relations:
              - {from: comments.post_ref, to: posts}
              - {from: reactions.target_id, type_column: target_type, types: {post: posts, comment: comments}}
              - {from: photos.path, to: pairs.a}
            files: [{store: photos, table: photos, column: path}]
            """, "app.yaml");
        ProfileCheck.AgainstSource(profile, Source(), new Dictionary<string, string> { ["photos"] = _store });
    }

    [Theory]
    [InlineData("root: grups", "profile app.yaml:1: unknown table grups: the source has no table of that name")]
    [InlineData("root: {table: groups, key: uid}", "profile app.yaml:1: unknown column groups.uid: groups has no column uid in the source")]
    [InlineData("root: {table: photos, key: path}", "profile app.yaml:1: root key path is not unique: no primary key or unique constraint of photos is exactly (path), so an id could select several rows")]
    [InlineData("follow: [nope.x]", "profile app.yaml:1: unknown table nope")]
    [InlineData("follow: [posts.title]", "profile app.yaml:1: unknown column posts.title")]
    [InlineData("follow: [photos.path]", "profile app.yaml:1: cannot follow photos.path: it is neither a foreign key nor a relation of the profile")]
    [InlineData("exclude: [session]", "profile app.yaml:1: unknown table session")]
    [InlineData("ignore:\n  - {table: migrations, reason: x}", "profile app.yaml:2: unknown table migrations")]
    [InlineData("relations:\n  - {from: comment.post_ref, to: posts}", "profile app.yaml:2: unknown table comment")]
    [InlineData("relations:\n  - {from: comments.post_id, to: posts}", "profile app.yaml:2: unknown column comments.post_id")]
    [InlineData("relations:\n  - {from: comments.post_ref, to: post}", "profile app.yaml:2: unknown table post")]
    [InlineData("relations:\n  - {from: comments.post_ref, to: posts.uuid}", "profile app.yaml:2: unknown column posts.uuid")]
    [InlineData("relations:\n  - {from: reactions.target_id, type_column: kind, types: {p: posts}}", "profile app.yaml:2: unknown column reactions.kind")]
    [InlineData("relations:\n  - {from: reactions.target_id, type_column: target_type, types: {p: posts, c: comment}}", "profile app.yaml:2: unknown table comment")]
    [InlineData("relations:\n  - {from: comments.post_ref, to: pairs}", "profile app.yaml:2: relation comments.post_ref → pairs: pairs has no single-column primary key; name the referenced column (to: pairs.COLUMN)")]
    [InlineData("relations:\n  - {from: comments.post_ref, to: nokey}", "profile app.yaml:2: relation comments.post_ref → nokey: nokey has no single-column primary key")]
    [InlineData("files:\n  - {store: photos, table: photo, column: path}", "profile app.yaml:2: unknown table photo")]
    [InlineData("files:\n  - {store: photos, table: photos, column: file}", "profile app.yaml:2: unknown column photos.file")]
    [InlineData("files:\n  - {store: media, table: photos, column: path}", "profile app.yaml:2: file store media has no directory on the source: give --files media=DIR")]
    public void Each_mistake_names_its_line(string yaml, string expected)
    {
        var stores = new Dictionary<string, string> { ["photos"] = _store };
        var message = Mistakes(yaml, Source(), stores);
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_directory_that_does_not_exist_is_named()
    {
        var missing = Path.Combine(_store, "gone");
        var message = Mistakes("files:\n  - {store: photos, table: photos, column: path}", Source(), new Dictionary<string, string> { ["photos"] = missing });
        Assert.Equal($"profile app.yaml:2: file store photos: directory {missing} does not exist", message);
    }

    [Fact]
    public void All_mistakes_are_reported_together_in_line_order()
    {
        var message = Mistakes("""
            root: grups
            follow: [posts.title]
            exclude: [session]
            relations:
              - {from: comments.post_ref, to: post}
            files:
              - {store: media, table: photos, column: path}
            """, Source());

        Assert.StartsWith("5 mistakes in the profile: profile app.yaml:1: unknown table grups", message, StringComparison.Ordinal);
        var lines = System.Text.RegularExpressions.Regex.Matches(message, @"profile app\.yaml:(\d+):").Select(m => m.Groups[1].Value);
        Assert.Equal(["1", "2", "3", "5", "7"], lines);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Shared_rows_need_a_known_table_and_an_identity_to_be_matched_by()
    {
        var message = Mistakes("shared:\n  - {table: groups, reason: themes}\n  - grups\nidentities:\n  - {table: posts, key: id}\n", Source());
        Assert.Contains("profile app.yaml:2: shared rows of groups are matched on the target by an identity, and the profile has none for groups", message, StringComparison.Ordinal);
        Assert.Contains("profile app.yaml:3: unknown table grups", message, StringComparison.Ordinal);
        ProfileCheck.AgainstSource(ProfileLoader.Parse("shared: [groups]\nidentities:\n  - {table: groups, key: id}\n", "app.yaml"), Source(), null);
    }

    [Fact]
    public void Only_a_tenant_table_can_hold_shared_rows()
    {
        var schema = new SchemaBuilder().Tables("groups", "posts", "users").Fk("posts", "group_id", "groups").Fk("posts", "author_id", "users").Build();
        var error = Assert.Throws<FerryException>(() => Ferry.Planning.Planner.Build(new Ferry.Planning.PlanRequest(schema, "groups", [], [], Shared: ["users"])));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains("shared: users is not a tenant table", error.Message, StringComparison.Ordinal);
        var plan = Ferry.Planning.Planner.Build(new Ferry.Planning.PlanRequest(schema, "groups", [], [], Shared: ["groups"]));
        Assert.Equal(["posts"], plan.SharedEdges.Select(e => e.Table));
    }
}
