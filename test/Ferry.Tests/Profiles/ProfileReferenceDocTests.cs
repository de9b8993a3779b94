using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ferry.Tests.Profiles;

/// <summary>
/// docs/profiles.md's reference lists every key of docs/profile.schema.json and no other, so that neither can
/// drift: a key added to the schema needs its line in the reference. Keys are paths found by walking the schema
/// (<c>$ref</c>, <c>oneOf</c>, <c>anyOf</c>, array <c>items</c>, <c>properties</c>): <c>root.table</c>,
/// <c>identities[].key</c>, <c>transforms[].rename_table</c>.
/// </summary>
public sealed partial class ProfileReferenceDocTests
{
    private static string Repository()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return dir.FullName;
    }

    /// <summary>Every key path of the schema.</summary>
    public static SortedSet<string> SchemaKeys(JsonElement schema)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonElement node, string prefix, int depth)
        {
            Assert.True(depth < 32, $"the schema nests too deep at {prefix}");
            if (node.ValueKind != JsonValueKind.Object)
            {
                return;
            }
            if (node.TryGetProperty("$ref", out var reference))
            {
                var name = reference.GetString()!;
                Assert.StartsWith("#/$defs/", name, StringComparison.Ordinal);
                Walk(schema.GetProperty("$defs").GetProperty(name["#/$defs/".Length..]), prefix, depth + 1);
            }
            foreach (var choice in new[] { "oneOf", "anyOf" })
            {
                if (node.TryGetProperty(choice, out var options))
                {
                    foreach (var option in options.EnumerateArray())
                    {
                        Walk(option, prefix, depth + 1);
                    }
                }
            }
            if (node.TryGetProperty("items", out var items))
            {
                Walk(items, prefix + "[]", depth + 1);
            }
            if (node.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    var path = prefix.Length == 0 ? property.Name : $"{prefix}.{property.Name}";
                    keys.Add(path);
                    Walk(property.Value, path, depth + 1);
                }
            }
        }
        Walk(schema, "", 0);
        return keys;
    }

    /// <summary>The keys the reference documents: the first cell (in backquotes) of every table row of its section.</summary>
    public static SortedSet<string> DocumentedKeys(string markdown)
    {
        var start = markdown.IndexOf("\n## Reference", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/profiles.md has no '## Reference' section");
        var end = markdown.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? markdown[start..] : markdown[start..end];
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Match row in ReferenceRow().Matches(section))
        {
            Assert.True(keys.Add(row.Groups["key"].Value), $"the reference lists {row.Groups["key"].Value} twice");
        }
        return keys;
    }

    [GeneratedRegex(@"^\| `(?<key>[^`]+)` \|", RegexOptions.Multiline)]
    private static partial Regex ReferenceRow();

    [Fact]
    public void The_reference_documents_every_key_of_the_schema_and_no_other()
    {
        var root = Repository();
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "docs", "profile.schema.json")));
        var inSchema = SchemaKeys(schema.RootElement);
        var documented = DocumentedKeys(File.ReadAllText(Path.Combine(root, "docs", "profiles.md")));

        var missing = inSchema.Except(documented).ToList();
        var unknown = documented.Except(inSchema).ToList();
        Assert.True(missing.Count == 0 && unknown.Count == 0,
            $"docs/profiles.md's reference lacks: {string.Join(", ", missing)}; lists keys the schema does not have: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Keys_are_found_through_refs_choices_and_arrays()
    {
        using var schema = JsonDocument.Parse("""
            {"properties": {"a": {"type": "string"}, "b": {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/x"}, {"$ref": "#/$defs/y"}]}},
                            "c": {"oneOf": [{"type": "string"}, {"$ref": "#/$defs/x"}]}},
             "$defs": {"x": {"type": "object", "properties": {"k": {}, "m": {}}}, "y": {"type": "object", "properties": {"k": {}, "n": {"not": {"properties": {"z": {}}}}}}}}
            """);

        Assert.Equal(["a", "b", "b[].k", "b[].m", "b[].n", "c", "c.k", "c.m"], SchemaKeys(schema.RootElement));
    }

    [Fact]
    public void Documented_keys_are_the_first_cells_of_the_reference_section_only()
    {
        const string Markdown = "# T\n| `x` | not here |\n## Reference\ntext `y`\n| key | meaning |\n| --- | --- |\n| `a.b` | one |\n| `c[].d` | two `e` |\n## Next\n| `f` | no |\n";

        Assert.Equal(["a.b", "c[].d"], DocumentedKeys(Markdown));
    }
}
