using System.Text.Json;
using Ferry.Profiles;

namespace Ferry.Tests.Profiles;

/// <summary>docs/profile.schema.json says exactly what the loader accepts: the same keys, enumeration values and JSON paths.</summary>
public class ProfileSchemaTests
{
    private static readonly JsonElement Schema = Load();

    private static JsonElement Load()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, "docs", "profile.schema.json")));
        return doc.RootElement.Clone();
    }

    private static JsonElement Def(string name) => Schema.GetProperty("$defs").GetProperty(name);

    private static string[] Keys(JsonElement obj) => [.. obj.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Is_draft_2020_12_and_closed()
    {
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());
        Assert.False(Schema.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void Top_level_keys_match_the_loader() =>
        Assert.Equal(ProfileKeys.Top.Order(StringComparer.Ordinal), Keys(Schema));

    [Fact]
    public void Every_rule_mapping_has_the_loader_keys_and_no_others()
    {
        foreach (var (name, keys) in ProfileKeys.Rules)
        {
            var def = Def(name);
            Assert.True(keys.Order(StringComparer.Ordinal).SequenceEqual(Keys(def)), $"$defs/{name}: schema has {string.Join(", ", Keys(def))}, loader {string.Join(", ", keys)}");
            Assert.False(def.GetProperty("additionalProperties").GetBoolean(), $"$defs/{name} must refuse unknown keys");
        }
    }

    [Fact]
    public void Every_object_definition_in_the_schema_is_one_the_loader_reads()
    {
        var objects = Schema.GetProperty("$defs").EnumerateObject()
            .Where(d => d.Value.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "object")
            .Select(d => d.Name).Order(StringComparer.Ordinal);
        Assert.Equal(ProfileKeys.Rules.Keys.Order(StringComparer.Ordinal), objects);
    }

    [Fact]
    public void Enumerations_match_the_loader()
    {
        foreach (var (path, values) in ProfileKeys.Enums)
        {
            var (def, key) = (path.Split('.')[0], path.Split('.')[1]);
            var inSchema = Def(def).GetProperty("properties").GetProperty(key).GetProperty("enum").EnumerateArray().Select(e => e.GetString());
            Assert.Equal(values, inSchema);
        }
    }

    [Fact]
    public void Transforms_are_one_of_the_transform_definitions()
    {
        var refs = Schema.GetProperty("properties").GetProperty("transforms").GetProperty("items").GetProperty("oneOf")
            .EnumerateArray().Select(r => r.GetProperty("$ref").GetString()!.Replace("#/$defs/", "", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(ProfileKeys.TransformKinds.Values.Append("stagingSql").Order(StringComparer.Ordinal), refs);
    }

    [Fact]
    public void Json_path_pattern_is_the_loader_pattern() =>
        Assert.Equal(ProfileLoader.JsonPath().ToString(), Def("relation").GetProperty("properties").GetProperty("path").GetProperty("pattern").GetString());

    [Fact]
    public void Prefer_pattern_is_the_loader_pattern() =>
        Assert.Equal(ProfileLoader.PreferItem().ToString(), Def("preferColumn").GetProperty("pattern").GetString());

    [Theory]
    [InlineData("$.a")]
    [InlineData("$.package.tags[*].id")]
    [InlineData("$[0][*]")]
    [InlineData("$.user-ids[10]")]
    [InlineData("$")]
    [InlineData("$..a")]
    [InlineData("$.a[01]")]
    [InlineData("$.a[-1]")]
    [InlineData("$.a[*")]
    [InlineData("$.1a")]
    [InlineData("$.-a")]
    [InlineData("a.b")]
    [InlineData("$.a[1234567890]")]
    public void Json_path_pattern_accepts_exactly_what_the_parser_accepts(string path) =>
        Assert.Equal(Engines.JsonKeyPath.IsValid(path), ProfileLoader.JsonPath().IsMatch(path));

    [Fact]
    public void Json_path_pattern_and_parser_agree_on_depth_and_name_length()
    {
        foreach (var path in new[] { 32, 33 }.Select(n => "$" + string.Concat(Enumerable.Repeat("[*]", n)))
                     .Concat(new[] { 128, 129 }.Select(n => "$." + new string('a', n))))
        {
            Assert.Equal(Engines.JsonKeyPath.IsValid(path), ProfileLoader.JsonPath().IsMatch(path));
        }
    }
}
