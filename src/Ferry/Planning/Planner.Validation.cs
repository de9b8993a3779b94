using Ferry.Schema;

namespace Ferry.Planning;

public static partial class Planner
{
    private const int KnownTablesShown = 10;

    /// <summary>
    /// Checks the request against the schema, first failure wins, in this order: root, exclusions,
    /// root primary key, follows (sorted, so the message does not depend on input order).
    /// A follow of a NOT NULL foreign key is accepted (it already owns), and so is a follow on an
    /// excluded table (the exclusion wins: a profile's follows stay valid when a table is excluded).
    /// </summary>
    /// <returns>The excluded tables, sorted.</returns>
    private static SortedSet<string> Validate(PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request.Schema);
        ArgumentNullException.ThrowIfNull(request.Exclude);
        ArgumentNullException.ThrowIfNull(request.Follow);
        var schema = request.Schema;
        var root = schema.Find(request.RootTable) ?? throw Usage(UnknownRoot(schema, request.RootTable));

        var excluded = new SortedSet<string>(request.Exclude, StringComparer.Ordinal);
        if (excluded.Contains(root.Name))
        {
            throw Usage($"root table {root.Name} is excluded");
        }

        var unknown = excluded.Where(t => schema.Find(t) is null).ToList();
        if (unknown.Count > 0)
        {
            throw Usage($"unknown excluded table{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}");
        }

        var unknownIgnored = (request.Ignore ?? []).Where(t => schema.Find(t) is null).Order(StringComparer.Ordinal).ToList();
        if (unknownIgnored.Count > 0)
        {
            throw Usage($"unknown ignored table{(unknownIgnored.Count > 1 ? "s" : "")} {string.Join(", ", unknownIgnored)}");
        }

        if (root.PrimaryKey.Count == 0)
        {
            throw Usage($"root table {root.Name} has no primary key");
        }

        foreach (var (table, column) in request.Follow.Order(FollowOrder))
        {
            ValidateFollow(schema, table, column);
        }

        foreach (var (table, column) in (request.OwnedReferences ?? []).Order(FollowOrder))
        {
            ValidateOwnedReference(schema, table, column, request.Follow);
        }

        return excluded;
    }

    private static void ValidateFollow(DatabaseSchema schema, string table, string column)
    {
        var t = schema.Find(table) ?? throw Usage($"cannot follow {table}.{column}: unknown table {table}");
        if (t.FindColumn(column) is null)
        {
            throw Usage($"cannot follow {table}.{column}: table {table} has no column {column}");
        }

        var keys = t.ForeignKeys.Where(fk => fk.Columns.Contains(column)).Order(ForeignKeyGraph.Order).ToList();
        if (keys.Count == 0)
        {
            throw Usage($"{table}.{column} is not a foreign key column");
        }

        if (!keys.Any(fk => fk.Columns[0] == column))
        {
            throw Usage($"{table}.{column} is not the first column of a foreign key: to follow {keys[0]}, name {table}.{keys[0].Columns[0]}");
        }
    }

    // owner: from: a foreign key (the first column of one) holding one key per row, which is not followed the other way.
    private static void ValidateOwnedReference(DatabaseSchema schema, string table, string column, IReadOnlyCollection<(string Table, string Column)> follow)
    {
        var name = $"{table}.{column}";
        var t = schema.Find(table) ?? throw Usage($"{name} cannot own the row it points at: unknown table {table}");
        var keys = t.ForeignKeys.Where(fk => fk.Columns[0] == column).ToList();
        if (keys.Count == 0)
        {
            throw Usage($"{name} cannot own the row it points at: it is neither the first column of a foreign key nor a relation of the profile");
        }
        if (keys.FirstOrDefault(fk => !fk.IsPlain) is { } shaped)
        {
            throw Usage($"{name} cannot own the rows it points at: {shaped} is a polymorphic, array or JSON relation; owner: from needs a column holding one key");
        }
        if (follow.Contains((table, column)))
        {
            throw Usage($"cannot follow {name}: each {table} row owns the row it points at (owner: from); following it would make that row own the rows pointing at it instead");
        }
    }

    private static string UnknownRoot(DatabaseSchema schema, string name)
    {
        var names = schema.Tables.Select(t => t.Name).ToList();
        if (names.Count == 0)
        {
            return $"unknown root table {name}: the schema has no tables";
        }

        var shown = string.Join(", ", names.Take(KnownTablesShown));
        var more = names.Count > KnownTablesShown ? $" and {names.Count - KnownTablesShown} more" : "";
        return $"unknown root table {name} (tables: {shown}{more})";
    }

    private static readonly IComparer<(string Table, string Column)> FollowOrder = Comparer<(string Table, string Column)>.Create(
        (x, y) => string.CompareOrdinal(x.Table, y.Table) is var c and not 0 ? c : string.CompareOrdinal(x.Column, y.Column));

    private static FerryException Usage(string message) => new(message, ExitCodes.Usage);
}
