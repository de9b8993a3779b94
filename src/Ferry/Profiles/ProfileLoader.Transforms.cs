using YamlDotNet.RepresentationModel;

namespace Ferry.Profiles;

public static partial class ProfileLoader
{
    private sealed partial class Sections
    {
        private static readonly string[] TransformKeys = [.. ProfileKeys.TransformKinds.Keys, "sql"];

        // A transform is told apart by its first key: rename_table, rename_column, drop_column, set,
        // map or fill; a mapping with sql alone is a statement run against the staging tables.
        private TransformRule Transform(YamlNode node)
        {
            var line = ProfileYaml.Line(node);
            var any = yaml.Fields(node, "a transform", [.. ProfileKeys.Rules.Where(r => TransformDefs.Contains(r.Key)).SelectMany(r => r.Value).Distinct()]);
            var kinds = ProfileKeys.TransformKinds.Keys.Where(any.ContainsKey).ToList();
            if (kinds.Count > 1)
            {
                throw yaml.Error(node, $"a transform does one thing; found {string.Join(" and ", kinds)}");
            }
            var kind = kinds.Count == 1 ? kinds[0] : any.ContainsKey("sql") ? "sql" : throw yaml.Error(node, $"a transform needs one of {string.Join(", ", TransformKeys)}");
            var def = kind == "sql" ? "stagingSql" : ProfileKeys.TransformKinds[kind];
            var fields = yaml.Fields(node, $"a {kind} transform", ProfileKeys.Rules[def]);
            string Field(string key, string expected) => yaml.Text(yaml.Required(node, fields, key, $"a {kind} transform", expected), key);

            switch (kind)
            {
                case "rename_table":
                    return new RenameTable(yaml.Name(fields[kind], kind), yaml.Name(yaml.Required(node, fields, "to", $"a {kind} transform", "the target's table name"), "to"), line);
                case "rename_column":
                {
                    var (table, column) = yaml.TableColumn(fields[kind], kind);
                    return new RenameColumn(table, column, yaml.Name(yaml.Required(node, fields, "to", $"a {kind} transform", "the target's column name (without the table)"), "to"), line);
                }
                case "drop_column":
                {
                    var (table, column) = yaml.TableColumn(fields[kind], kind);
                    return new DropColumn(table, column, line);
                }
                case "set":
                {
                    var (table, column) = yaml.TableColumn(fields[kind], kind);
                    var value = yaml.Value(yaml.Required(node, fields, "value", $"a {kind} transform", "the constant every row gets (null allowed)"), "value");
                    return new SetColumn(table, column, value, line);
                }
                case "map":
                {
                    var (table, column) = yaml.TableColumn(fields[kind], kind);
                    var values = yaml.Scalars(yaml.Required(node, fields, "values", $"a {kind} transform", "old value → new value, e.g. {admin: member}"), "values");
                    return new MapValues(table, column, values, line);
                }
                case "fill":
                {
                    var (table, column) = yaml.TableColumn(fields[kind], kind);
                    return new FillColumn(table, column, Field("sql", "an SQL expression over the incoming row"), line);
                }
                default:
                    return new StagingSql(Field("sql", "the SQL statement"), line);
            }
        }

        private static readonly HashSet<string> TransformDefs = [.. ProfileKeys.TransformKinds.Values, "stagingSql"];

        private ConflictRule Conflict(YamlNode node)
        {
            const string what = "a conflict rule";
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["conflict"]);
            var table = yaml.Name(yaml.Required(node, fields, "table", what, "the table whose unique key collides"), "table");
            var hasKey = fields.TryGetValue("key", out var key);
            var hasConstraint = fields.TryGetValue("constraint", out var constraint);
            if (hasKey == hasConstraint)
            {
                throw yaml.Error(node, "a conflict rule names its unique key by key: (a column or [columns]) or by constraint: NAME, exactly one of them");
            }
            var columns = hasKey ? yaml.Columns(key!, "key") : [];
            var name = hasConstraint ? yaml.Text(constraint!, "constraint") : null;
            var action = fields.TryGetValue("action", out var a)
                ? yaml.Enum<ConflictAction>(a, "action", ProfileKeys.Enums["conflict.action"])
                : ConflictAction.Fail;
            string? pattern = null;
            if (fields.TryGetValue("pattern", out var p))
            {
                pattern = yaml.Text(p, "pattern");
                if (action != ConflictAction.Rename)
                {
                    throw yaml.Error(p, "pattern is only used with action: rename");
                }
                if (!pattern.Contains("{value}", StringComparison.Ordinal))
                {
                    throw yaml.Error(p, $"pattern '{pattern}' must contain {{value}}, the colliding value (e.g. \"{{value}} (imported)\")");
                }
            }
            else if (action == ConflictAction.Rename)
            {
                throw yaml.Error(node, "action: rename needs pattern: the new value with {value} for the old one, e.g. \"{value} (imported)\"");
            }
            return new ConflictRule(table, name, columns, action, pattern, ProfileYaml.Line(node));
        }

        private RequireRule Require(YamlNode node)
        {
            const string what = "a requirement";
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["require"]);
            var on = yaml.Enum<RequireSide>(yaml.Required(node, fields, "on", what, "source or target"), "on", ProfileKeys.Enums["require.on"]);
            var sql = yaml.Text(yaml.Required(node, fields, "sql", what, "a query returning one row whose first column is true"), "sql");
            var message = yaml.Text(yaml.Required(node, fields, "message", what, "what to tell the user when the check fails"), "message");
            return new RequireRule(on, sql, message, ProfileYaml.Line(node));
        }
    }
}
