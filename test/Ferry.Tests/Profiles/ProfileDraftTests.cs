using Ferry.Planning;
using Ferry.Profiles;

namespace Ferry.Tests.Profiles;

/// <summary>The guesses of <c>ferry profile init</c> and the YAML it writes: loadable as it is, and rule by rule once uncommented.</summary>
public sealed class ProfileDraftTests
{
    [Theory]
    [InlineData("2024/05/sunrise.jpg", false, true)]
    [InlineData("uploads/a b/Photo.JPEG", false, true)]
    [InlineData("avatar.png", true, true)]
    [InlineData("avatar.png", false, false)]
    [InlineData("example.org", false, false)]
    [InlineData("https://example.org/a.png", true, false)]
    [InlineData("/etc/passwd.txt", true, false)]
    [InlineData("C:\\x\\a.png", true, false)]
    [InlineData("../secret.txt", true, false)]
    [InlineData("a/./b.txt", true, false)]
    [InlineData("3.14", true, false)]
    [InlineData("v/1.2.3", true, false)]
    [InlineData("notes/readme", true, false)]
    public void Relative_paths_are_told_from_urls_numbers_and_names(string value, bool namedLikeFile, bool expected) =>
        Assert.Equal(expected, ProfileGuess.LooksLikeRelativePath(value, namedLikeFile));

    [Theory]
    [InlineData("photo", true)]
    [InlineData("avatar_path", true)]
    [InlineData("coverImage", true)]
    [InlineData("attachments", true)]
    [InlineData("photo_url", false)]
    [InlineData("image_width", false)]
    [InlineData("description", false)]
    public void File_names_are_words_of_the_column_name(string column, bool expected) =>
        Assert.Equal(expected, ProfileGuess.NamedLikeFile(column));

    [Theory]
    [InlineData("users", "email", 0)]
    [InlineData("users", "contact_email", 0)]
    [InlineData("tags", "slug", 7)]
    [InlineData("country", "country", 11)]
    [InlineData("cities", "city", 11)]
    [InlineData("users", "bio", null)]
    public void Key_names_are_ranked(string table, string column, int? rank) =>
        Assert.Equal(rank, ProfileGuess.KeyRank(table, column));

    private static ProfileDraft Draft() => new(
        "sqlite:/srv/app.db", "group", ["2"], null,
        [new UndeclaredReference("group", "owner_id", "user", "id", 1, 1), new UndeclaredReference("post", "target_id", null, null, 3, 0)],
        [new FollowHint("user", "current_group_id", true, 4, null)],
        [new IdentitySuggestion("user", ["email"], true, "unique (user_email_key)"), new IdentitySuggestion("tag", ["name", "vocabulary_id"], false, "unique (tag_key)"),
         new IdentitySuggestion("label", ["name"], false, "not unique", Doubtful: true)],
        [new FileSuggestion("post", "photo", 3, 3, "a/b.png"), new FileSuggestion("post", "scan", 2, 2, "/srv/x.pdf", Absolute: true)],
        ["sessions", "true"]) { Owning = [new UndeclaredReference("place", "group_id", "group", "id", 5, 5)] };

    [Fact]
    public void The_draft_loads_as_it_is_with_only_its_root()
    {
        var profile = ProfileLoader.Parse(Draft().Yaml("app.yaml"), "app.yaml");

        Assert.Equal("group", profile.Root!.Table);
        Assert.Empty(profile.Relations);
        Assert.Empty(profile.Identities);
        Assert.Empty(profile.Files);
        Assert.Empty(profile.Ignore);
        Assert.Empty(profile.Follow);
    }

    [Fact]
    public void Each_suggestion_uncommented_is_the_rule_it_says()
    {
        var yaml = Draft().Yaml("app.yaml");
        var uncommented = string.Join('\n', yaml.Split('\n').Where(l => !l.Contains("to: TABLE", StringComparison.Ordinal))
            .Select(l => l.StartsWith("  # - ", StringComparison.Ordinal) ? "  - " + l["  # - ".Length..] : l));

        var profile = ProfileLoader.Parse(uncommented, "app.yaml");

        Assert.Equal([("group", "owner_id", "user", false), ("place", "group_id", "group", true)],
            profile.Relations.Select(r => (r.Table, r.Column, r.RefTable, r.Owns)));
        Assert.Equal([("user", "current_group_id")], profile.Follow.Select(f => (f.Table, f.Column)));
        Assert.Equal(["user:email:True", "tag:name+vocabulary_id:False"], profile.Identities.Select(i => $"{i.Table}:{string.Join('+', i.Columns)}:{i.CaseInsensitive}"));
        Assert.Equal([("files", "post", "photo")], profile.Files.Select(f => (f.Store, f.Table, f.Column)));
        Assert.Equal(["sessions", "true"], profile.Ignore.Select(i => i.Table));
        Assert.Contains("  # post.scan holds absolute paths ('/srv/x.pdf')", yaml, StringComparison.Ordinal);
        Assert.Contains("  # label by name: not unique", yaml, StringComparison.Ordinal);
        Assert.Contains("  # - {table: \"true\", reason: \"...\"}", yaml, StringComparison.Ordinal);
    }
}
