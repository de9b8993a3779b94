using YamlDotNet.RepresentationModel;

namespace Ferry.Profiles;

public static partial class ProfileLoader
{
    /// <summary>Reads the sections of one document, each rule with the line of its node.</summary>
    private sealed partial class Sections(ProfileYaml yaml, string path)
    {
        public Profile Read(YamlNode document)
        {
            var fields = yaml.Fields(document, "the profile", ProfileKeys.Top);
            List<T> Each<T>(string key, Func<YamlNode, T> read) =>
                fields.TryGetValue(key, out var node) ? yaml.Items(node, key).Select(read).ToList() : [];

            return new Profile(
                path,
                fields.TryGetValue("app", out var app) ? yaml.Text(app, "app") : null,
                fields.TryGetValue("root", out var root) ? Root(root) : null,
                fields.TryGetValue("complete", out var complete) && yaml.Bool(complete, "complete"),
                Each("follow", Follow),
                Each("exclude", n => TableRule(n, "an exclusion")),
                Each("ignore", n => TableRule(n, "an ignored table")),
                Each("identities", Identity),
                Each("relations", Relation),
                Each("files", File),
                Each("transforms", Transform),
                Each("conflicts", Conflict),
                Each("requires", Require))
            {
                Shared = Each("shared", n => TableRule(n, "a shared table")),
                Changed = fields.TryGetValue("changed", out var changed) ? Changed(changed) : [],
            };
        }

        // changed: {table: column, ...}; an empty value is no rule.
        private List<ChangedRule> Changed(YamlNode node)
        {
            if (node is YamlScalarNode scalar && string.IsNullOrEmpty(scalar.Value))
            {
                return [];
            }
            if (node is not YamlMappingNode mapping)
            {
                throw yaml.Error(node, "changed must be a mapping of tables to their \"changed at\" column, e.g. {activity: timestamp}");
            }
            return mapping.Children
                .Select(pair => new ChangedRule(yaml.Name(pair.Key, "a changed rule's table"), yaml.Name(pair.Value, "a changed rule's column"), ProfileYaml.Line(pair.Key)))
                .ToList();
        }

        private RootRule Root(YamlNode node)
        {
            if (node is YamlScalarNode)
            {
                return new RootRule(yaml.Name(node, "root"), null, ProfileYaml.Line(node));
            }
            var fields = yaml.Fields(node, "root", ProfileKeys.Rules["root"]);
            var table = yaml.Name(yaml.Required(node, fields, "table", "root", "the root table's name"), "root table");
            var key = fields.TryGetValue("key", out var k) ? yaml.Name(k, "root key") : null;
            return new RootRule(table, key, ProfileYaml.Line(node));
        }

        private FollowRule Follow(YamlNode node)
        {
            var (table, column) = yaml.TableColumn(node, "follow");
            return new FollowRule(table, column, ProfileYaml.Line(node));
        }

        private TableRule TableRule(YamlNode node, string what)
        {
            if (node is YamlScalarNode)
            {
                return new TableRule(yaml.Name(node, $"{what}'s table"), null, ProfileYaml.Line(node));
            }
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["tableRule"]);
            var table = yaml.Name(yaml.Required(node, fields, "table", what, "the table's name"), $"{what}'s table");
            var reason = fields.TryGetValue("reason", out var r) ? yaml.Text(r, "reason") : null;
            return new TableRule(table, reason, ProfileYaml.Line(node));
        }

        private FileRule File(YamlNode node)
        {
            const string what = "a file rule";
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["file"]);
            var store = yaml.Name(yaml.Required(node, fields, "store", what, "the file store's name (given with --files NAME=DIR)"), "store");
            var table = yaml.Name(yaml.Required(node, fields, "table", what, "the table holding the paths"), "table");
            var missing = fields.TryGetValue("missing", out var m)
                ? yaml.Enum<MissingFile>(m, "missing", ProfileKeys.Enums["file.missing"])
                : MissingFile.Fail;
            var hasColumn = fields.TryGetValue("column", out var c);
            var hasPath = fields.TryGetValue("path", out var p);
            if (hasColumn == hasPath)
            {
                throw yaml.Error(node, $"{what} needs either 'column' (the column holding the paths) or 'path' (a template deriving each row's path from its values, e.g. \"{{id % 10}}/{{id}}\"), not {(hasColumn ? "both" : "neither")}");
            }
            if (hasColumn)
            {
                if (fields.TryGetValue("suffixes", out var stray))
                {
                    throw yaml.Error(stray, "'suffixes' goes with 'path' (a derived path), not with 'column'");
                }
                return new FileRule(store, table, yaml.Name(c!, "column"), missing, ProfileYaml.Line(node));
            }
            Files.PathTemplate template;
            try
            {
                template = Files.PathTemplate.Parse(yaml.Text(p!, "path"));
            }
            catch (FormatException e)
            {
                throw yaml.Error(p!, $"path: {e.Message}");
            }
            var suffixes = fields.TryGetValue("suffixes", out var s) ? Suffixes(s) : [""];
            return new FileRule(store, table, null, missing, ProfileYaml.Line(node)) { Template = template, Suffixes = suffixes };
        }

        // A non-empty list of distinct suffixes ("" allowed), each without a path separator.
        private List<string> Suffixes(YamlNode node)
        {
            var items = yaml.Items(node, "suffixes");
            var suffixes = new List<string>();
            foreach (var item in items)
            {
                var text = item is YamlScalarNode scalar ? scalar.Value ?? "" : throw yaml.Error(item, "a suffix must be a text (\"\" for none)");
                if (text.IndexOfAny(['/', '\\', '\0']) >= 0 || text.Length > 32 || text.Any(char.IsControl))
                {
                    throw yaml.Error(item, $"suffix '{text}' must be at most 32 characters without a path separator");
                }
                if (suffixes.Contains(text))
                {
                    throw yaml.Error(item, $"suffix '{text}' is listed twice");
                }
                suffixes.Add(text);
            }
            return suffixes.Count > 0 ? suffixes : throw yaml.Error(node, "suffixes must list at least one suffix (\"\" for the path as it is)");
        }
    }
}
