using Ferry.Profiles;

namespace Ferry.Tests.Profiles;

/// <summary>Each kind of mistake in a profile file: a usage error naming the file, the line, what is wrong and what is expected.</summary>
public class ProfileLoaderErrorTests
{
    private static string Error(string yaml)
    {
        var error = Assert.Throws<FerryException>(() => ProfileLoader.Parse(yaml, "/etc/ferry/app.yaml"));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.DoesNotContain('\n', error.Message);
        return error.Message;
    }

    [Theory]
    // YAML syntax, with YamlDotNet's line
    [InlineData("root: groups\nexclude: [a, b\nfollow: []\n", 2, "not valid YAML")]
    [InlineData("root: groups\nexclude: 'a\n", 2, "not valid YAML")]
    [InlineData("root: groups\nexclude: {a: 1\n", 3, "not valid YAML: While")]
    [InlineData("root: groups\n  bad: indent\n", 2, "not valid YAML")]
    [InlineData("", 1, "the profile is empty")]
    [InlineData("root: a\n---\nroot: b\n", 3, "one YAML document")]
    [InlineData("- root\n", 1, "the profile must be a mapping with keys app, root")]
    // unknown and repeated keys
    [InlineData("root: groups\nroots: x\n", 2, "unknown key 'roots' in the profile; allowed keys: app, root, complete, follow")]
    [InlineData("root: {table: groups, column: id}\n", 1, "unknown key 'column' in root; allowed keys: table, key")]
    [InlineData("identities:\n  - table: users\n    key: email\n    casesensitive: true\n", 4, "unknown key 'casesensitive' in an identity; allowed keys: table, key, through, case_insensitive, where, prefer, missing, placeholder")]
    [InlineData("transforms:\n  - {rename_table: a, to: b, value: 1}\n", 2, "unknown key 'value' in a rename_table transform; allowed keys: rename_table, to")]
    [InlineData("transforms:\n  - {frobnicate: a}\n", 2, "unknown key 'frobnicate' in a transform")]
    [InlineData("root: a\napp: x\nroot: b\n", 3, "not valid YAML: Duplicate key")]
    // wrong value types
    [InlineData("complete: yes\n", 1, "complete must be true or false; found 'yes'")]
    [InlineData("follow: users.group_id\n", 1, "follow must be a list; found 'users.group_id'")]
    [InlineData("exclude:\n  - [a, b]\n", 2, "an exclusion must be a mapping with keys table, reason; found a list")]
    [InlineData("app: [x]\n", 1, "app must be a non-empty text; found a list")]
    [InlineData("relations:\n  - {from: a.b, to: c, owns: 1}\n", 2, "owns must be true or false; found '1'")]
    [InlineData("identities:\n  - {table: u, key: k, missing: placeholder, placeholder: {a: [1]}}\n", 2, "the value of 'a' in placeholder must be a single value")]
    [InlineData("root: my.groups\n", 1, "root 'my.groups' is not a name")]
    // missing required fields
    [InlineData("root: {key: id}\n", 1, "root needs 'table': the root table's name")]
    [InlineData("identities:\n  - table: users\n", 2, "an identity needs 'key': the natural key")]
    [InlineData("files:\n  - {table: t, column: c}\n", 2, "a file rule needs 'store'")]
    [InlineData("requires:\n  - {on: source, sql: SELECT 1}\n", 2, "a requirement needs 'message'")]
    [InlineData("relations:\n  - {from: a.b}\n", 2, "a relation needs 'to': the referenced table")]
    [InlineData("transforms:\n  - {set: users.admin}\n", 2, "a set transform needs 'value'")]
    [InlineData("transforms:\n  - {rename_table: a}\n", 2, "a rename_table transform needs 'to'")]
    [InlineData("transforms:\n  - {to: a}\n", 2, "a transform needs one of rename_table, rename_column, drop_column, set, map, fill, sql")]
    [InlineData("transforms:\n  - {drop_column: a.b, set: a.c}\n", 2, "a transform does one thing")]
    // bad enumeration values
    [InlineData("identities:\n  - {table: u, key: k, missing: skip}\n", 2, "missing must be one of create, require, placeholder; found 'skip'")]
    [InlineData("files:\n  - {store: s, table: t, column: c, missing: ignore}\n", 2, "missing must be one of fail, warn; found 'ignore'")]
    [InlineData("conflicts:\n  - {table: t, key: k, action: Reuse}\n", 2, "action must be one of fail, rename, reuse; found 'Reuse'")]
    [InlineData("requires:\n  - {on: both, sql: x, message: y}\n", 2, "on must be one of source, target; found 'both'")]
    // table.column syntax
    [InlineData("follow:\n  - users\n", 2, "follow 'users' is not TABLE.COLUMN")]
    [InlineData("follow: [a.b, x.y.z]\n", 1, "follow 'x.y.z' is not TABLE.COLUMN")]
    [InlineData("relations:\n  - {from: comments, to: posts}\n", 2, "from 'comments' is not TABLE.COLUMN")]
    [InlineData("transforms:\n  - {drop_column: legacy}\n", 2, "drop_column 'legacy' is not TABLE.COLUMN")]
    [InlineData("relations:\n  - {from: a.b, to: 'c.'}\n", 2, "to 'c.' is not TABLE.COLUMN")]
    // relations: array and path, JSON paths, polymorphic shapes
    [InlineData("relations:\n  - {from: a.b, to: c, array: true, path: $.x}\n", 2, "either array: true (a list of ids) or path (ids inside JSON), not both")]
    [InlineData("relations:\n  - {from: a.b, to: c, path: place_id}\n", 2, "path is not a JSON path Ferry follows: JSON path 'place_id' does not start with $: expected $ followed by .name members, [N] indexes and [*]")]
    [InlineData("relations:\n  - {from: a.b, to: c, path: '$'}\n", 2, "JSON path '$' has no step after $")]
    [InlineData("relations:\n  - {from: a.b, to: c, path: '$.a[-1]'}\n", 2, "JSON path '$.a[-1]' has a bracket at position 3 that is neither [*] nor [N]")]
    [InlineData("relations:\n  - {from: a.b, to: c, path: '$.a[?(@.x)].b'}\n", 2, "JSON path '$.a[?(@.x)].b' has a bracket at position 3")]
    [InlineData("relations:\n  - {from: a.b, to: c, path: '$..b'}\n", 2, "JSON path '$..b' has a member name at position 2 that is not letters")]
    [InlineData("relations:\n  - {from: a.b, to: c, path: \"$.a['b']\"}\n", 2, "JSON path '$.a['b']' has a bracket at position 3")]
    [InlineData("relations:\n  - {from: a.b, type_column: t, types: {x: y}, to: c}\n", 2, "takes its tables from types, not 'to'")]
    [InlineData("relations:\n  - {from: a.b, type_column: t}\n", 2, "a polymorphic relation needs 'types'")]
    [InlineData("relations:\n  - {from: a.b, to: c, types: {x: y}}\n", 2, "types needs type_column")]
    // placeholder and rename rules
    [InlineData("identities:\n  - table: u\n    key: k\n    placeholder: {active: false}\n", 4, "placeholder values are only used with missing: placeholder")]
    [InlineData("conflicts:\n  - {table: t, key: k, action: rename}\n", 2, "action: rename needs pattern")]
    [InlineData("conflicts:\n  - {table: t, key: k, action: rename, pattern: imported}\n", 2, "pattern 'imported' must contain {value}")]
    [InlineData("conflicts:\n  - {table: t, key: k, pattern: '{value} 2'}\n", 2, "pattern is only used with action: rename")]
    [InlineData("conflicts:\n  - {table: t, key: k, constraint: c}\n", 2, "exactly one of them")]
    [InlineData("conflicts:\n  - {table: t}\n", 2, "exactly one of them")]
    [InlineData("conflicts:\n  - {table: t, key: []}\n", 2, "key must name at least one column")]
    public void Mistake_names_its_line_and_what_is_expected(string yaml, int line, string text)
    {
        var message = Error(yaml);
        Assert.StartsWith($"profile app.yaml:{line}: ", message, StringComparison.Ordinal);
        Assert.Contains(text, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Syntax_error_message_keeps_what_YamlDotNet_says_without_its_location_prefix()
    {
        var message = Error("root: groups\n  bad: indent\n");
        Assert.DoesNotContain("Idx:", message, StringComparison.Ordinal);
        Assert.Matches(@"^profile app\.yaml:\d+: not valid YAML: \S", message);
    }
}
