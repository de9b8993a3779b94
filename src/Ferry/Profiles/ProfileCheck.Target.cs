using Ferry.Schema;

namespace Ferry.Profiles;

public static partial class ProfileCheck
{
    /// <summary>
    /// Checks the import side against the target schema: identities (table, key, placeholder and
    /// prefer columns exist), conflicts (the table exists; the constraint is one of its unique
    /// keys, or the columns are exactly the columns of one) and file stores (a directory given in
    /// <paramref name="fileStores"/> that exists). These rules name tables as the target has them.
    /// </summary>
    /// <param name="fileStores">Store name → the target's directory (<c>--files NAME=DIR</c>); null: none given.</param>
    /// <exception cref="FerryException">One or more mistakes, all listed.</exception>
    public static void AgainstTarget(Profile profile, DatabaseSchema target, IReadOnlyDictionary<string, string>? fileStores)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(target);
        var check = new Mistakes(profile, target, "target");
        foreach (var identity in profile.Identities)
        {
            if (check.Table(identity.Line, identity.Table) is { } table)
            {
                var keyColumns = identity.Columns;
                if (identity.Through is { } through)
                {
                    keyColumns = [];
                    if (check.Table(identity.Line, through.Table) is { } holder)
                    {
                        foreach (var column in identity.Columns.Append(through.Column))
                        {
                            check.Column(identity.Line, holder, column);
                        }
                    }
                }
                foreach (var column in keyColumns.Concat(identity.Placeholder.Keys).Concat(identity.Prefer.Select(p => p.Column)))
                {
                    check.Column(identity.Line, table, column);
                }
            }
        }
        foreach (var conflict in profile.Conflicts)
        {
            Conflict(check, conflict, target);
        }
        Files(check, profile.Files.Select(f => (f.Store, f.Line)), fileStores);
        check.ThrowIfAny();
    }

    private static void Conflict(Mistakes check, ConflictRule conflict, DatabaseSchema target)
    {
        if (check.Table(conflict.Line, conflict.Table) is not { } table)
        {
            return;
        }
        var keys = string.Join(", ", table.Uniques.Select(u => $"{u.Name} ({string.Join(", ", u.Columns)})"));
        var known = keys.Length > 0 ? $"its unique keys: {keys}" : "it has no unique key";
        UniqueKey? key;
        if (conflict.Constraint is { } name)
        {
            key = table.Uniques.FirstOrDefault(u => u.Name == name);
            if (key is null)
            {
                check.Add(conflict.Line, $"table {table.Name} has no unique key named {name} ({known})");
            }
        }
        else
        {
            var allExist = conflict.Columns.Aggregate(true, (ok, column) => check.Column(conflict.Line, table, column) && ok);
            key = table.Uniques.FirstOrDefault(u => u.Columns.Order(StringComparer.Ordinal).SequenceEqual(conflict.Columns.Order(StringComparer.Ordinal)));
            if (allExist && key is null)
            {
                check.Add(conflict.Line, $"({string.Join(", ", conflict.Columns)}) is not a unique key of {table.Name} ({known})");
            }
        }
        if (key is not null)
        {
            ConflictAction(check, conflict, table, key, target);
        }
    }

    // What rename and reuse need of the key, beyond being one.
    private static void ConflictAction(Mistakes check, ConflictRule conflict, Table table, UniqueKey key, DatabaseSchema target)
    {
        var columns = string.Join(", ", key.Columns);
        if (conflict.Action == Profiles.ConflictAction.Rename)
        {
            var references = table.ForeignKeys.SelectMany(f => f.Columns).ToHashSet(StringComparer.Ordinal);
            var renamable = key.Columns.Where(c => !table.PrimaryKey.Contains(c) && !references.Contains(c)).ToList();
            if (renamable.Count != 1 || table.GetColumn(renamable[0]).Type != FerryType.Text)
            {
                check.Add(conflict.Line, $"rename needs exactly one text column in the key ({columns}) that is neither the primary key nor a reference");
            }
        }
        else if (conflict.Action == Profiles.ConflictAction.Reuse && table.PrimaryKey.Count != 1 && !key.IsPrimaryKey
                 && target.Tables.Any(t => t.ForeignKeys.Any(f => f.RefTable == table.Name)))
        {
            check.Add(conflict.Line, $"reuse on ({columns}): {table.Name} has no single-column primary key and other tables point at it, " +
                                     "so its rows cannot be mapped to existing ones");
        }
    }
}
