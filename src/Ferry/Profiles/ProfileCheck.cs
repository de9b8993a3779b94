using Ferry.Schema;

namespace Ferry.Profiles;

/// <summary>
/// Checks a profile's rules against a real schema before any work starts. Every mistake is
/// collected and all of them are reported in one <see cref="FerryException"/> (exit code
/// <see cref="ExitCodes.Usage"/>), each naming its profile line: <c>profile app.yaml:12: ...</c>.
/// Transforms are not checked here: the import checks them against the archive and the target (Import/TransformPlan).
/// </summary>
public static partial class ProfileCheck
{
    /// <summary>
    /// Checks the export side against the source schema: the root table and key, follows, excluded
    /// and ignored tables, relations (tables, columns, type column, referenced tables and columns;
    /// a referenced table without an explicit column needs a single-column primary key) and files
    /// (table, column, and a store directory given in <paramref name="fileStores"/> that exists).
    /// </summary>
    /// <param name="fileStores">Store name → directory (<c>--files NAME=DIR</c>); null: none given.</param>
    /// <param name="checkStores">False when no file is read (a plan): the stores' directories are not required.</param>
    /// <exception cref="FerryException">One or more mistakes, all listed.</exception>
    public static void AgainstSource(Profile profile, DatabaseSchema source, IReadOnlyDictionary<string, string>? fileStores, bool checkStores = true)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(source);
        var check = new Mistakes(profile, source, "source");
        if (profile.Root is { } root && check.Table(root.Line, root.Table) is { } rootTable && root.Key is { } key
            && check.Column(root.Line, rootTable, key))
        {
            if (!(rootTable.PrimaryKey.Count == 1 && rootTable.PrimaryKey[0] == key) && !rootTable.Uniques.Any(u => u.Columns.Count == 1 && u.Columns[0] == key))
            {
                check.Add(root.Line, $"root key {key} is not unique: no primary key or unique constraint of {root.Table} is exactly ({key}), " +
                                     "so an id could select several rows");
            }
        }
        var relationColumns = profile.Relations.Select(r => (r.Table, r.Column)).ToHashSet();
        foreach (var follow in profile.Follow)
        {
            if (check.Table(follow.Line, follow.Table) is { } table && check.Column(follow.Line, table, follow.Column)
                && !table.ForeignKeys.Any(fk => fk.Columns[0] == follow.Column) && !relationColumns.Contains((follow.Table, follow.Column)))
            {
                check.Add(follow.Line, $"cannot follow {follow.Table}.{follow.Column}: it is neither a foreign key nor a relation of the profile");
            }
        }
        foreach (var rule in profile.Exclude.Concat(profile.Ignore))
        {
            check.Table(rule.Line, rule.Table);
        }
        foreach (var rule in profile.Shared)
        {
            if (check.Table(rule.Line, rule.Table) is not null && profile.Identities.All(i => i.Table != rule.Table))
            {
                check.Add(rule.Line, $"shared rows of {rule.Table} are matched on the target by an identity, and the profile has none for {rule.Table}: " +
                                     $"add one under identities (e.g. {{table: {rule.Table}, key: name}})");
            }
        }
        foreach (var rule in profile.Changed)
        {
            Changed(check, rule);
        }
        foreach (var relation in profile.Relations)
        {
            Relation(check, relation);
            Ownership(check, profile, relation, source);
        }
        if (checkStores)
        {
            Files(check, profile.Files.Select(f => (f.Store, f.Line)), fileStores);
        }
        foreach (var file in profile.Files)
        {
            if (check.Table(file.Line, file.Table) is { } table)
            {
                if (file.Column is { } column)
                {
                    check.Column(file.Line, table, column);
                }
                foreach (var used in file.Template?.Columns ?? [])
                {
                    check.Column(file.Line, table, used);
                }
                foreach (var integer in file.Template?.Integers ?? [])
                {
                    if (table.FindColumn(integer) is { Type: not Schema.FerryType.Int } c)
                    {
                        check.Add(file.Line, $"path {file.Template!.Text}: {table.Name}.{integer} holds {c.Type.ToName()} values; arithmetic and formats need an integer column");
                    }
                }
            }
        }
        check.ThrowIfAny();
    }

    // A changed-at column: a date or timestamp outside the primary key of a table that has one (key-only rows need a key).
    private static void Changed(Mistakes check, ChangedRule rule)
    {
        if (check.Table(rule.Line, rule.Table) is not { } table || !check.Column(rule.Line, table, rule.Column))
        {
            return;
        }
        var column = table.GetColumn(rule.Column);
        if (column.Type is not (FerryType.Timestamp or FerryType.TimestampTz or FerryType.Date))
        {
            check.Add(rule.Line, $"changed: {table.Name}.{rule.Column} holds {column.Type.ToName()} values; a changed-at column is a timestamp or a date");
        }
        else if (table.PrimaryKey.Count == 0)
        {
            check.Add(rule.Line, $"changed: {table.Name} has no primary key, so its unchanged rows cannot travel as their key; leave the rule out (its rows are then always written whole)");
        }
        else if (table.PrimaryKey.Contains(rule.Column))
        {
            check.Add(rule.Line, $"changed: {table.Name}.{rule.Column} is part of the primary key; name the column the application sets when a row changes");
        }
    }

    private static void Relation(Mistakes check, RelationRule relation)
    {
        var line = relation.Line;
        if (check.Table(line, relation.Table) is { } table)
        {
            check.Column(line, table, relation.Column);
            if (relation.TypeColumn is { } typeColumn)
            {
                check.Column(line, table, typeColumn);
            }
        }
        IEnumerable<string> referenced = relation.RefTable is { } one ? [one] : relation.Types.Values.Distinct().Order(StringComparer.Ordinal);
        foreach (var name in referenced)
        {
            if (check.Table(line, name) is not { } target)
            {
                continue;
            }
            if (relation.RefColumn is { } column)
            {
                check.Column(line, target, column);
            }
            else if (target.PrimaryKey.Count != 1)
            {
                check.Add(line, $"relation {relation.Table}.{relation.Column} → {name}: {name} has no single-column primary key; name the referenced column (to: {name}.COLUMN)");
            }
        }
    }

    // Each store once, at the first rule that names it.
    private static void Files(Mistakes check, IEnumerable<(string Store, int Line)> stores, IReadOnlyDictionary<string, string>? directories)
    {
        foreach (var (store, line) in stores.DistinctBy(s => s.Store))
        {
            if (directories?.GetValueOrDefault(store) is not { } dir)
            {
                check.Add(line, $"file store {store} has no directory on the {check.Side}: give --files {store}=DIR");
            }
            else if (!Directory.Exists(dir))
            {
                check.Add(line, $"file store {store}: directory {dir} does not exist");
            }
        }
    }
}
