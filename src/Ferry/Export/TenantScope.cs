using System.Data.Common;
using Ferry.Engines;
using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Export;

/// <summary>
/// The scope of one tenant, computed by the source database inside one snapshot: the step export
/// and plan share, so that a plan's counts are the rows an export writes.
/// </summary>
/// <param name="Schema">The source schema as read in the snapshot.</param>
/// <param name="Plan">The plan built from it.</param>
/// <param name="Sql">The scope SQL over the key tables, which stay filled for the snapshot's lifetime.</param>
/// <param name="Rows">Rows in scope per table in scope.</param>
/// <param name="Cuts">Every foreign key of every table in scope, with the rows it cuts.</param>
/// <param name="LeftBehind">Every unfollowed nullable edge into the tenant, with the rows it leaves behind.</param>
internal sealed record TenantScope(
    DatabaseSchema Schema,
    ExportPlan Plan,
    ScopeSql Sql,
    IReadOnlyDictionary<string, long> Rows,
    IReadOnlyList<Cut> Cuts,
    IReadOnlyList<LeftBehindEdge> LeftBehind)
{
    /// <summary>
    /// Reads the schema, plans, and fills the key tables inside <paramref name="snapshot"/>; seals
    /// the snapshot once the key tables exist. Throws <see cref="FerryException"/> on a bad request
    /// (unknown names, bad ids, missing root rows) and on NOT NULL references that leave the tenant.
    /// </summary>
    public static async Task<TenantScope> ComputeAsync(
        IDatabaseEngine engine, DbConnection connection, DbTransaction snapshot, ScopeRequest request, CancellationToken cancellationToken)
    {
        var schema = request.Apply(await engine.ReadSchemaAsync(connection, snapshot, cancellationToken));
        await Requirements.CheckAsync(request.Profile, RequireSide.Source, connection, snapshot, cancellationToken);
        var plan = Planner.Build(request.ToPlanRequest(schema));
        var root = schema.Get(plan.Root);
        ValidateIds(root, request.Ids);

        var sql = new ScopeSql(engine.Dialect, plan);
        foreach (var table in plan.Tables)
        {
            await SqlRunner.ExecuteAsync(connection, snapshot, sql.CreateKeyTable(table.Table), cancellationToken);
        }
        await engine.SealSnapshotAsync(connection, snapshot, cancellationToken);

        var scope = new ScopeRun(connection, snapshot, sql, schema, plan, cancellationToken);
        await scope.SelectRootsAsync(root, request.Ids);
        await scope.PullOwnedAsync();
        await scope.PullReferencedAsync();
        var cuts = await scope.FindCutsAsync();
        var leftBehind = await scope.LeftBehindAsync();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in plan.Tables)
        {
            rows[table.Name] = await SqlRunner.CountAsync(connection, snapshot, sql.CountScoped(table.Table), cancellationToken);
        }
        return new TenantScope(schema, plan, sql, rows, cuts, leftBehind);
    }

    /// <summary>The plan as people review it, with the counts of this scope.</summary>
    public PlanReport Report(IReadOnlyList<string> ids, Profiles.Profile? profile) =>
        PlanReport.Build(
            Plan,
            ids,
            Rows,
            Cuts.Select(c => (c.Edge, c.Count)).ToList(),
            // LeftBehind follows the plan's UnfollowedEdges, one for one.
            Plan.UnfollowedEdges.Zip(LeftBehind, (edge, left) => (edge, left.Rows)).ToList(),
            profile);

    private static void ValidateIds(Table root, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            throw new FerryException("--ids needs at least one id", ExitCodes.Usage);
        }
        if (root.PrimaryKey.Count != 1)
        {
            throw new FerryException(
                $"root table {root.Name} has a composite primary key ({string.Join(", ", root.PrimaryKey)}); --ids needs a single-column key",
                ExitCodes.Usage);
        }
        var key = root.GetColumn(root.PrimaryKey[0]);
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
