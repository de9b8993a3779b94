using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>
/// Computes an <see cref="ExportPlan"/> from a schema alone: which tables hold tenant rows, which
/// are pulled because tenant rows point at them, which edges are cut or left behind, and the load
/// order. Pure and deterministic: the same request gives the same plan whatever the order of the
/// schema's tables, foreign keys, exclusions and follows.
/// </summary>
public static partial class Planner
{
    /// <summary>Builds the plan for <paramref name="request"/>.</summary>
    /// <exception cref="FerryException">A bad request (exit code Usage: unknown or excluded root, root
    /// without a primary key, unknown excluded table, bad follow), a foreign key of an in-scope table
    /// into a table missing from the schema, or a cycle of NOT NULL foreign keys (exit code Failure).</exception>
    public static ExportPlan Build(PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var schema = request.Schema;
        var excluded = Validate(request);
        var followed = request.Follow.ToHashSet();
        var ownedRefs = (request.OwnedReferences ?? []).ToHashSet();
        var graph = new ForeignKeyGraph(schema);

        bool IsFollowed(ForeignKey fk) => fk.Columns.Count > 0 && followed.Contains((fk.Table, fk.Columns[0]));
        // The referencing row owns the row it points at: the key owns "upwards", never the usual way.
        bool OwnsReferenced(ForeignKey fk) => fk.Columns.Count > 0 && ownedRefs.Contains((fk.Table, fk.Columns[0]));
        bool Owns(ForeignKey fk) => !OwnsReferenced(fk) && ((!fk.Nullable && !fk.IsVirtual) || IsFollowed(fk));

        var tenant = Reach([request.RootTable], t => graph.Incoming(t)
            .Where(fk => !excluded.Contains(fk.Table) && Owns(fk))
            .Select(fk => fk.Table)
            .Concat(graph.Outgoing(t).Where(fk => !excluded.Contains(fk.RefTable) && OwnsReferenced(fk)).Select(fk => fk.RefTable)));
        var inScope = Reach(tenant, t => graph.Outgoing(t)
            .Where(fk => !tenant.Contains(fk.RefTable) && !excluded.Contains(fk.RefTable))
            .Select(fk => schema.Find(fk.RefTable) is null ? throw MissingTable(fk) : fk.RefTable));

        var ownership = new List<ForeignKey>();
        var reference = new List<ForeignKey>();
        var check = new List<ForeignKey>();
        var cut = new List<ForeignKey>();
        var unfollowed = new List<ForeignKey>();
        var ownedReferences = new List<ForeignKey>();
        foreach (var fk in graph.Edges)
        {
            bool fromScope = inScope.Contains(fk.Table), intoTenant = tenant.Contains(fk.RefTable);
            var upwards = tenant.Contains(fk.Table) && intoTenant && OwnsReferenced(fk);
            Add(ownership, fk, intoTenant && tenant.Contains(fk.Table) && Owns(fk));
            Add(ownedReferences, fk, upwards);
            Add(reference, fk, fromScope && !intoTenant && inScope.Contains(fk.RefTable));
            Add(check, fk, fromScope && intoTenant);
            Add(cut, fk, fromScope && excluded.Contains(fk.RefTable));
            // Rows outside the export that point at an owned row through an owning key are other owners: the scope
            // refuses them (TenantScope), they are not rows left behind.
            Add(unfollowed, fk, intoTenant && !excluded.Contains(fk.Table) && !Owns(fk) && !upwards);
        }

        var ignore = new HashSet<string>(request.Ignore ?? [], StringComparer.Ordinal);
        var outside = schema.Tables.Select(t => t.Name).Where(t => !inScope.Contains(t) && !excluded.Contains(t)).ToList();
        var notReached = outside.Where(t => !ignore.Contains(t)).ToList();
        var ignored = outside.Where(ignore.Contains).ToList();
        if (request.Complete && notReached.Count > 0)
        {
            throw new FerryException(
                $"the profile is complete but {notReached.Count} table(s) are neither reached, excluded nor ignored: " +
                $"{string.Join(", ", notReached)} (decide for each: follow a relation to it, exclude it or ignore it)",
                ExitCodes.Usage);
        }

        // Keys of polymorphic, array and JSON relations are rewritten in the staged rows, and no target
        // constraint checks them: they do not order the load.
        var order = LoadOrder.Compute(inScope, graph.Edges.Where(e => e.IsPlain));
        TableRole Role(string t) =>
            t == request.RootTable ? TableRole.Root : tenant.Contains(t) ? TableRole.Owned : TableRole.Referenced;

        var shared = new HashSet<string>(request.Shared ?? [], StringComparer.Ordinal);
        if (shared.FirstOrDefault(t => !tenant.Contains(t)) is { } notTenant)
        {
            throw new FerryException(
                $"shared: {notTenant} is not a tenant table (neither the root nor owned by it): rows of other tables that the tenant uses are referenced, and carried, already",
                ExitCodes.Usage);
        }

        return new ExportPlan(
            request.RootTable,
            order.Tables.Select(t => new PlannedTable(schema.Get(t), Role(t))).ToList(),
            ownership,
            reference,
            check,
            cut,
            unfollowed,
            order.CycleBreaks,
            [.. excluded],
            notReached,
            ignored)
        {
            SharedEdges = check.Where(fk => shared.Contains(fk.RefTable)).ToList(),
            OwnedReferenceEdges = ownedReferences,
        };
    }

    /// <summary>Every table reachable from <paramref name="start"/> through <paramref name="next"/>, start included.</summary>
    private static HashSet<string> Reach(IEnumerable<string> start, Func<string, IEnumerable<string>> next)
    {
        var seen = new HashSet<string>(start, StringComparer.Ordinal);
        var work = new Queue<string>(seen);
        while (work.TryDequeue(out var table))
        {
            foreach (var found in next(table).Where(seen.Add))
            {
                work.Enqueue(found);
            }
        }

        return seen;
    }

    private static void Add(List<ForeignKey> list, ForeignKey fk, bool condition)
    {
        if (condition)
        {
            list.Add(fk);
        }
    }

    private static FerryException MissingTable(ForeignKey fk) =>
        new($"foreign key {fk.Name} ({fk}) points at table {fk.RefTable}, which is not in the schema", ExitCodes.Failure);
}
