using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>A conflict rule with <c>rename</c>: incoming rows colliding on <paramref name="Key"/> get <paramref name="Pattern"/> in <paramref name="Column"/>.</summary>
/// <param name="Column">The one column of the key that is neither the primary key nor a reference: the one renamed.</param>
/// <param name="Pattern">The new value, <c>{value}</c> standing for the old one.</param>
/// <param name="Origin">Where the rule comes from, for messages.</param>
internal sealed record ConflictRename(UniqueKey Key, string Column, string Pattern, string Origin);

// The profile's identity and conflict rules, turned into per-table matching, skipping and renaming.
internal static partial class MergePlan
{
    private static IEnumerable<string> ApplyConflictRules(IReadOnlyList<TableMerge> merges, Profile? profile)
    {
        foreach (var rule in (profile?.Conflicts ?? []).Where(c => c.Action != ConflictAction.Fail))
        {
            var merge = merges.FirstOrDefault(m => m.Target.Name == rule.Table);
            if (merge is null)
            {
                continue; // The archive has no rows of that table: nothing can collide.
            }
            var origin = $"conflicts rule for {rule.Table} ({profile!.Where(rule.Line)})";
            var key = rule.Constraint is { } name
                ? merge.Target.Uniques.First(u => u.Name == name)
                : merge.Target.Uniques.First(u => u.Columns.Order(StringComparer.Ordinal).SequenceEqual(rule.Columns.Order(StringComparer.Ordinal)));
            if (key.Columns.FirstOrDefault(c => merge.Archive.Columns.All(a => a.Name != c)) is { } absent)
            {
                yield return $"{origin}: the archive has no column {rule.Table}.{absent}";
                continue;
            }
            if (key.Columns.FirstOrDefault(merge.Fresh.Contains) is { } fresh)
            {
                // Its incoming values are drawn anew, so they never collide: the rule could never apply.
                yield return $"{origin}: {rule.Table}.{fresh} gets fresh values from the target's sequence {merge.Target.GetColumn(fresh).Sequence}, " +
                             $"so the key ({string.Join(", ", key.Columns)}) never collides; remove the rule, or, if equal values mean the same row " +
                             "on both instances, match the table by it (an identity or --match), which keeps its values";
                continue;
            }
            if (rule.Action == ConflictAction.Reuse)
            {
                if (merge.Archive.PrimaryKey.Count == 1)
                {
                    merge.Matches.Add(new MatchRule(merge.Archive.Name, key.Columns) { Reuse = true, Origin = origin });
                }
                else if (key.IsPrimaryKey || !merges.Any(m => m.Archive.ForeignKeys.Any(f => f.RefTable == merge.Archive.Name)))
                {
                    merge.Skips.Add(key);
                }
                else
                {
                    yield return $"{origin}: {rule.Table} has no single-column primary key and other tables point at it, so its rows cannot be mapped to existing ones";
                }
                continue;
            }
            var keyColumns = merge.Archive.PrimaryKey.ToHashSet(StringComparer.Ordinal);
            var references = merge.Archive.ForeignKeys.SelectMany(f => f.Columns).ToHashSet(StringComparer.Ordinal);
            var renamable = key.Columns.Where(c => !keyColumns.Contains(c) && !references.Contains(c)).ToList();
            if (renamable.Count != 1 || merge.ArchiveColumn(renamable[0]).Type != FerryType.Text)
            {
                yield return $"{origin}: rename needs exactly one text column in the key ({string.Join(", ", key.Columns)}) " +
                             "that is neither the primary key nor a reference";
                continue;
            }
            merge.Renames.Add(new ConflictRename(key, renamable[0], rule.Pattern ?? "{value}", origin));
        }
    }

    // Matching on a reference compares remapped values, and a key map holds the new values of the key's
    // references: the parent's map must be built first.
    private static IEnumerable<string> CheckMatchOrder(IReadOnlyList<TableMerge> merges)
    {
        foreach (var merge in merges)
        {
            foreach (var column in merge.HasMap ? merge.Archive.PrimaryKey.Where(merge.Remapped.ContainsKey) : [])
            {
                if (merge.Remapped[column].Parent.Index >= merge.Index)
                {
                    yield return $"{merge.Archive.Name}.{column} is part of its primary key and points at {merge.Remapped[column].Parent.Archive.Name}, " +
                                 "which is loaded later, so the new keys of its rows cannot be known when they are mapped";
                }
            }
            foreach (var rule in merge.Matches.Where(r => r.Through is null))
            {
                foreach (var column in rule.Columns.Where(merge.Remapped.ContainsKey))
                {
                    if (merge.Remapped[column].Parent.Index >= merge.Index)
                    {
                        yield return $"{rule.Origin}: {merge.Archive.Name}.{column} points at {merge.Remapped[column].Parent.Archive.Name}, " +
                                     "which is loaded later, so it cannot be part of the key rows are matched by";
                    }
                }
            }
        }
    }

    private static IEnumerable<string> CheckPlaceholders(IReadOnlyList<TableMerge> merges)
    {
        foreach (var merge in merges.Where(m => m.Placeholders))
        {
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            var unfilled = merge.Target.Columns.Where(c => !c.CanBeOmitted && !written.Contains(c.Name)).Select(c => c.Name).ToList();
            if (unfilled.Count > 0)
            {
                yield return $"{merge.Match!.Origin}: placeholder rows of {merge.Archive.Name} need a value for " +
                             $"{string.Join(", ", unfilled)} (NOT NULL without a default): add it to placeholder";
            }
        }
    }
}
