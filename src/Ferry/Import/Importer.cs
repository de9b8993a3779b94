using System.Data.Common;
using System.Diagnostics;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Reporting;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

/// <summary>
/// Imports an archive into a live target in one transaction: stage by bulk load, verify the
/// archive, map keys inside the target, check every unique constraint, then INSERT…SELECT table by
/// table. All or nothing; a dry run is the same path ending in rollback.
/// </summary>
public sealed partial class Importer(IDatabaseEngine engine, IProgressSink progress)
{
    private const int ConflictExamples = 20;

    /// <summary>
    /// Runs the import. Throws <see cref="ConflictException"/> (exit 3) with the full report when
    /// unique conflicts exist, <see cref="ArchiveException"/> for an unreadable or altered archive,
    /// <see cref="FerryException"/> for a target that does not fit; in every failure the target is unchanged.
    /// </summary>
    public async Task<ImportReport> ImportAsync(ImportOptions options, Stream input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (options.Update && options.NoLedger)
        {
            throw new FerryException("--update finds the rows of earlier imports through the target's ledger, which --no-ledger leaves alone; use one or the other", ExitCodes.Usage);
        }
        // The archive is opened first: a wrong password fails before the target is touched.
        await using var archive = await ArchiveReader.OpenAsync(input, options.Password, options.Reading ?? ArchiveReadOptions.Default, cancellationToken);
        var manifest = archive.Manifest;
        if (options.Sync && !options.Update)
        {
            throw new FerryException("--sync deletes what vanished at the source from a tenant imported before, so it goes with --update; add --update", ExitCodes.Usage);
        }
        if (manifest.Incremental is { } incremental && !options.Update)
        {
            throw new FerryException($"this archive is incremental (only the rows changed since {ArchiveFormat.Instant(incremental.Since)}, the others as their keys): " +
                                     "it updates a target that imported its base, so it goes with --update; add --update", ExitCodes.Usage);
        }
        if (options.Update && manifest.Files is { Count: > 0 })
        {
            // Files of rows updated in place would need their old files replaced: not built, so refused whole.
            throw new FerryException("--update: this archive carries files (format version 2), and updating a tenant's files in place is not built yet; " +
                                     "nothing was done. Import it without --update into a target that does not hold the tenant, or export it without files", ExitCodes.Usage);
        }
        await using var connection = await engine.OpenAsync(Access.ReadWrite, cancellationToken);
        await using var ledgerFirst = options.NoLedger ? null : await LedgerFirst.CreateAsync(engine, connection, cancellationToken);
        await UpgradeLedgerFirstAsync(connection, options, cancellationToken);
        await using var rewind = new GeneratorRewind(connection, engine.Dialect);
        await using var transaction = await engine.BeginWriteAsync(connection, cancellationToken);
        var schema = await engine.ReadSchemaAsync(connection, transaction, cancellationToken);
        await ImportProfile.CheckAsync(options, schema, engine.Dialect, connection, transaction, cancellationToken);
        await using var files = FileImport.Prepare(options, manifest);
        var transforms = TransformPlan.Build(manifest, options.Profile, schema);
        var sql = new MergeSql(engine.Dialect);
        var merges = MergePlan.Build(transforms, schema, MatchRules(options), options.Profile, sql.DrawnKey);
        NumberRows(transforms, merges, sql);
        DeferSelfReferences(merges, sql, engine.Dialect.ForeignKeyChecks is not null);
        var run = new Runner(connection, transaction, cancellationToken);
        var written = merges.Select(m => m.Target.Name).ToList();
        var exclusiveLock = options.Exclusive
            ? engine.Dialect.LockExclusive(written) ?? throw new FerryException(
                $"--exclusive is for PostgreSQL targets: {engine.Description} imports already hold the database's write lock and cannot take a foreign key off a table; leave the option out",
                ExitCodes.Usage)
            : null;
        var uncheckedWrites = UncheckedWrites(merges, options.Exclusive);
        var tenant = Ledger.TenantId(manifest);
        var recordLedger = !options.DryRun && !options.NoLedger;
        if (recordLedger)
        {
            await CheckLedgerPrivilegesAsync(schema, run);
        }
        var upgraded = await UpgradeLedgerAsync(schema, options, run);
        await CheckBaseAsync(manifest, schema, tenant, run);
        foreach (var merge in merges)
        {
            merge.Updating = options.Update && MergeSql.InLedger(merge);
            // The ledger's source digests are computed in Ferry while the rows are staged (docs/reimport.md).
            if ((recordLedger || options.Update) && MergeSql.InLedger(merge))
            {
                merge.StageDigests();
            }
        }

        var loaded = new long[merges.Count];
        var unchangedTenant = await UnchangedTenantAsync(options, manifest, transforms, schema, tenant, run);
        // A ledger upgraded in this transaction is not what a side connection would read.
        await using (var unchangedReads = await UnchangedReads.StartAsync(this, engine, transforms, merges, sql, unchangedTenant, sideReader: !upgraded, run))
        foreach (var (merge, i) in merges.Select((m, i) => (m, i)))
        {
            await run.Execute(sql.CreateStage(merge));
            var columns = merge.Loaded.Select(c => new StagingColumn(c.Name, c.Type, merge.Target.FindColumn(c.Name))).ToList();
            var unchanged = await unchangedReads.TakeAsync(i);
            using var task = progress.Start($"stage {merge.Archive.Name}", null);
            var rows = new ArchiveTableRows(archive, merge.Read, ValueChecks(transforms, i, merge, sql, columns), task, digest: merge.DigestColumn is not null, unchanged);
            if (merge.DigestColumn is { } digest)
            {
                columns.Add(new StagingColumn(digest, FerryType.Text, null));
            }
            merge.Staged = await engine.BulkLoadAsync(connection, transaction, merge.Stage, columns, rows, cancellationToken);
            merge.UnchangedRows = rows.Skipped;
            loaded[i] = merge.Staged + rows.Skipped;
            await MapUnchangedAsync(merge, unchanged, sql, run);
            if (engine.Dialect.AnalyzeTemp(merge.Stage) is { } analyze)
            {
                await run.Execute(analyze);
            }
            if (ArchiveFormat.HasKeys(manifest, merge.Read))
            {
                merge.KeyRows = await StageKeysAsync(archive, merge, sql, run);
            }
        }
        await files.ReceiveAsync(archive, progress, cancellationToken);
        // Everything is staged: the whole archive has been read, so its digests and integrity can be checked.
        var trailer = await archive.VerifyAsync(cancellationToken);
        foreach (var (merge, staged) in merges.Zip(loaded))
        {
            var expected = trailer.Tables.FirstOrDefault(t => t.Name == merge.Read.Name)?.Rows ?? 0;
            if (staged != expected)
            {
                throw new ArchiveException($"the archive is damaged or was altered: {merge.Read.Name} has {staged} rows, the trailer says {expected}");
            }
        }
        await files.RewriteStagingAsync(engine, connection, transaction, merges, cancellationToken);

        foreach (var statement in exclusiveLock ?? engine.Dialect.LockForImport(written))
        {
            await run.Execute(statement);
        }
        if (options.Update)
        {
            await OpenLedgerAsync(run);
        }
        // Read under the import's locks (the ledger's own under --update), so that an import of the same tenant that
        // committed meanwhile is seen: its rows are then found by the tenant's number.
        var (earlier, tenantNo) = options.NoLedger ? (0L, 0L) : await EarlierImportsAsync(schema, tenant, options.Update, run);
        // The mapping, the comparison and the ledger's own rewriting read the ledger by tenant, table and key. Just
        // after the import that wrote it, autovacuum has not analyzed it yet, and PostgreSQL's planner, without
        // statistics, looped over it: "record ledger" of an --update 55 s instead of 0.12 s for 27,601 rows.
        if ((options.Update || earlier > 0) && engine.Dialect.AnalyzeTable(Ledger.Rows) is { } analyzeLedger)
        {
            await run.Execute(analyzeLedger);
        }
        Dictionary<string, long> matched, dropped, renamed;
        Dictionary<string, IReadOnlyDictionary<string, long>> fresh;
        var ambiguous = new Ambiguity();
        using (var task = progress.Start("map keys", null))
        {
            await TransformAsync(transforms, merges, sql, run, options.Profile);
            await CheckTransformedValuesAsync(transforms, merges, run);
            await CheckStorableTextAsync(merges, run);
            matched = await MapKeysAsync(merges, sql, run, ambiguous, tenantNo, cancellationToken);
            await MapKeyRowsAsync(merges, sql, tenantNo, run);
            await CheckReferencesAsync(merges, sql, run);
            await CheckUndeclaredKeysAsync(merges, transforms, sql, run);
            dropped = await RewriteReferencesAsync(merges, sql, run);
            renamed = await RenameConflictsAsync(merges, sql, run);
            fresh = await CountFreshValuesAsync(merges, sql, run);
            await CheckConvertibleAsync(transforms, merges, sql, run);
            await CheckConstraintsAsync(merges, sql, options.Update, run);
            task.Increment(loaded.Sum());
        }

        var tables = merges.Select(m => new ImportedTable(
            m.Archive.Name,
            trailer.Tables.FirstOrDefault(t => t.Name == m.Read.Name)?.Rows ?? 0,
            0,
            matched.GetValueOrDefault(m.Archive.Name),
            (trailer.Tables.FirstOrDefault(t => t.Name == m.Read.Name)?.NulledReferences.Values.Sum() ?? 0)
            + dropped.GetValueOrDefault(m.Archive.Name))
        {
            Renamed = renamed.GetValueOrDefault(m.Archive.Name),
            FreshValues = fresh.GetValueOrDefault(m.Archive.Name) ?? ImportedTable.NoFreshValues,
        }).ToList();
        var compared = new Dictionary<string, Comparison>(StringComparer.Ordinal);
        var changed = (Examples: new List<Conflict>(), Count: 0L);
        var vanished = new Dictionary<string, Vanished>(StringComparer.Ordinal);
        var referenced = (Examples: new List<Conflict>(), Count: 0L);
        if (options.Update)
        {
            using var task = progress.Start("compare rows", null);
            (compared, changed.Examples, changed.Count) = await CompareAsync(merges, sql, tenantNo, options.Prefer, options.Sync, run);
            foreach (var (merge, i) in merges.Select((m, i) => (m, i)))
            {
                if (compared.TryGetValue(merge.Archive.Name, out var c))
                {
                    tables[i] = tables[i] with
                    {
                        Unchanged = c.Unchanged + (options.Prefer == Prefer.Target ? c.Conflict : 0),
                        Conflicting = c.Conflict,
                    };
                }
            }
            if (options.Sync)
            {
                var gone = await FindVanishedAsync(merges, sql, tenantNo, options.Prefer, run);
                vanished = gone.Tables;
                changed.Examples.AddRange(gone.Examples);
                changed.Count += gone.Count;
                referenced = await FindReferencesToVanishedAsync(schema, merges, vanished, sql, run);
                for (var i = 0; i < merges.Count; i++)
                {
                    if (vanished.TryGetValue(merges[i].Archive.Name, out var v))
                    {
                        tables[i] = tables[i] with { Deleted = v.Delete, Conflicting = tables[i].Conflicting + v.Changed };
                    }
                }
            }
        }
        // Rows an identity cannot tell where to map would be checked as new rows: they are the conflicts to show.
        if (ambiguous.Count > 0)
        {
            throw new ConflictException(Report("conflicts", tables, ambiguous.Examples, ambiguous.Count));
        }
        IReadOnlyList<Conflict> conflicts;
        long conflictCount;
        using (var task = progress.Start("check unique keys", null))
        {
            (conflicts, conflictCount) = await FindConflictsAsync(merges, sql, options.Update, run);
            task.Increment(loaded.Sum());
        }
        if (conflictCount + changed.Count + referenced.Count > 0)
        {
            throw new ConflictException(Report("conflicts", tables, [.. changed.Examples, .. referenced.Examples, .. conflicts], conflictCount + changed.Count + referenced.Count));
        }

        // A role that may switch a key's row-by-row check off around an insert does, and checks the rows written with
        // one query per key before the commit (none where the key maps prove the key). Under --exclusive too: taken off
        // and put back, such a key would check its whole table again.
        var switched = await SwitchableKeysAsync(merges, written, sql, run);
        // Keys are taken off before ids are drawn, so that a role that may not alter them fails before a sequence moves.
        var suspended = options.Exclusive
            ? await SuspendForeignKeysAsync(merges, [.. merges.SelectMany(m => m.DeferredKeys), .. switched.Values.SelectMany(k => k).Select(k => k.Key)], run)
            : [];

        // Only now, on the way to a commit, draw from sequences: a rollback would not give ids back.
        // A sequence left behind its table's ids (explicit inserts by the app) is moved past them first.
        if (!options.DryRun)
        {
            await RedrawAsync(merges, sql, engine.Dialect, options.Update, run);
        }
        // The new keys are final: derived file paths can be computed (and checked) before any row is written, but for
        // those made of ids the inserts draw (below).
        await files.PlaceDerivedAsync(engine, connection, transaction, merges, inserted: false, cancellationToken);
        var deferredKeys = merges.SelectMany(m => m.DeferredKeys).ToList();
        foreach (var statement in engine.Dialect.DeferConstraints(deferredKeys))
        {
            await run.Execute(statement);
        }
        foreach (var i in Enumerable.Range(0, merges.Count).OrderBy(i => merges[i].WritePosition))
        {
            using var task = progress.Start($"insert {merges[i].Archive.Name}", null);
            // The checks are off for this table's insert only (a failure ends the session with the import).
            var checks = merges[i].UncheckedKeys.Count > 0 ? uncheckedWrites : null;
            if (checks is { } off)
            {
                await run.Execute(off.Off);
            }
            var switches = switched.GetValueOrDefault(i) ?? [];
            foreach (var key in switches)
            {
                await run.Execute(key.Off);
            }
            // An --update that found no new row of this table (counted for the checks) does not read its stage again.
            var inserted = options.Update && merges[i].RowsToInsert == 0 ? 0
                : sql.DrawnKey(merges[i]) is { } drawn
                ? await InsertDrawingAsync(merges, merges[i], drawn, sql, run, engine.Dialect, rewind)
                : await run.Execute(sql.Insert(merges[i], provisional: options.DryRun));
            foreach (var key in switches)
            {
                await run.Execute(key.On);
            }
            if (checks is { } on)
            {
                await run.Execute(on.On);
            }
            task.Increment(inserted);
            tables[i] = tables[i] with { Inserted = inserted };
        }
        foreach (var merge in merges.Where(m => MergeSql.DeferredColumns(m).Count > 0))
        {
            await run.Execute(sql.UpdateDeferred(merge));
        }
        await files.PlaceDerivedAsync(engine, connection, transaction, merges, inserted: true, cancellationToken);
        // Existing rows are updated once every new row exists: a row moved to a new parent points at it.
        var updated = await UpdateRowsAsync(merges, sql, compared, options.Prefer, run);
        for (var i = 0; i < merges.Count; i++)
        {
            if (compared.TryGetValue(merges[i].Archive.Name, out var c))
            {
                tables[i] = tables[i] with { Updated = updated.GetValueOrDefault(merges[i].Archive.Name), Unchanged = c.Unchanged + (options.Prefer == Prefer.Target ? c.Conflict : 0) };
            }
        }
        // Vanished rows go last, children first: a row moved away from a vanished parent was rewritten above.
        var forgotten = 0L;
        if (options.Sync)
        {
            Dictionary<string, long> deleted;
            (deleted, forgotten) = await DeleteVanishedAsync(merges, vanished, sql, tenantNo, run, schema, uncheckedWrites);
            for (var i = 0; i < merges.Count; i++)
            {
                if (vanished.ContainsKey(merges[i].Archive.Name))
                {
                    tables[i] = tables[i] with { Deleted = deleted.GetValueOrDefault(merges[i].Archive.Name) };
                }
            }
        }
        await CheckBrokenKeysAsync(merges, sql, run, uncheckedWrites is not null);
        await CheckSwitchedKeysAsync(merges, switched, sql, run);
        if (suspended.Count > 0)
        {
            using var task = progress.Start("check foreign keys", null);
            foreach (var restore in suspended)
            {
                await run.Execute(restore);
            }
            task.Increment(tables.Sum(t => t.Inserted));
        }
        foreach (var statement in engine.Dialect.CheckDeferredConstraints(deferredKeys))
        {
            await run.Execute(statement);
        }
        // Key rows of an incremental archive stand for rows unchanged since its base: never written.
        for (var i = 0; i < merges.Count; i++)
        {
            tables[i] = tables[i] with { Unchanged = tables[i].Unchanged + merges[i].KeyRows };
        }
        var rowsWritten = tables.Sum(t => t.Inserted + t.Updated + t.Deleted);
        // The ledger is written last, in the same transaction: it records the rows as the target now holds them.
        var ledger = !recordLedger ? (Import: 0L, Rows: 0L) : await RecordLedgerAsync(manifest, merges, sql, tenant, tenantNo, earlier, options.Update, rowsWritten, forgotten, options.SourceDigestVersion, tables.Select(t => t.Inserted).ToList(), run);
        var nothing = options.Update && !options.DryRun && rowsWritten == 0 && ledger.Import == 0;
        // A PostgreSQL setval is not undone by a rollback: a dry run leaves generators alone.
        if (!options.DryRun && !nothing)
        {
            foreach (var statement in merges.SelectMany(m => engine.Dialect.SyncGenerators(m.Target)))
            {
                await run.Execute(statement);
            }
        }

        if (options.DryRun || (nothing && !upgraded))
        {
            await transaction.RollbackAsync(cancellationToken);
        }
        else
        {
            files.Publish();
            await transaction.CommitAsync(cancellationToken);
            ledgerFirst?.Keep();
            rewind.Keep();
            files.Keep();
        }
        return Report(options.DryRun ? "dry run" : nothing ? "unchanged" : "imported", tables, [], 0) with
        {
            Files = files.Count,
            FileBytes = files.Bytes,
            LedgerImport = ledger.Import,
            LedgerRows = ledger.Rows,
            LedgerEarlier = options.Update ? 0 : earlier,
        };

        ImportReport Report(string outcome, IReadOnlyList<ImportedTable> t, IReadOnlyList<Conflict> c, long count) =>
            new(engine.Description, manifest.Source.Database, $"{manifest.Root.Table} {string.Join(",", manifest.Root.Ids)}",
                options.DryRun, outcome, t, c, count, Math.Round(clock.Elapsed.TotalSeconds, 3))
            {
                Tenant = tenant,
                Update = options.Update,
                Sync = options.Sync,
                Prefer = options.Prefer == Prefer.None ? null : options.Prefer.ToString().ToLowerInvariant(),
            };
    }

    /// <summary>
    /// How each loaded column's values are checked against the target; none for a column a transform rewrites
    /// (its archive values need not fit: the transform's do, and the target checks those on insert). A column of keys
    /// in SQL array text (PostgreSQL's <c>{1,2}</c>) that the target holds as a JSON array is rewritten into JSON by
    /// SQL once the maps exist: its values are checked as the JSON arrays they become, not as JSON documents.
    /// </summary>
    private IReadOnlyList<ValueCheck?> ValueChecks(TransformPlan transforms, int table, TableMerge merge, MergeSql sql, IReadOnlyList<StagingColumn> columns)
    {
        var rewritten = RewrittenColumns(transforms, table);
        var sqlArrays = merge.Rewrites
            .Where(r => r.Key.Reference!.Kind == "array" && !sql.ByDocument(merge, r.Key)
                        && r.Key.Reference.Form(merge.ArchiveColumn(r.Key.Columns[0])) == ArrayForm.Sql
                        && merge.Target.FindColumn(r.Key.Columns[0]) is { } target && engine.Dialect.FormOf(target) == ArrayForm.Json)
            .Select(r => r.Key.Columns[0])
            .ToHashSet(StringComparer.Ordinal);
        return columns.Select(c => rewritten is null || rewritten.Contains(c.Name) ? null
            : sqlArrays.Contains(c.Name) ? ValueCheck.ForSqlArray(c.Target!)
            : ValueCheck.For(c.Type, c.Target)).ToList();
    }

    /// <summary>The staging columns of table <paramref name="table"/> that transforms rewrite; null when a <c>sql</c> transform may rewrite any.</summary>
    private static HashSet<string>? RewrittenColumns(TransformPlan transforms, int table)
    {
        var updates = transforms.Updates.Where(u => u.Table == table || (u is SqlUpdate sql && sql.Tables.Values.Contains(table))).ToList();
        return updates.Any(u => u is SqlUpdate)
            ? null
            : updates.Select(u => u switch
            {
                SetUpdate set => set.Column,
                MapUpdate map => map.Column,
                FillUpdate fill => fill.Column,
                _ => "",
            }).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// <c>--exclusive</c>: takes off the foreign keys of the tables written that the engine can put back exactly as
    /// they were (not <paramref name="keep"/>: the deferred ones the import relies on, and those it switches off around
    /// each insert instead), so that the inserts do not check them row by row;
    /// returns the statements that put them back, each of which checks its whole table. A target whose keys this
    /// role may not alter (it does not own the table) is an error before anything is written.
    /// </summary>
    private async Task<List<string>> SuspendForeignKeysAsync(IReadOnlyList<TableMerge> merges, IReadOnlyList<ForeignKey> keep, Runner run)
    {
        var kept = keep.Select(k => (k.Table, k.Name)).ToHashSet();
        var suspended = merges.SelectMany(m => m.Target.ForeignKeys)
            .Where(k => !kept.Contains((k.Table, k.Name)))
            .DistinctBy(k => (k.Table, k.Name))
            .Select(k => engine.Dialect.SuspendForeignKey(k))
            .OfType<(string Drop, string Restore)>()
            .ToList();
        foreach (var (drop, _) in suspended)
        {
            try
            {
                await run.Execute(drop);
            }
            catch (FerryException e)
            {
                throw new FerryException($"--exclusive takes the target's foreign keys off during the inserts, and could not: {e.Message}; import without --exclusive, or as the tables' owner", e.ExitCode, e);
            }
        }
        return suspended.Select(s => s.Restore).ToList();
    }

    /// <summary>The import's session and transaction, that its steps run their statements on.</summary>
    internal sealed class Runner(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        public DbConnection Connection => connection;

        public DbTransaction Transaction => transaction;

        public CancellationToken CancellationToken => cancellationToken;

        public Task<int> Execute(string sql) => SqlRunner.ExecuteAsync(connection, transaction, sql, cancellationToken);

        public Task<long> Count(string sql) => SqlRunner.CountAsync(connection, transaction, sql, cancellationToken);

        public Task<List<string?[]>> Query(string sql) => SqlRunner.QueryTextAsync(connection, transaction, sql, cancellationToken);
    }
}
