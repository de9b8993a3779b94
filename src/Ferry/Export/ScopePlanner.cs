using Ferry.Engines;
using Ferry.Planning;

namespace Ferry.Export;

/// <summary>
/// <c>ferry plan</c>: computes a tenant's scope exactly as an export does (same plan, same key tables
/// inside one snapshot of the source) and reports it, without reading or writing any data. The
/// source is never written to; the snapshot is rolled back.
/// </summary>
public sealed class ScopePlanner(IDatabaseEngine engine)
{
    /// <summary>
    /// The plan report. Throws <see cref="FerryException"/> for the same mistakes an export refuses
    /// (unknown root, excluded or followed names, bad or missing ids, NOT NULL references that leave
    /// the tenant).
    /// </summary>
    public async Task<PlanReport> PlanAsync(PlanOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, cancellationToken);
        await using var snapshot = await engine.BeginSnapshotAsync(connection, cancellationToken);
        var scope = await TenantScope.ComputeAsync(engine, connection, snapshot, ScopeRequest.For(options), since: false, cancellationToken);
        var report = scope.Report(options.Ids, options.Profile);
        await snapshot.RollbackAsync(cancellationToken);
        return report;
    }
}
