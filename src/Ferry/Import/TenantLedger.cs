using Ferry.Engines;
using Ferry.Sql;

namespace Ferry.Import;

/// <summary>An import of a tenant as a target's ledger records it.</summary>
/// <param name="Tenant">The tenant's id (64 hex digits).</param>
/// <param name="Import">The import's number in this target.</param>
/// <param name="Rows">Rows of the tenant the ledger records (over all its imports).</param>
public sealed record LedgerEntry(string Tenant, long Import, string Source, string RootTable, string RootKeys, string ImportedAt, long Rows);

/// <summary>What <c>ferry forget</c> removed from a target's ledger.</summary>
/// <param name="TablesDropped">True when no tenant was left, so the ledger's tables were dropped.</param>
public sealed record ForgetReport(string Tenant, long Imports, long Rows, bool TablesDropped);

/// <summary>
/// Reads and prunes a target's ledger (<c>ferry forget</c>). Forgetting a tenant removes what the ledger says about
/// it, never the rows the imports wrote: the target then treats them as its own.
/// </summary>
public sealed class TenantLedger(IDatabaseEngine engine)
{
    /// <summary>How many of a tenant id's 64 hex digits messages show.</summary>
    public const int ShortId = Ledger.ShortId;

    /// <summary>Every import the ledger records, oldest first; empty when the target has no ledger.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await engine.OpenAsync(Access.ReadOnly, cancellationToken);
        return await ListAsync(connection, null, "", cancellationToken);
    }

    /// <summary>
    /// Removes the tenant whose id starts with <paramref name="prefix"/> (at least 6 hex digits) from the ledger, in
    /// one transaction, and drops the ledger's tables when no tenant is left. A prefix that names no tenant, or
    /// several, is a <see cref="FerryException"/> and changes nothing.
    /// </summary>
    public async Task<ForgetReport> ForgetAsync(string prefix, bool dryRun, CancellationToken cancellationToken)
    {
        if (prefix.Length < 6 || prefix.Length > 64 || !prefix.All(Uri.IsHexDigit))
        {
            throw new FerryException($"'{prefix}' is not a tenant id: give at least 6 of its hex digits, as `ferry forget --to CONN` lists them", ExitCodes.Usage);
        }
        prefix = prefix.ToLowerInvariant();
        await using var connection = await engine.OpenAsync(Access.ReadWrite, cancellationToken);
        await using var transaction = await engine.BeginWriteAsync(connection, cancellationToken);
        var entries = await ListAsync(connection, transaction, prefix, cancellationToken);
        var tenants = entries.Select(e => e.Tenant).Distinct(StringComparer.Ordinal).ToList();
        if (tenants.Count == 0)
        {
            throw new FerryException($"the target's ledger holds no tenant {prefix}: `ferry forget --to CONN` lists the tenants it holds");
        }
        if (tenants.Count > 1)
        {
            throw new FerryException($"{prefix} names {tenants.Count} tenants in the target's ledger ({string.Join(", ", tenants.Select(t => t[..Ledger.ShortId]))}): give more of its digits", ExitCodes.Usage);
        }
        var d = engine.Dialect;
        foreach (var statement in d.LockForImport([Ledger.Imports, Ledger.Rows]))
        {
            await SqlRunner.ExecuteAsync(connection, transaction, statement, cancellationToken);
        }
        long rows = 0;
        var numbered = !Ledger.LacksTenantNumbers(await engine.ReadSchemaAsync(connection, transaction, cancellationToken));
        foreach (var statement in Ledger.Forget(d, numbered))
        {
            var deleted = await SqlRunner.ExecuteAsync(connection, transaction, statement, cancellationToken, [("tenant", tenants[0])]);
            rows = rows == 0 ? deleted : rows;
        }
        var dropped = await SqlRunner.CountAsync(connection, transaction, Ledger.CountImports(d), cancellationToken) == 0;
        // Where DDL commits (MariaDB), the tables are dropped only once the deletes are committed, and never in a dry run.
        if (dropped && d.TransactionalDdl)
        {
            foreach (var statement in Ledger.Drop(d))
            {
                await SqlRunner.ExecuteAsync(connection, transaction, statement, cancellationToken);
            }
        }
        if (dryRun)
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
            if (dropped && !d.TransactionalDdl)
            {
                foreach (var statement in Ledger.Drop(d))
                {
                    await SqlRunner.ExecuteAsync(connection, null, statement, cancellationToken);
                }
            }
        }
        return new ForgetReport(tenants[0], entries.Count, rows, dropped);
    }

    private async Task<IReadOnlyList<LedgerEntry>> ListAsync(
        System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string prefix, CancellationToken cancellationToken)
    {
        var schema = await engine.ReadSchemaAsync(connection, transaction, cancellationToken);
        if (schema.Find(Ledger.Imports) is null || schema.Find(Ledger.Rows) is null)
        {
            return [];
        }
        var rows = await SqlRunner.QueryTextAsync(connection, transaction, Ledger.ListImports(engine.Dialect, !Ledger.LacksTenantNumbers(schema)), cancellationToken, [("prefix", prefix)]);
        return rows.Select(r => new LedgerEntry(r[0]!, long.Parse(r[1]!, System.Globalization.CultureInfo.InvariantCulture), r[2]!, r[3]!, r[4]!, r[5]!,
            long.Parse(r[6]!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }
}
