using System.Text.Json;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// Relations the schema does not declare, declared by a profile: owned through a virtual key and a
/// polymorphic reference, ids in an array and inside JSON, all remapped on import, in every direction between SQLite, PostgreSQL and MariaDB.
/// </summary>
public sealed class RelationTests
{
    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Profile_relations_pull_their_rows_and_are_remapped_on_import(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, RelationFixture.Schema, RelationFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, RelationFixture.Schema, RelationFixture.TargetData);

        var archive = await Move.ExportAsync(source, profile: RelationFixture.Profile());
        var report = await Move.ImportAsync(target, archive, match: "tags:slug");

        Assert.Equal("imported", report.Outcome);
        var two = await target.ScalarAsync("SELECT id FROM groups WHERE name = 'two'");
        Assert.Equal("3", two);
        // Owned through the virtual key posts.group_id, then comments through comments.post_id.
        Assert.Equal(["Hello two", "Second", "Untagged"], await Column(target, $"SELECT title FROM posts WHERE group_id = {two} ORDER BY title"));
        Assert.Equal(["also → Second", "nice → Hello two"],
            await Column(target, $"SELECT c.body || ' → ' || p.title FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.group_id = {two} ORDER BY 1"));

        // Polymorphic: each reaction points at the new row of the table its type names; other groups' reactions stayed.
        Assert.Equal(["heart → comment nice", "thumbs → post Hello two"], await Column(target,
            "SELECT r.emoji || ' → post ' || p.title FROM reactions r JOIN posts p ON p.id = r.target_id WHERE r.target_type = 'post' AND r.id > 5 " +
            "UNION ALL SELECT r.emoji || ' → comment ' || c.body FROM reactions r JOIN comments c ON c.id = r.target_id WHERE r.target_type = 'comment' AND r.id > 5 ORDER BY 1"));
        Assert.Equal("7", await target.ScalarAsync("SELECT COUNT(*) FROM reactions"));

        // The array of tag ids: red matched to the target's own tag, green and blue new; order kept.
        var slugs = (await target.QueryAsync("SELECT id, slug FROM tags")).ToDictionary(r => long.Parse(r[0]!), r => r[1]);
        Assert.Equal(["blue", "green", "pink", "red"], slugs.Values.Select(v => v ?? "").Order().ToArray());
        Assert.Equal("1", await target.ScalarAsync("SELECT id FROM tags WHERE slug = 'red'"));
        var tagged = await target.QueryAsync($"SELECT title, CAST(tag_ids AS TEXT) FROM posts WHERE group_id = {two} ORDER BY title");
        Assert.Equal(
            ["Hello two: blue red", "Second: green blue red", "Untagged: -"],
            tagged.Select(r => $"{r[0]}: {(r[1] is null ? "-" : string.Join(' ', ParseIds(r[1]!).Select(i => slugs[i])))}"));

        // JSON: a place of the group is remapped, another group's place becomes null; post ids in the array
        // are remapped, the other group's post dropped; the rest of the document is kept.
        var places = (await target.QueryAsync("SELECT id, name FROM places")).ToDictionary(r => long.Parse(r[0]!), r => r[1]);
        var titles = (await target.QueryAsync("SELECT id, title FROM posts")).ToDictionary(r => long.Parse(r[0]!), r => r[1]);
        var history = await target.QueryAsync($"SELECT CAST(payload AS TEXT) FROM history WHERE group_id = {two} ORDER BY id");
        Assert.Equal(
            ["Garden | Second, Hello two | moved", "null | Hello two | ", "(no payload)"],
            history.Select(r => r[0] is null ? "(no payload)" : Describe(r[0]!, places, titles)));
        Assert.Equal(2, report.Tables.Single(t => t.Name == "history").NulledReferences);
    }

    private static string Describe(string json, Dictionary<long, string?> places, Dictionary<long, string?> titles)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var place = root.GetProperty("place_id");
        var posts = root.GetProperty("post_ids").EnumerateArray().Select(p => titles[p.GetInt64()]);
        var note = root.TryGetProperty("note", out var n) ? n.GetString() : "";
        return $"{(place.ValueKind == JsonValueKind.Null ? "null" : places[place.GetInt64()])} | {string.Join(", ", posts)} | {note}";
    }

    // PostgreSQL's bigint[] of keys into a column that holds them as a JSON array: on MariaDB a JSON column, whose values
    // staging checks as JSON documents (the SQL array text {3,1} was refused as one, though Ferry rewrites it into JSON:
    // found by Agora's MySQL form); on SQLite a TEXT column.
    [Theory]
    [InlineData(TestEngines.MariaDb, "JSON")]
    [InlineData(TestEngines.Sqlite, "TEXT")]
    public async Task A_postgres_array_of_keys_becomes_a_json_array_and_one_it_cannot_carry_is_refused_first(string to, string type)
    {
        await using var source = await TestDb.CreateAsync(TestEngines.Postgres, RelationFixture.Schema, RelationFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, p => RelationFixture.Schema(p).Replace("tag_ids TEXT", $"tag_ids {type}", StringComparison.Ordinal), RelationFixture.TargetData);

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, profile: RelationFixture.Profile()), match: "tags:slug");

        Assert.Equal("imported", report.Outcome);
        var tags = (await target.QueryAsync("SELECT id, slug FROM tags")).ToDictionary(r => r[0]!, r => r[1]!);
        Assert.Equal(["Hello two: blue red", "Second: green blue red", "Untagged: "], (await target.QueryAsync(
                "SELECT p.title, CAST(p.tag_ids AS TEXT) FROM posts p JOIN groups g ON g.id = p.group_id WHERE g.name = 'two' ORDER BY p.title"))
            .Select(r => $"{r[0]}: {string.Join(' ', ParseIds(r[1] ?? "[]").Select(i => tags[i.ToString(System.Globalization.CultureInfo.InvariantCulture)]))}"));
        Assert.All(await Column(target, "SELECT CAST(tag_ids AS TEXT) FROM posts WHERE tag_ids IS NOT NULL"), t => Assert.StartsWith("[", t, StringComparison.Ordinal));

        // A NULL element reads as no JSON: refused while staged, naming the table, column and value; nothing written.
        await using var nulls = await TestDb.CreateAsync(TestEngines.Postgres, RelationFixture.Schema,
            p => RelationFixture.SourceData(p) + "UPDATE posts SET tag_ids = '{3,NULL}' WHERE id = 2;");
        var archive = await Move.ExportAsync(nulls, profile: RelationFixture.Profile());
        var before = await target.DumpAsync();
        var error = await Assert.ThrowsAsync<FerryException>(() => Move.ImportAsync(target, archive, match: "tags:slug"));
        Assert.Contains("table posts, column tag_ids", error.Message, StringComparison.Ordinal);
        Assert.Contains("'{3,NULL}' is an SQL array that does not read as a JSON array once its braces are brackets", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    // A PostgreSQL array ({1,2}) or a JSON array ([1,2]).
    private static IEnumerable<long> ParseIds(string text) =>
        text.Trim('{', '}', '[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse);

    private static async Task<string[]> Column(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL").ToArray();
}
