namespace Ferry.Import;

// The checks that run after the maps are built and before anything is written.
public sealed partial class Importer
{
    private static async Task CheckReferencesAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        var problems = new List<string>();
        foreach (var merge in merges)
        {
            foreach (var key in merge.Remapped.Values.Select(v => v.Key).Distinct())
            {
                var dangling = await run.Count(sql.CountDangling(merge, key.Columns[0]));
                if (dangling > 0)
                {
                    problems.Add($"{dangling} row(s) of {merge.Archive.Name} reference {key.RefTable} rows that are not in the archive ({merge.Archive.Name}.{string.Join('+', key.Columns)})");
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
    /// Gives the staged rows their new keys in polymorphic, array and JSON relations; returns per
    /// table how many keys inside arrays and documents had no row in the archive (dropped or nulled).
    /// </summary>
    private static async Task<Dictionary<string, long>> RewriteReferencesAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        var dropped = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var merge in merges)
        {
            foreach (var (key, parent) in merge.Rewrites)
            {
                if (key.Reference!.Kind != "column")
                {
                    dropped[merge.Archive.Name] = dropped.GetValueOrDefault(merge.Archive.Name) + await run.Count(sql.CountUnmappedElements(merge, key, parent));
                }
                await run.Execute(sql.RewriteReferences(merge, key, parent));
            }
        }
        return dropped;
    }

    private static async Task<(List<Conflict>, long)> FindConflictsAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        var conflicts = new List<Conflict>();
        long total = 0;
        foreach (var merge in merges)
        {
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            foreach (var key in merge.Target.Uniques.Where(u => u.Columns.All(written.Contains)))
            {
                // Fresh ids drawn past everything the generator handed out cannot collide, nor can a key that holds one.
                if (merge.Allocated.Any(j => key.Columns.Contains(merge.Archive.PrimaryKey[j])))
                {
                    continue;
                }
                // The examples come first: only when there are some is the full count worth a second pass.
                var existing = await run.Query(sql.ExistingConflicts(merge, key, ConflictExamples));
                if (existing.Count > 0)
                {
                    conflicts.AddRange(existing.Select(row => new Conflict(merge.Archive.Name, key.Name, key.Columns, row, "existing", 1)));
                    total += existing.Count < ConflictExamples ? existing.Count : await run.Count(sql.CountExistingConflicts(merge, key));
                }
                var duplicates = await run.Query(sql.DuplicateConflicts(merge, key, ConflictExamples));
                if (duplicates.Count > 0)
                {
                    conflicts.AddRange(duplicates.Select(row => new Conflict(merge.Archive.Name, key.Name, key.Columns, row[..^1],
                        "duplicate", long.Parse(row[^1]!, System.Globalization.CultureInfo.InvariantCulture))));
                    total += duplicates.Count < ConflictExamples ? duplicates.Count : await run.Count(sql.CountDuplicateConflicts(merge, key));
                }
            }
        }
        return (conflicts, total);
    }
}
