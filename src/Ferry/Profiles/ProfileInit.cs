using System.Data.Common;
using System.Globalization;
using Ferry.Engines;
using Ferry.Export;
using Ferry.Planning;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Profiles;

/// <summary>What <c>ferry profile init</c> is asked.</summary>
/// <param name="RootTable">The root table.</param>
/// <param name="Ids">Root keys: the counts are then the tenant's, computed as plan does; empty: over whole tables.</param>
public sealed record ProfileInitOptions(string RootTable, IReadOnlyList<string> Ids);

/// <summary>
/// <c>ferry profile init</c>: reads a source's schema and data in one read-only snapshot and drafts a profile
/// (<see cref="ProfileDraft"/>). The undeclared references and follow hints are plan's own (the same scope
/// computation, <see cref="TenantScope"/>); identities and files are guessed from keys, names and sampled values.
/// </summary>
public sealed class ProfileInit(IDatabaseEngine engine)
{
    /// <summary>
    /// The draft. Throws <see cref="FerryException"/> for what plan refuses as a usage error (an unknown root
    /// table, ids of the wrong type) and for root ids that do not exist; NOT NULL references that leave the
    /// tenant do not stop it (the draft says so, and counts over whole tables).
    /// </summary>
    public async Task<ProfileDraft> DraftAsync(ProfileInitOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, cancellationToken);
        string? problem = null;
        if (options.Ids.Count > 0)
        {
            // Disposing the snapshot rolls it back: the source is never written, temporary tables included.
            await using var snapshot = await engine.BeginSnapshotAsync(connection, cancellationToken);
            try
            {
                var request = new ScopeRequest(options.RootTable, options.Ids, [], [], null);
                var scope = await TenantScope.ComputeAsync(engine, connection, snapshot, request, since: false, cancellationToken);
                var follows = scope.Hints.Where(h => h.Works).ToList();
                return await DraftAsync(options, scope.Schema, scope.Plan, scope.Undeclared, follows, null, connection, snapshot, cancellationToken);
            }
            catch (FerryException e) when (ScopeCut.Is(e))
            {
                problem = e.Message;
            }
        }

        await using var whole = await engine.BeginSnapshotAsync(connection, cancellationToken);
        await engine.SealSnapshotAsync(connection, whole, cancellationToken);
        var schema = await engine.ReadSchemaAsync(connection, whole, cancellationToken);
        var plan = Planner.Build(new PlanRequest(schema, options.RootTable, [], []));
        var undeclared = await TenantScope.UndeclaredAsync(plan.Tables.Select(t => t.Table), schema, new ScopeSql(engine.Dialect, plan), scoped: false, connection, whole, cancellationToken);
        var draft = await DraftAsync(options, schema, plan, undeclared, [], problem, connection, whole, cancellationToken);
        await whole.RollbackAsync(cancellationToken);
        return draft;
    }

    private async Task<ProfileDraft> DraftAsync(
        ProfileInitOptions options, DatabaseSchema schema, ExportPlan plan, IReadOnlyList<UndeclaredReference> undeclared,
        IReadOnlyList<FollowHint> follows, string? problem, DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var sql = new ProfileDraftSql(engine.Dialect);
        var (owning, reached) = await OwningAsync(schema, plan, connection, snapshot, cancellationToken);
        var identities = new List<IdentitySuggestion>();
        foreach (var table in plan.Tables.Where(t => t.Role == TableRole.Referenced).Select(t => t.Table))
        {
            identities.AddRange(await IdentitiesAsync(table, sql, connection, snapshot, cancellationToken));
        }
        var files = new List<FileSuggestion>();
        foreach (var table in plan.Tables.Select(t => t.Table).Concat(reached).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            foreach (var column in table.Columns.Where(ProfileGuess.IsText))
            {
                var values = (await SqlRunner.QueryTextAsync(connection, snapshot, sql.Sample(table, column), cancellationToken))
                    .Select(r => r[0]).OfType<string>().Where(v => v.Length > 0).ToList();
                if (FileGuess(table, column, values) is { } file)
                {
                    files.Add(file);
                }
            }
        }
        var notReached = plan.NotReached.Except(reached.Select(t => t.Name), StringComparer.Ordinal).ToList();
        return new ProfileDraft(engine.Description, plan.Root, options.Ids, problem, undeclared, follows, identities, files, notReached) { Owning = owning };
    }

    /// <summary>
    /// Columns of tables the plan does not reach that are named like references into the tenant (a Rails app's
    /// <c>places.group_id</c>): declared as owning relations, they would bring their tables in, and the tables
    /// that point at those in turn. The tables so reached and the columns (counted over whole tables, as plan
    /// counts its own undeclared references).
    /// </summary>
    private async Task<(List<UndeclaredReference> Owning, List<Table> Reached)> OwningAsync(
        DatabaseSchema schema, ExportPlan plan, DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var tenant = plan.Tables.Where(t => t.Role is TableRole.Root or TableRole.Owned).Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var outside = plan.NotReached.Select(schema.Get).ToList();
        var guesses = outside
            .SelectMany(t => ReferenceGuess.Candidates(t).Select(c => (Table: t, Likely: ReferenceGuess.Likely(schema, c)?.Table.Name)))
            .Where(g => g.Likely is not null)
            .ToList();
        var reached = new List<Table>();
        for (var grown = true; grown;)
        {
            grown = false;
            foreach (var (table, _) in guesses.Where(g => tenant.Contains(g.Likely!) && !tenant.Contains(g.Table.Name)))
            {
                grown = tenant.Add(table.Name);
                reached.Add(table);
            }
        }
        if (reached.Count == 0)
        {
            return ([], []);
        }
        var found = await TenantScope.UndeclaredAsync(reached, schema, new ScopeSql(engine.Dialect, plan), scoped: false, connection, snapshot, cancellationToken);
        return (found.Where(u => u.LikelyTable is not null && tenant.Contains(u.LikelyTable)).ToList(), reached);
    }

    // Natural keys of a shared table: its unique keys over text (references allowed beside), its partial unique
    // indexes, else text columns named like keys whose values the source holds once each.
    private static async Task<List<IdentitySuggestion>> IdentitiesAsync(
        Table table, ProfileDraftSql sql, DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var references = table.ForeignKeys.SelectMany(f => f.Columns).ToHashSet(StringComparer.Ordinal);
        bool Fits(IReadOnlyList<string> columns) =>
            columns.Any(c => table.FindColumn(c) is { } col && ProfileGuess.IsText(col))
            && columns.All(c => table.FindColumn(c) is { } col && (ProfileGuess.IsText(col) || references.Contains(c)));
        bool Email(IReadOnlyList<string> columns) => columns.Any(ProfileGuess.IsEmail);
        int Rank(IReadOnlyList<string> columns) => columns.Select(c => ProfileGuess.KeyRank(table.Name, c) ?? 99).Min();

        var found = new List<IdentitySuggestion>();
        foreach (var key in table.Uniques.Where(u => !u.IsPrimaryKey && Fits(u.Columns)).OrderBy(u => Rank(u.Columns)).ThenBy(u => u.Name, StringComparer.Ordinal))
        {
            found.Add(new IdentitySuggestion(table.Name, key.Columns, Email(key.Columns), $"unique ({key.Name})"));
        }
        foreach (var key in table.FilteredUniques.Where(u => Fits(u.Columns)).OrderBy(u => Rank(u.Columns)).ThenBy(u => u.Name, StringComparer.Ordinal))
        {
            found.Add(new IdentitySuggestion(table.Name, key.Columns, Email(key.Columns),
                $"unique only WHERE {key.Predicate} (partial index {key.Name}): on the target, rows outside that condition may share a key"));
        }
        if (found.Count > 0)
        {
            return found;
        }
        var named = table.Columns
            .Where(c => ProfileGuess.IsText(c) && !table.PrimaryKey.Contains(c.Name) && ProfileGuess.KeyRank(table.Name, c.Name) is not null)
            .OrderBy(c => ProfileGuess.KeyRank(table.Name, c.Name)).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(2);
        foreach (var column in named)
        {
            var email = ProfileGuess.IsEmail(column.Name);
            var counts = (await SqlRunner.QueryTextAsync(connection, snapshot, sql.CountDistinct(table, [column.Name], email), cancellationToken)).Single();
            var rows = long.Parse(counts[0]!, CultureInfo.InvariantCulture);
            var distinct = long.Parse(counts[1]!, CultureInfo.InvariantCulture);
            if (rows == 0)
            {
                continue;
            }
            var compared = email ? " (ignoring case)" : "";
            found.Add(rows == distinct
                ? new IdentitySuggestion(table.Name, [column.Name], email,
                    $"not declared unique, but its {rows} value(s) on the source are all different{compared}; a unique index on the target would make it safe")
                : new IdentitySuggestion(table.Name, [column.Name], email,
                    $"not unique: {rows - distinct} of {rows} value(s) on the source repeat one before them{compared}, so no suggestion", Doubtful: true));
        }
        return found;
    }

    // A column whose sampled values read like relative paths (or, named like a file, absolute ones).
    private static FileSuggestion? FileGuess(Table table, Column column, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        var named = ProfileGuess.NamedLikeFile(column.Name);
        var relative = values.Where(v => ProfileGuess.LooksLikeRelativePath(v, named)).ToList();
        // Most of them: a few placeholders ('none', a URL) do not hide a file column.
        if (relative.Count * 5 >= values.Count * 4)
        {
            return new FileSuggestion(table.Name, column.Name, values.Count, relative.Count, relative[0]);
        }
        var absolute = values.Where(ProfileGuess.LooksLikeAbsolutePath).ToList();
        return named && absolute.Count * 5 >= values.Count * 4
            ? new FileSuggestion(table.Name, column.Name, values.Count, absolute.Count, absolute[0], Absolute: true)
            : null;
    }
}
