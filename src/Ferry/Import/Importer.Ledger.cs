using System.Data.Common;
using System.Globalization;
using Ferry.Archive;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// How many earlier imports of this tenant the target's ledger records (0 when it has no ledger yet), and the
    /// tenant's number there (<see cref="Ledger.TenantNumber"/>; 0 when it has none yet). Imported again without
    /// <c>--update</c> the tenant's rows are written as new rows beside the earlier ones (a profile's <c>reuse</c> rules
    /// may merge some into them), and the ledger then maps each source row to its newest copy.
    /// </summary>
    private async Task<(long Count, long Number)> EarlierImportsAsync(DatabaseSchema schema, string tenant, bool opened, Runner run)
    {
        // An --update opened the ledger (created where missing) before this.
        if (schema.Find(Ledger.Imports) is null && !opened)
        {
            return (0, 0);
        }
        var row = (await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, Ledger.ImportsOf(engine.Dialect), run.CancellationToken, [("tenant", tenant)])).Single();
        return (long.Parse(row[0]!, CultureInfo.InvariantCulture), long.Parse(row[1]!, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Brings a ledger written by an earlier Ferry to this one's layout (<see cref="Ledger.Upgrade"/>): where DDL commits
    /// (MariaDB), before the import's transaction starts, so that the import can read and record it.
    /// </summary>
    private async Task UpgradeLedgerFirstAsync(DbConnection connection, ImportOptions options, CancellationToken cancellationToken)
    {
        if (engine.Dialect.TransactionalDdl || options.NoLedger)
        {
            return;
        }
        var schema = await engine.ReadSchemaAsync(connection, null, cancellationToken);
        foreach (var statement in Ledger.Upgrade(engine.Dialect, schema))
        {
            await SqlRunner.ExecuteAsync(connection, null, statement, cancellationToken);
        }
    }

    /// <summary>
    /// The same, inside the import's transaction, where DDL is transactional (a rollback undoes it); true when the
    /// ledger was upgraded, which an <c>--update</c> that writes nothing else then commits (the upgrade is done once).
    /// </summary>
    private async Task<bool> UpgradeLedgerAsync(DatabaseSchema schema, ImportOptions options, Runner run)
    {
        if (!engine.Dialect.TransactionalDdl || options.NoLedger)
        {
            return false;
        }
        var statements = Ledger.Upgrade(engine.Dialect, schema);
        foreach (var statement in statements)
        {
            await run.Execute(statement);
        }
        return statements.Count > 0;
    }

    /// <summary>
    /// Fails before anything is written when this session could not write the ledger at the end: a role that may
    /// insert into the app's tables but not create tables in its schema (PostgreSQL 15 no longer lets every role
    /// create in <c>public</c>) would otherwise stage, check and insert everything and then roll it all back.
    /// </summary>
    private async Task CheckLedgerPrivilegesAsync(DatabaseSchema schema, Runner run)
    {
        string[] tables = [Ledger.Imports, Ledger.Rows];
        // A ledger of an earlier Ferry is rewritten first (Ledger.Upgrade), which creates a table as a new ledger does.
        var exist = tables.All(t => schema.Find(t) is not null) && !Ledger.LacksTenantNumbers(schema);
        if (engine.Dialect.MissingPrivilege(tables, exist) is not { } query)
        {
            return;
        }
        var missing = await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, query, run.CancellationToken);
        if (missing is [[{ } what]])
        {
            throw new FerryException(
                $"every import is recorded in the target's ledger ({Ledger.Imports}, {Ledger.Rows}; docs/reimport.md), and this role may not {what}; " +
                "nothing was written. Grant it that (or import once as the schema's owner, which creates the ledger), or add --no-ledger: the import is then not recorded, and a later --update cannot find its rows");
        }
    }

    /// <summary>
    /// Writes the ledger, inside the import's transaction once every row is written: creates its tables on first
    /// use, then per table the rows inserted (source key, target key, digests), under <c>--update</c> the new digests
    /// of the rows updated or kept, and records the import. An <c>--update</c> that wrote no row and changed no ledger
    /// row records nothing. Returns the import's number in the ledger (0 when not recorded) and the ledger rows written.
    /// </summary>
    private async Task<(long Import, long Rows)> RecordLedgerAsync(
        Manifest manifest, IReadOnlyList<TableMerge> merges, MergeSql sql, string tenant, long tenantNo, long earlier, bool update, long written, long forgotten, int sourceDigestVersion, IReadOnlyList<long> inserted, Runner run)
    {
        using var task = progress.Start("record ledger", null);
        var d = engine.Dialect;
        await OpenLedgerAsync(run);
        var number = await run.Count(Ledger.NextImport(d));
        // A tenant's first import gives it its number (Ledger.TenantNumber).
        tenantNo = earlier > 0 ? tenantNo : number;
        // Ledger rows of vanished rows already removed (--sync) are changes of the ledger too.
        long rows = forgotten;
        foreach (var (merge, i) in merges.Select((m, i) => (m, i)).Where(m => MergeSql.InLedger(m.m)))
        {
            if (MergeSql.UpdatesRows(merge))
            {
                rows += await ExecuteLedgerAsync(sql.UpdateLedgerRows(merge), merge, tenantNo, number, run);
                rows += await ExecuteLedgerAsync(sql.RecordUnrecordedRows(merge), merge, tenantNo, number, run);
            }
            // A table that inserted no row has none to record, but for an identity's table (rows matched by their natural key).
            if (inserted[i] == 0 && merge.Matches.Count == 0)
            {
                continue;
            }
            // Only a tenant imported before can have ledger rows of earlier copies to replace.
            if (earlier > 0)
            {
                await ExecuteLedgerAsync(sql.ForgetReplacedRows(merge), merge, tenantNo, number, run);
            }
            rows += await ExecuteLedgerAsync(sql.RecordRows(merge, sourceDigestVersion), merge, tenantNo, number, run);
        }
        if (update && written == 0 && rows == 0)
        {
            task.Increment(rows);
            return (0, 0);
        }
        // The import is recorded: rows of a ledger written before version 2 of the source digests, found unchanged, take
        // their new digest now (an --update that changes nothing writes nothing, and compares them the old way again).
        foreach (var merge in merges.Where(m => m.Compared))
        {
            rows += await ExecuteLedgerAsync(sql.UpgradeLedgerRows(merge), merge, tenantNo, number, run);
        }
        task.Increment(rows);
        await SqlRunner.ExecuteAsync(run.Connection, run.Transaction, Ledger.RecordImport(d), run.CancellationToken,
        [
            ("no", number),
            ("tenant", tenant),
            ("source", Ledger.SourceOf(manifest)),
            ("root_table", manifest.Root.Table),
            ("root_keys", Ledger.RootKeys(manifest)),
            ("exported_at", manifest.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("imported_at", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            ("tool", $"ferry {typeof(Importer).Assembly.GetName().Version?.ToString(3)}"),
            ("export_id", manifest.ExportId),
            ("complete_before", manifest.CompleteBefore is { } complete ? ArchiveFormat.Instant(complete) : null),
        ]);
        return (number, rows);
    }
}
