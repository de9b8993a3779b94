using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Ferry.Profiles;

public static partial class ProfileLoader
{
    /// <summary>
    /// The JSON paths Ferry follows (<see cref="Engines.JsonKeyPath"/>'s grammar) as the JSON schema's pattern:
    /// <c>$</c>, then 1 to 32 steps, each <c>.name</c>, <c>[N]</c> or <c>[*]</c>. The loader parses with
    /// <see cref="Engines.JsonKeyPath.Parse"/>, whose message says what is wrong; a test keeps the two in step.
    /// </summary>
    [GeneratedRegex(@"^\$(?:\.[A-Za-z_][A-Za-z0-9_-]{0,127}|\[(?:\*|0|[1-9][0-9]{0,8})\]){1,32}$")]
    internal static partial Regex JsonPath();

    /// <summary>An item of an identity's <c>prefer</c> list: a column, optionally followed by asc or desc.</summary>
    [GeneratedRegex(@"^(?<column>[^.\s]+)(\s+(?<dir>[Aa][Ss][Cc]|[Dd][Ee][Ss][Cc]))?$")]
    internal static partial Regex PreferItem();

    private sealed partial class Sections
    {
        private IdentityRule Identity(YamlNode node)
        {
            const string what = "an identity";
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["identity"]);
            var table = yaml.Name(yaml.Required(node, fields, "table", what, "the table matched by a natural key"), "table");
            var columns = yaml.Columns(yaml.Required(node, fields, "key", what, "the natural key: a column or [columns]"), "key");
            var caseInsensitive = fields.TryGetValue("case_insensitive", out var ci) && yaml.Bool(ci, "case_insensitive");
            var missing = fields.TryGetValue("missing", out var m)
                ? yaml.Enum<MissingIdentity>(m, "missing", ProfileKeys.Enums["identity.missing"])
                : MissingIdentity.Create;
            var placeholder = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (fields.TryGetValue("placeholder", out var p))
            {
                if (missing != MissingIdentity.Placeholder)
                {
                    throw yaml.Error(p, "placeholder values are only used with missing: placeholder");
                }
                placeholder = yaml.Scalars(p, "placeholder");
            }
            return new IdentityRule(table, columns, caseInsensitive, missing, placeholder, ProfileYaml.Line(node))
            {
                Where = fields.TryGetValue("where", out var w) ? yaml.Text(w, "where") : null,
                Prefer = fields.TryGetValue("prefer", out var prefer) ? Prefer(prefer) : [],
                Through = fields.TryGetValue("through", out var through) ? Through(through, missing) : null,
            };
        }

        private IdentityThrough Through(YamlNode node, MissingIdentity missing)
        {
            const string what = "through";
            if (missing == MissingIdentity.Placeholder)
            {
                throw yaml.Error(node, "an identity whose key is taken through another table cannot have missing: placeholder (a placeholder row would have no key)");
            }
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["through"]);
            var table = yaml.Name(yaml.Required(node, fields, "table", what, "the table holding the key"), "through table");
            var column = yaml.Name(yaml.Required(node, fields, "column", what, "its column that holds the identity row's primary key"), "through column");
            var where = fields.TryGetValue("where", out var w) ? yaml.Text(w, "where") : null;
            return new IdentityThrough(table, column, where);
        }

        // prefer: a column, or a list of them, each optionally followed by asc or desc.
        private List<PreferColumn> Prefer(YamlNode node)
        {
            var items = node is YamlSequenceNode list ? list.Children.ToList() : [node];
            if (items.Count == 0)
            {
                throw yaml.Error(node, "prefer must name at least one column");
            }
            var prefer = new List<PreferColumn>();
            foreach (var item in items)
            {
                var text = yaml.Text(item, "a column of prefer");
                var match = PreferItem().Match(text);
                if (!match.Success)
                {
                    throw yaml.Error(item, $"prefer '{text}' is not a column optionally followed by asc or desc (e.g. last_login desc, id)");
                }
                var column = match.Groups["column"].Value;
                if (prefer.Any(p => p.Column == column))
                {
                    throw yaml.Error(item, $"prefer names {column} twice");
                }
                prefer.Add(new PreferColumn(column, match.Groups["dir"].Value.Equals("desc", StringComparison.OrdinalIgnoreCase)));
            }
            return prefer;
        }

        private RelationRule Relation(YamlNode node)
        {
            const string what = "a relation";
            var fields = yaml.Fields(node, what, ProfileKeys.Rules["relation"]);
            var line = ProfileYaml.Line(node);
            var (table, column) = yaml.TableColumn(yaml.Required(node, fields, "from", what, "TABLE.COLUMN holding the reference"), "from");
            var (owns, ownsReferenced) = Ownership(fields);
            var array = fields.TryGetValue("array", out var a) && yaml.Bool(a, "array");
            var path = fields.TryGetValue("path", out var p) ? yaml.Text(p, "path") : null;
            if (array && path is not null)
            {
                throw yaml.Error(p!, "a relation has either array: true (a list of ids) or path (ids inside JSON), not both");
            }
            if (path is not null)
            {
                try
                {
                    Engines.JsonKeyPath.Parse(path);
                }
                catch (FormatException e)
                {
                    throw yaml.Error(p!, $"path is not a JSON path Ferry follows: {e.Message}");
                }
            }

            if (fields.TryGetValue("type_column", out var typeNode))
            {
                var typeColumn = yaml.Name(typeNode, "type_column");
                if (ownsReferenced)
                {
                    throw yaml.Error(fields["owner"], OwnerFromNeedsOneKey("a polymorphic relation"));
                }
                foreach (var key in new[] { "to", "array", "path", "none" }.Where(fields.ContainsKey))
                {
                    throw yaml.Error(fields[key], $"a polymorphic relation (type_column) takes its tables from types, not '{key}'");
                }
                var types = yaml.Scalars(yaml.Required(node, fields, "types", "a polymorphic relation", "type value → table, e.g. {post: posts}"), "types");
                if (types.Count == 0)
                {
                    throw yaml.Error(fields["types"], "types must map at least one type value to a table");
                }
                var tables = types.ToDictionary(t => t.Key, t => t.Value is string s && !s.Contains('.', StringComparison.Ordinal) && !s.Any(char.IsWhiteSpace)
                    ? s
                    : throw yaml.Error(fields["types"], $"types: the table for '{t.Key}' must be a table name"), StringComparer.Ordinal);
                return new RelationRule(table, column, RelationKind.Polymorphic, null, null, typeColumn, tables, null, owns, line);
            }
            if (fields.TryGetValue("types", out var stray))
            {
                throw yaml.Error(stray, "types needs type_column: the column whose value names the table");
            }
            if (!fields.ContainsKey("to") && (ownsReferenced || owns))
            {
                // {from: stores.hierarchy_id, owner: from}: who owns along the foreign key the schema declares.
                foreach (var key in new[] { "array", "path", "none" }.Where(fields.ContainsKey))
                {
                    throw yaml.Error(fields[key], $"a relation without to only says which side of the foreign key declared on {table}.{column} owns; '{key}' needs to: the referenced table");
                }
                return new RelationRule(table, column, RelationKind.Declared, null, null, null, new Dictionary<string, string>(), null, owns, line)
                {
                    OwnsReferenced = ownsReferenced,
                };
            }
            if (ownsReferenced && (array || path is not null))
            {
                throw yaml.Error(fields["owner"], OwnerFromNeedsOneKey(array ? "an array relation" : "a JSON path relation"));
            }
            var to = yaml.Text(yaml.Required(node, fields, "to", what, "the referenced table (TABLE or TABLE.COLUMN)"), "to");
            var (refTable, refColumn) = to.Contains('.', StringComparison.Ordinal) ? yaml.TableColumn(fields["to"], "to") : (yaml.Name(fields["to"], "to"), null);
            var kind = path is not null ? RelationKind.Json : array ? RelationKind.Array : RelationKind.Column;
            return new RelationRule(table, column, kind, refTable, refColumn, null, new Dictionary<string, string>(), path, owns, line)
            {
                None = fields.TryGetValue("none", out var none) ? None(none, kind) : [],
                OwnsReferenced = ownsReferenced,
            };
        }

        // owner: to (or its older spelling owns: true) or owner: from; never both keys.
        private (bool Owns, bool OwnsReferenced) Ownership(IReadOnlyDictionary<string, YamlNode> fields)
        {
            var owns = fields.TryGetValue("owns", out var o) && yaml.Bool(o, "owns");
            if (!fields.TryGetValue("owner", out var ownerNode))
            {
                return (owns, false);
            }
            if (fields.ContainsKey("owns"))
            {
                throw yaml.Error(ownerNode, "a relation says which side owns with owner or with owns (owns: true is owner: to), not both");
            }
            var owner = yaml.Enum<RelationOwner>(ownerNode, "owner", ProfileKeys.Enums["relation.owner"]);
            return (owner == RelationOwner.To, owner == RelationOwner.From);
        }

        private static string OwnerFromNeedsOneKey(string what) =>
            $"owner: from is for a column holding one key (a plain relation or a declared foreign key), not {what}";

        // none: an integer, or a list of them, that the column holds to mean "no row".
        private List<long> None(YamlNode node, RelationKind kind)
        {
            if (kind != RelationKind.Column)
            {
                throw yaml.Error(node, "none is for a plain relation (a column holding one key), not an array or JSON path");
            }
            var items = node is YamlSequenceNode list ? list.Children.ToList() : [node];
            if (items.Count == 0)
            {
                throw yaml.Error(node, "none must give at least one value");
            }
            return items.Select(item => yaml.Value(item, "a value of none") is long value
                ? value
                : throw yaml.Error(item, "none values must be integers (e.g. none: [0, -1])")).Distinct().ToList();
        }
    }
}
