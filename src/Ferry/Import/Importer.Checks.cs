namespace Ferry.Import;

// The checks that run after the maps are built and before anything is written.
public sealed partial class Importer
{
    private static async Task CheckReferencesAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        var problems = new List<string>();
        foreach (var merge in merges)
        {
            foreach (var key in merge.Remapped.Values.Where(v => v.Fresh is null).Select(v => v.Key).Distinct())
            {
                var dangling = await run.Count(sql.CountDangling(merge, key.Columns[0]));
                if (dangling > 0)
                {
                    problems.Add($"{dangling} row(s) of {merge.Archive.Name} reference {key.RefTable} rows that are not in the archive ({merge.Archive.Name}.{string.Join('+', key.Columns)})");
                }
            }
            foreach (var (column, remap) in merge.Remapped.Where(r => r.Value.Fresh is not null))
            {
                var dangling = await run.Count(sql.CountDangling(merge, column));
                if (dangling > 0)
                {
                    problems.Add($"{dangling} row(s) of {merge.Archive.Name} reference {remap.Parent.Archive.Name} rows that are not in the archive " +
                                 $"({merge.Archive.Name}.{column} → {remap.Parent.Archive.Name}.{remap.Fresh})");
                }
            }
            foreach (var (key, parent) in merge.Rewrites.Where(r => r.Key.Reference!.Kind == "column"))
            {
                var dangling = await run.Count(sql.CountDanglingPolymorphic(merge, key, parent));
                if (dangling > 0)
                {
                    problems.Add($"{dangling} row(s) of {merge.Archive.Name} reference {key.RefTable} rows that are not in the archive " +
                                 $"({merge.Archive.Name}.{key.Columns[0]} where {key.Reference!.TypeColumn} = '{key.Reference.TypeValue}')");
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new ArchiveException($"the archive is inconsistent: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// Every foreign key that the target declares on the columns an import writes must be one the archive
    /// remaps: one the manifest declares too when the parent is in the archive, else one whose values the
    /// export cut to NULL. An archive that leaves a key out would otherwise have its values copied as they
    /// are, and link its rows to whatever target rows hold those ids (another tenant's group). Columns that
    /// a transform rewrites are the operator's own values and are left alone.
    /// </summary>
    private static async Task CheckUndeclaredKeysAsync(IReadOnlyList<TableMerge> merges, TransformPlan transforms, MergeSql sql, Runner run)
    {
        var byTarget = merges.ToDictionary(m => m.Target.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (merge, i) in merges.Select((m, i) => (m, i)))
        {
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            var rewritten = RewrittenColumns(transforms, i);
            bool Constant(string column) => (rewritten?.Contains(column) ?? true) || (merge.Placeholders && merge.Match!.Placeholder.ContainsKey(column));
            foreach (var key in merge.Target.ForeignKeys.Where(k => k.Columns.All(written.Contains) && !k.Columns.Any(Constant)))
            {
                var name = $"{merge.Target.Name}.{string.Join('+', key.Columns)} → {key.RefTable}";
                if (byTarget.ContainsKey(key.RefTable))
                {
                    if (!merge.Archive.ForeignKeys.Any(f => f.RefTable == key.RefTable && f.Columns.SequenceEqual(key.Columns)))
                    {
                        problems.Add($"the target's foreign key {name} is not declared in the archive, so its values would be copied without being remapped");
                    }
                }
                else if (await run.Count(sql.CountNotNull(merge, key.Columns)) is var rows and > 0)
                {
                    problems.Add($"{rows:N0} row(s) of {merge.Archive.Name} hold a {name} value, but the archive holds no {key.RefTable} rows: " +
                                 $"they would point at whatever target rows have those ids");
                }
            }
        }
        if (problems.Count > 0)
        {
            throw new ArchiveException($"the archive does not say how to remap every reference: {string.Join("; ", problems)}");
        }
    }

    /// <summary>
    /// Gives the staged rows their new keys in polymorphic, array and JSON relations; returns per
    /// table how many keys inside arrays and documents had no row in the archive (dropped or nulled).
    /// </summary>
    private async Task<Dictionary<string, long>> RewriteReferencesAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var merge in merges)
        {
            foreach (var (key, parent) in merge.Rewrites.Where(r => !sql.ByDocument(merge, r.Key)))
            {
                if (key.Reference!.Kind != "column")
                {
                    dropped[merge.Archive.Name] = dropped.GetValueOrDefault(merge.Archive.Name) + await run.Count(sql.CountUnmappedElements(merge, key, parent));
                }
                await run.Execute(sql.RewriteReferences(merge, key, parent));
            }
            var documents = merge.Rewrites.Where(r => sql.ByDocument(merge, r.Key)).GroupBy(r => r.Key.Columns[0], StringComparer.Ordinal).ToList();
            if (documents.Count > 0)
            {
                await run.Execute(sql.CreateDocuments(merge));
            }
            foreach (var column in documents)
            {
                dropped[merge.Archive.Name] = dropped.GetValueOrDefault(merge.Archive.Name) + await RewriteDocumentsAsync(merge, column.Key, column.ToList(), sql, run);
            }
        }
        return dropped;
    }

    /// <summary>Under <c>--update</c>: the rows <paramref name="merge"/>'s insert will write, counted once (<see cref="TableMerge.RowsToInsert"/>).</summary>
    private static async Task<long> CountInsertedAsync(TableMerge merge, MergeSql sql, Runner run) =>
        merge.RowsToInsert ??= await run.Count(sql.CountInserted(merge));

    private async Task<(List<Conflict>, long)> FindConflictsAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, bool update, Runner run)
    {
        var conflicts = new List<Conflict>();
        long total = 0;
        // The foreign keys the target has enforced on every row it holds (MergeSql.HoldsFreshParent).
        var enforced = engine.Dialect.EnforcedForeignKeys(merges.Select(m => m.Target.Name).Distinct(StringComparer.Ordinal).ToList()) is { } query
            ? (await run.Query(query)).Select(r => (r[0]!, r[1]!)).ToHashSet()
            : [];
        foreach (var merge in merges)
        {
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            var keys = merge.Target.Uniques.Where(u => u.Columns.All(written.Contains)).ToList();
            // Under --update most tables insert nothing and update nothing: their checks would read every staged row to
            // find no incoming row at all. Counting the rows to insert (and to update) first costs one read.
            var inserts = keys.Count > 0 && (!update || await CountInsertedAsync(merge, sql, run) > 0);
            var updates = keys.Count > 0 && merge.Compared && await run.Count(sql.CountToUpdate(merge)) > 0;
            foreach (var key in keys)
            {
                // Rows an --update rewrites: their new values against every other row, before anything is written.
                if (updates && MergeSql.UpdateChecks(merge, key) && await run.Query(sql.UpdatedConflicts(merge, key, ConflictExamples)) is { Count: > 0 } updated)
                {
                    conflicts.AddRange(updated.Select(row => new Conflict(merge.Archive.Name, key.Name, key.Columns, row, "updated", 1)));
                    total += updated.Count < ConflictExamples ? updated.Count : await run.Count(sql.UpdatedConflicts(merge, key, null));
                }
                // Fresh ids drawn past everything the generator handed out cannot collide, nor can a key that holds one.
                if (!inserts || merge.Allocated.Any(j => key.Columns.Contains(merge.Archive.PrimaryKey[j])))
                {
                    continue;
                }
                // Fresh values outside the key are drawn per old value: they cannot exist in the target, unless the old
                // value was shared with a matched row (then it is that row's), but several rows may share one.
                var onlyFresh = key.Columns.Any(merge.Fresh.Contains) && merge.Matches.Count == 0 && merge.Skips.Count == 0;
                // Nor can a key that holds a new parent's fresh id through a key the target enforces: no row of the target
                // points at that id (a membership of the new group: 0.15 s, a participant of the new activities: 0.32 s
                // for 217,390 rows at N=1M on PostgreSQL). Two incoming rows can still collide: the duplicates are checked.
                // The examples come first: only when there are some is the full count worth a second pass.
                if (!onlyFresh && !sql.HoldsFreshParent(merge, key.Columns, enforced))
                {
                    await CollectAsync(merge, key.Name, key.Columns, "existing", sql.ExistingConflicts(merge, key, ConflictExamples), () => sql.CountExistingConflicts(merge, key));
                }
                await CollectAsync(merge, key.Name, key.Columns, "duplicate", sql.DuplicateConflicts(merge, key, ConflictExamples), () => sql.CountDuplicateConflicts(merge, key));
            }
            // The target's partial and expression unique indexes, among the rows their predicates select, for the rows this
            // import inserts (an --update's rewritten rows are left to the index itself, as is an index over a column left
            // to its default). As above, a key with a column of fresh ids drawn past everything the generator handed out
            // cannot collide.
            var computed = sql.ComputedKeys(merge)
                .Where(k => MergeSql.Checkable(merge, k) && !merge.Allocated.Any(j => k.Columns.Contains(merge.Archive.PrimaryKey[j])))
                .ToList();
            if (computed.Count > 0 && (!update || await CountInsertedAsync(merge, sql, run) > 0))
            {
                foreach (var key in computed)
                {
                    await CollectAsync(merge, key.Name, key.Shown, "existing", sql.ExistingComputedConflicts(merge, key, ConflictExamples), () => sql.ExistingComputedConflicts(merge, key, null));
                    await CollectAsync(merge, key.Name, key.Shown, "duplicate", sql.DuplicateComputedConflicts(merge, key, ConflictExamples), () => sql.DuplicateComputedConflicts(merge, key, null));
                }
            }
        }
        return (conflicts, total);

        // Up to ConflictExamples conflicts of one kind (a duplicate's row ends with how many incoming rows share it), and
        // their count, read by a second query only when the examples filled the limit.
        async Task CollectAsync(TableMerge merge, string key, IReadOnlyList<string> columns, string kind, string examples, Func<string> count)
        {
            var rows = await run.Query(examples);
            if (rows.Count == 0)
            {
                return;
            }
            conflicts.AddRange(rows.Select(row => kind == "duplicate"
                ? new Conflict(merge.Archive.Name, key, columns, row[..^1], kind, long.Parse(row[^1]!, System.Globalization.CultureInfo.InvariantCulture))
                : new Conflict(merge.Archive.Name, key, columns, row, kind, 1)));
            total += rows.Count < ConflictExamples ? rows.Count : await run.Count(count());
        }
    }
}
