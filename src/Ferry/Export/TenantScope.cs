using System.Data.Common;
using Ferry.Engines;
using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Export;

/// <summary>
/// The scope of one tenant, computed by the source database inside one snapshot: the step export
/// and plan share, so that a plan's counts are the rows an export writes, and its warnings the
/// warnings export prints.
/// </summary>
/// <param name="Schema">The source schema as read in the snapshot.</param>
/// <param name="Plan">The plan built from it.</param>
/// <param name="Sql">The scope SQL over the key tables, which stay filled for the snapshot's lifetime.</param>
/// <param name="Rows">Rows in scope per table in scope.</param>
/// <param name="Cuts">Every foreign key of every table in scope, with the rows it cuts.</param>
/// <param name="LeftBehind">Every unfollowed nullable edge into the tenant, with the rows it leaves behind.</param>
/// <param name="Hints">For unfollowed edges that leave rows behind: what following each would do, tried.</param>
/// <param name="Undeclared">Columns named like references that nothing declares.</param>
/// <param name="Warnings">Everything export warns about, word for word.</param>
internal sealed record TenantScope(
    DatabaseSchema Schema,
    ExportPlan Plan,
    ScopeSql Sql,
    IReadOnlyDictionary<string, long> Rows,
    IReadOnlyList<Cut> Cuts,
    IReadOnlyList<LeftBehindEdge> LeftBehind,
    IReadOnlyList<FollowHint> Hints,
    IReadOnlyList<UndeclaredReference> Undeclared,
    IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// Reads the schema, plans, and fills the key tables inside <paramref name="snapshot"/>; seals
    /// the snapshot once the key tables exist. Throws <see cref="FerryException"/> on a bad request
    /// (unknown names, bad ids, missing root rows) and on NOT NULL references that leave the tenant.
    /// </summary>
    public static async Task<TenantScope> ComputeAsync(
        IDatabaseEngine engine, DbConnection connection, DbTransaction snapshot, ScopeRequest request, bool since, CancellationToken cancellationToken)
    {
        var schema = request.Apply(await engine.ReadSchemaAsync(connection, snapshot, cancellationToken));
        await Requirements.CheckAsync(request.Profile, RequireSide.Source, connection, snapshot, cancellationToken);
        var planRequest = request.ToPlanRequest(schema);
        var plan = Planner.Build(planRequest);
        var root = schema.Get(plan.Root);
        var rootKey = RootKey(root, request.RootKey);
        ValidateIds(root, rootKey, request.Ids);

        var sql = new ScopeSql(engine.Dialect, plan);
        foreach (var table in plan.Tables)
        {
            await SqlRunner.ExecuteAsync(connection, snapshot, sql.CreateKeyTable(table.Table), cancellationToken);
        }
        // Temporary tables cannot be created once the snapshot is sealed: those of the trials too.
        var trials = FollowTrials.Prepare(engine.Dialect, planRequest, plan);
        foreach (var statement in trials.CreateKeyTables())
        {
            await SqlRunner.ExecuteAsync(connection, snapshot, statement, cancellationToken);
        }
        if (since)
        {
            await SqlRunner.ExecuteAsync(connection, snapshot, sql.CreateSinceTable(), cancellationToken);
        }
        await engine.SealSnapshotAsync(connection, snapshot, cancellationToken);

        var scope = new ScopeRun(connection, snapshot, sql, schema, plan, cancellationToken);
        await scope.SelectRootsAsync(root, rootKey.Name, request.Ids);
        await scope.PullOwnedAsync();
        await scope.RefuseOtherOwnersAsync();
        await scope.PullReferencedAsync();
        var cuts = await scope.FindCutsAsync();
        await scope.RefuseOwnedElsewhereAsync(cuts);
        var leftBehind = await scope.LeftBehindAsync();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in plan.Tables)
        {
            rows[table.Name] = await SqlRunner.CountAsync(connection, snapshot, sql.CountScoped(table.Table), cancellationToken);
        }

        var hints = await trials.RunAsync(connection, snapshot, schema, root, rootKey.Name, request.Ids, rows.Values.Sum(), leftBehind, cancellationToken);
        var undeclared = await UndeclaredAsync(plan.Tables.Select(t => t.Table), schema, sql, scoped: true, connection, snapshot, cancellationToken);
        var warnings = new List<string>();
        foreach (var (edge, hint) in leftBehind.Select(e => (e, hints.FirstOrDefault(h => h.Table == e.Table && h.Column == e.Columns[0]))).Where(x => x.e.Rows > 0))
        {
            var follow = hint is null ? "" : $"; {hint}";
            warnings.Add($"left behind: {edge.Rows} row(s) of {edge.Table} point at exported {edge.RefTable} rows through " +
                         $"{edge.Table}.{string.Join('+', edge.Columns)} (nullable, not followed{follow})");
        }
        var inScope = plan.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        warnings.AddRange(schema.Notes.Where(n => inScope.Contains(n.Table)).Select(n => n.Text));
        warnings.AddRange(undeclared.Select(u => u.ToString()));
        warnings.AddRange(await OtherTypesAsync(plan, sql, connection, snapshot, cancellationToken));
        return new TenantScope(schema, plan, sql, rows, cuts, leftBehind, hints, undeclared, warnings);
    }

    /// <summary>The plan as people review it, with the counts, hints and warnings of this scope.</summary>
    public PlanReport Report(IReadOnlyList<string> ids, Profiles.Profile? profile)
    {
        var report = PlanReport.Build(
            Plan,
            ids,
            Rows,
            Cuts.Select(c => (c.Edge, c.Count)).ToList(),
            // LeftBehind follows the plan's UnfollowedEdges, one for one.
            Plan.UnfollowedEdges.Zip(LeftBehind, (edge, left) => (edge, left.Rows)).ToList(),
            profile);
        var edges = report.Edges.Select(e => e.Kind == PlanEdgeKind.NotFollowed && e.LeftBehind > 0
            ? e with { Follow = Hints.FirstOrDefault(h => h.Table == e.Key.Table && h.Column == e.Key.Columns[0]) }
            : e).ToList();
        return report with { Edges = edges, Undeclared = Undeclared, Warnings = Warnings };
    }

    /// <summary>
    /// Columns of <paramref name="tables"/> named like references that no key declares: where they most likely
    /// point, and how many of the scoped rows (<paramref name="scoped"/>: the tables are in scope; else of all the
    /// table's rows) hold a value found there.
    /// </summary>
    internal static async Task<List<UndeclaredReference>> UndeclaredAsync(
        IEnumerable<Table> tables, DatabaseSchema schema, ScopeSql sql, bool scoped, DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var found = new List<UndeclaredReference>();
        foreach (var table in tables)
        {
            foreach (var column in ReferenceGuess.Candidates(table))
            {
                var likely = ReferenceGuess.Likely(schema, column);
                var counts = (await SqlRunner.QueryTextAsync(connection, snapshot,
                    sql.CountExisting(table, column, likely?.Table, likely?.Key, scoped), cancellationToken)).Single();
                found.Add(new UndeclaredReference(table.Name, column.Name, likely?.Table.Name, likely?.Key,
                    long.Parse(counts[0]!, System.Globalization.CultureInfo.InvariantCulture),
                    long.Parse(counts[1]!, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return found;
    }

    // Polymorphic keys whose type the profile does not map to a table are copied with their source ids.
    private static async Task<List<string>> OtherTypesAsync(
        ExportPlan plan, ScopeSql sql, DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        foreach (var table in plan.Tables.Select(t => t.Table))
        {
            var polymorphic = table.ForeignKeys
                .Where(k => k.Shape?.TypeColumn is not null)
                .GroupBy(k => (Column: k.Columns[0], Type: k.Shape!.TypeColumn!));
            foreach (var keys in polymorphic)
            {
                var types = keys.Select(k => k.Shape!.TypeValue!).ToList();
                var count = await SqlRunner.CountAsync(connection, snapshot,
                    sql.CountOtherTypes(table, keys.Key.Column, keys.Key.Type, types), cancellationToken);
                if (count > 0)
                {
                    warnings.Add($"{count} row(s) of {table.Name} have a {keys.Key.Type} that the profile maps to no table " +
                                 $"(it maps {string.Join(", ", types)}): their {keys.Key.Column} is copied unchanged");
                }
            }
        }
        return warnings;
    }

    /// <summary>
    /// The column root rows are selected by: <paramref name="named"/> (<c>--root stores.id</c>, the profile's
    /// <c>root: {table, key}</c>), which must be unique in the table by itself, else the single-column primary key.
    /// </summary>
    internal static Column RootKey(Table root, string? named)
    {
        var unique = root.Uniques.Where(u => u.Columns.Count == 1).Select(u => u.Columns[0])
            .Concat(root.PrimaryKey.Count == 1 ? root.PrimaryKey : []).Distinct(StringComparer.Ordinal).ToList();
        var choices = unique.Count > 0 ? $"columns unique by themselves: {string.Join(", ", unique)}" : "it has no column unique by itself";
        if (named is null)
        {
            return root.PrimaryKey.Count == 1
                ? root.GetColumn(root.PrimaryKey[0])
                : throw new FerryException(
                    $"root table {root.Name} has {(root.PrimaryKey.Count == 0 ? "no primary key" : $"a composite primary key ({string.Join(", ", root.PrimaryKey)})")}; " +
                    $"--ids needs a single-column key: name a unique column with --root {root.Name}.COLUMN ({choices})", ExitCodes.Usage);
        }
        if (root.FindColumn(named) is not { } column)
        {
            throw new FerryException($"root key {root.Name}.{named}: {root.Name} has no column {named}", ExitCodes.Usage);
        }
        return unique.Contains(column.Name)
            ? column
            : throw new FerryException(
                $"root key {root.Name}.{named} is not unique: no primary key or unique constraint of {root.Name} is exactly ({named}), " +
                $"so an id could select several rows ({choices})", ExitCodes.Usage);
    }

    private static void ValidateIds(Table root, Column key, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            throw new FerryException("--ids needs at least one id", ExitCodes.Usage);
        }
        if (key.Type == FerryType.Int && ids.FirstOrDefault(i => !long.TryParse(i, out _)) is { } bad)
        {
            throw new FerryException($"--ids: '{bad}' is not an integer, but {root.Name}.{key.Name} is", ExitCodes.Usage);
        }
        if (key.Type == FerryType.Uuid && ids.FirstOrDefault(i => !Guid.TryParse(i, out _)) is { } badUuid)
        {
            throw new FerryException($"--ids: '{badUuid}' is not a UUID, but {root.Name}.{key.Name} is", ExitCodes.Usage);
        }
    }
}
