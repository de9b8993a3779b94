using Ferry.Schema;

namespace Ferry.Profiles;

public static partial class ProfileCheck
{
    /// <summary>
    /// Checks the import side against the target schema: identities (table, key columns and
    /// placeholder columns exist), conflicts (the table exists; the constraint is one of its unique
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
                foreach (var column in identity.Columns.Concat(identity.Placeholder.Keys))
                {
                    check.Column(identity.Line, table, column);
                }
            }
        }
        foreach (var conflict in profile.Conflicts)
        {
            Conflict(check, conflict);
        }
        Files(check, profile.Files.Select(f => (f.Store, f.Line)), fileStores);
        check.ThrowIfAny();
    }

    private static void Conflict(Mistakes check, ConflictRule conflict)
    {
        if (check.Table(conflict.Line, conflict.Table) is not { } table)
        {
            return;
        }
        var keys = string.Join(", ", table.Uniques.Select(u => $"{u.Name} ({string.Join(", ", u.Columns)})"));
        var known = keys.Length > 0 ? $"its unique keys: {keys}" : "it has no unique key";
        if (conflict.Constraint is { } name)
        {
            if (!table.Uniques.Any(u => u.Name == name))
            {
                check.Add(conflict.Line, $"table {table.Name} has no unique key named {name} ({known})");
            }
            return;
        }
        var allExist = conflict.Columns.Aggregate(true, (ok, column) => check.Column(conflict.Line, table, column) && ok);
        if (allExist && !table.Uniques.Any(u => u.Columns.Order(StringComparer.Ordinal).SequenceEqual(conflict.Columns.Order(StringComparer.Ordinal))))
        {
            check.Add(conflict.Line, $"({string.Join(", ", conflict.Columns)}) is not a unique key of {table.Name} ({known})");
        }
    }
}
