using System.Text.Json;
using Ferry.Engines;
using Ferry.Import;
using Ferry.Schema;

namespace Ferry.Tests.Import;

/// <summary>Keys inside JSON text get their new values, and every other byte of the text stays as it was.</summary>
public class DocumentRewriterTests
{
    private static DocumentRewriter Rewriter(params (string Path, FerryType Type)[] keys) =>
        new(keys.Select(k => new DocumentKey(JsonKeyPath.Parse(k.Path), k.Type)).ToList());

    private static Dictionary<string, string> Map(params (string Old, string New)[] pairs) => pairs.ToDictionary(p => p.Old, p => p.New);

    [Fact]
    public void Collect_finds_the_keys_rewrite_looks_up_per_relation_in_canonical_form_and_relations_may_share_a_set()
    {
        var rewriter = Rewriter(("$.package.id", FerryType.Uuid), ("$.package.tags[*].id", FerryType.Int), ("$.package.owner", FerryType.Uuid));
        var uuids = new HashSet<string>();
        var ints = new HashSet<string>();
        rewriter.Collect("""{"package": {"id": "ABCDEF01-2345-6789-ABCD-EF0123456789", "tags": [{"id": 7}, {"id": "-08"}, {"id": 1.5}, {"id": "x"}], "owner": "not-a-uuid"}}""",
            [uuids, ints, uuids]);
        rewriter.Collect("""{"package": {"owner": "00000000-0000-0000-0000-000000000002", "tags": [{"id": 7}]}}""", [uuids, ints, uuids]);
        Assert.Equal(["00000000-0000-0000-0000-000000000002", "abcdef01-2345-6789-abcd-ef0123456789"], uuids.Order(StringComparer.Ordinal));
        Assert.Equal(["-8", "7"], ints.Order(StringComparer.Ordinal));
        Assert.ThrowsAny<JsonException>(() => rewriter.Collect("{\"package\": ", [uuids, ints, uuids]));
    }

    [Fact]
    public void A_key_text_with_a_line_break_after_it_is_not_a_key_as_for_the_sql_that_exports_it()
    {
        var rewriter = Rewriter(("$.a", FerryType.Int), ("$.u", FerryType.Uuid));
        var found = new HashSet<string>();
        const string doc = "{\"a\": \"7\\n\", \"u\": \"00000000-0000-0000-0000-000000000001\\n\"}";
        rewriter.Collect(doc, [found, found]);
        Assert.Empty(found);
        var result = rewriter.Rewrite(doc, [Map(("7", "70")), Map()]);
        Assert.Null(result.Text);
        Assert.Equal(0, result.Unmapped);
    }

    [Fact]
    public void New_text_keys_that_need_escapes_are_escaped_and_a_number_into_a_string_stays_a_string()
    {
        var rewriter = Rewriter(("$.a", FerryType.Text), ("$.b", FerryType.Int));
        var result = rewriter.Rewrite("""{"a": "x", "b": "7", "c": 7}""", [Map(("x", "\"a\\u0022b\\\\c d\"")), Map(("7", "70"))]);
        Assert.Equal("""{"a": "a\"b\\c d", "b": "70", "c": 7}""", result.Text);
    }

    [Fact]
    public void Keeps_key_order_spacing_escapes_and_numbers_around_the_rewritten_ids()
    {
        const string doc = "{ \"z\":1.50, \"package\" : {\"id\":\"a\",\"title\":\"caf\\u00e9 \\\"x\\\"\", \"n\": 1e3},\n\"a\": [] }";
        var result = Rewriter(("$.package.id", FerryType.Text)).Rewrite(doc, [Map(("a", "\"b-new\""))]);
        Assert.Equal(doc.Replace("\"id\":\"a\"", "\"id\":\"b-new\"", StringComparison.Ordinal), result.Text);
        Assert.Equal(0, result.Unmapped);
    }

    [Fact]
    public void Rewrites_ids_inside_arrays_of_objects_at_any_depth()
    {
        const string doc = """{"package": {"tags": [{"id": "t1", "name": "a"}, {"name": "no id"}, {"id": "t2", "name": "b"}, {"id": "gone"}]}}""";
        var result = Rewriter(("$.package.tags[*].id", FerryType.Text)).Rewrite(doc, [Map(("t1", "\"T1\""), ("t2", "\"T2\""))]);
        Assert.Equal("""{"package": {"tags": [{"id": "T1", "name": "a"}, {"name": "no id"}, {"id": "T2", "name": "b"}, {"id": null}]}}""", result.Text);
        Assert.Equal(1, result.Unmapped);
    }

    [Fact]
    public void Drops_unmapped_elements_of_an_array_of_keys_with_their_commas()
    {
        var rewriter = Rewriter(("$.ids[*]", FerryType.Int));
        var map = Map(("1", "11"), ("3", "33"));
        Assert.Equal("""{"ids": [11, 33]}""", rewriter.Rewrite("""{"ids": [1, 2, 3]}""", [map]).Text);
        Assert.Equal("""{"ids": [33]}""", rewriter.Rewrite("""{"ids": [2, 3]}""", [map]).Text);
        Assert.Equal("""{"ids": [11]}""", rewriter.Rewrite("""{"ids": [1, 2, 4]}""", [map]).Text);
        Assert.Equal("""{"ids": []}""", rewriter.Rewrite("""{"ids": [2, 4]}""", [map]).Text);
        Assert.Equal("""{"ids": [11,33]}""", rewriter.Rewrite("""{"ids": [1,2,3,4]}""", [map]).Text);
        var mixed = rewriter.Rewrite("""{"ids": [1, "x", {"id": 2}, 2]}""", [map]);
        Assert.Equal("""{"ids": [11, "x", {"id": 2}]}""", mixed.Text);
        Assert.Equal(1, mixed.Unmapped);
    }

    [Fact]
    public void Indexes_select_one_element_and_wildcards_nest()
    {
        var rewriter = Rewriter(("$.rows[1].by", FerryType.Int), ("$.grid[*][*]", FerryType.Int));
        var result = rewriter.Rewrite("""{"rows": [{"by": 1}, {"by": 2}], "grid": [[1, 2], [3]]}""", [Map(("2", "20")), Map(("1", "10"), ("3", "30"))]);
        Assert.Equal("""{"rows": [{"by": 1}, {"by": 20}], "grid": [[10], [30]]}""", result.Text);
        Assert.Equal(1, result.Unmapped);
    }

    [Fact]
    public void A_key_keeps_its_json_kind_and_only_values_of_the_keys_form_are_keys()
    {
        var rewriter = Rewriter(("$.a", FerryType.Int), ("$.b", FerryType.Int), ("$.c", FerryType.Int), ("$.d", FerryType.Int));
        var map = Map(("7", "70"));
        var result = rewriter.Rewrite("""{"a": 7, "b": "7", "c": 7.5, "d": true}""", [map, map, map, map]);
        Assert.Equal("""{"a": 70, "b": "70", "c": 7.5, "d": true}""", result.Text);
        Assert.Equal(0, result.Unmapped);
    }

    [Fact]
    public void Uuid_keys_are_compared_in_lower_case_and_new_text_keys_are_escaped()
    {
        var rewriter = Rewriter(("$.u", FerryType.Uuid), ("$.t", FerryType.Text));
        var result = rewriter.Rewrite("""{"u": "ABCDEF01-2345-6789-ABCD-EF0123456789", "t": "x"}""",
            [Map(("abcdef01-2345-6789-abcd-ef0123456789", "\"00000000-0000-0000-0000-000000000001\"")), Map(("x", JsonSerializer.Serialize("q\"</\u2028")))]);
        using var parsed = JsonDocument.Parse(result.Text!);
        Assert.Equal("00000000-0000-0000-0000-000000000001", parsed.RootElement.GetProperty("u").GetString());
        Assert.Equal("q\"</\u2028", parsed.RootElement.GetProperty("t").GetString());
    }

    [Fact]
    public void Steps_that_do_not_fit_the_value_select_nothing()
    {
        var rewriter = Rewriter(("$.a.b", FerryType.Int), ("$.list[*]", FerryType.Int), ("$.x[0]", FerryType.Int));
        var map = Map(("1", "2"));
        var result = rewriter.Rewrite("""{"a": [1], "list": {"0": 1}, "x": {"0": 1}}""", [map, map, map]);
        Assert.Null(result.Text);
        Assert.Equal(0, result.Unmapped);
        Assert.Null(rewriter.Rewrite("[1, 2]", [map, map, map]).Text);
        Assert.Null(rewriter.Rewrite("\"text\"", [map, map, map]).Text);
    }

    [Fact]
    public void A_root_array_relation_is_the_path_of_every_element()
    {
        var result = Rewriter(("$[*]", FerryType.Int)).Rewrite(" [ 3 , 1 ] ", [Map(("1", "10"), ("3", "30"))]);
        Assert.Equal(" [ 30 , 10 ] ", result.Text);
    }

    [Fact]
    public void Text_that_is_not_json_is_refused() =>
        Assert.ThrowsAny<JsonException>(() => Rewriter(("$.a", FerryType.Int)).Rewrite("{\"a\": 1", [Map()]));
}
