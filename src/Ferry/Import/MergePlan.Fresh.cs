using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Import;

// Columns outside the primary key that the target feeds from a sequence or identity (an invoice number): they get
// fresh values from it like keys do, through a map of old → new values that references to them follow.
internal sealed partial class TableMerge
{
    /// <summary>
    /// Integer columns outside the primary key that a sequence or identity of the target feeds, and that get fresh
    /// values from it: one per distinct old value (NULL stays NULL), kept in a value map (<see cref="ValueMap"/>) that
    /// the references to the column follow. Not a reference, nor a column of the identity rule (the natural key
    /// rows are matched by keeps its value), nor a placeholder constant.
    /// </summary>
    public IReadOnlyList<string> Fresh { get; internal set; } = [];

    /// <summary>The value map of fresh column <paramref name="column"/>: <c>o</c> (old value) → <c>n</c> (new), <c>matched</c>.</summary>
    public string ValueMap(string column) => $"ferry_values_{Index}_{IndexOf(Fresh, column)}";

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item)
            {
                return i;
            }
        }
        throw new ArgumentException($"{item} is not a fresh column", nameof(item));
    }
}

internal static partial class MergePlan
{
    // The columns of a table outside its primary key that get fresh values (see TableMerge.Fresh).
    private static List<string> FreshColumns(ManifestTable table, Table target, IEnumerable<MatchRule> identities)
    {
        var references = table.ForeignKeys.SelectMany(f => f.Columns).ToHashSet(StringComparer.Ordinal);
        var kept = identities.Where(r => !r.Reuse).SelectMany(r => r.Columns.Concat(r.Placeholder.Keys)).ToHashSet(StringComparer.Ordinal);
        return table.Columns
            .Where(c => c.Type == FerryType.Int && !table.PrimaryKey.Contains(c.Name) && !references.Contains(c.Name) && !kept.Contains(c.Name)
                        && target.FindColumn(c.Name) is { Sequence: not null })
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>
    /// A key into fresh columns of <paramref name="parent"/>: each of its columns that references one follows that
    /// column's value map; the others are left to their own keys. Returns false when the key references no fresh
    /// column. Only a plain key can follow (the value map holds single values, not arrays, documents or typed keys).
    /// </summary>
    private static bool RemapToFresh(TableMerge merge, ManifestForeignKey key, TableMerge parent, List<string> problems)
    {
        var fresh = key.RefColumns.Where(parent.Fresh.Contains).ToList();
        if (fresh.Count == 0)
        {
            return false;
        }
        var where = $"{merge.Archive.Name}.{string.Join('+', key.Columns)} references {parent.Archive.Name}.{string.Join('+', key.RefColumns)}";
        var sequence = parent.Target.GetColumn(fresh[0]).Sequence;
        if (!key.IsPlain)
        {
            problems.Add($"{where} through a profile relation that holds its keys in {(key.Reference?.Kind is "array" ? "an array" : key.Reference?.Kind is "json" ? "a JSON document" : "a typed column")}, " +
                         $"and {parent.Archive.Name}.{fresh[0]} gets fresh values from the target's sequence {sequence}: only a plain reference can follow them");
            return true;
        }
        var allocated = parent.Allocated.Select(j => parent.Archive.PrimaryKey[j]).Where(key.RefColumns.Contains).ToList();
        if (allocated.Count > 0)
        {
            problems.Add($"{where}, and both {parent.Archive.Name}.{string.Join('+', allocated)} (fresh ids) and {parent.Archive.Name}.{fresh[0]} " +
                         $"(fresh values from the target's sequence {sequence}) change, so the references cannot follow them: reference the primary key instead");
            return true;
        }
        foreach (var (column, position) in key.Columns.Select((c, p) => (c, p)).Where(c => parent.Fresh.Contains(key.RefColumns[c.p])))
        {
            merge.Remapped.TryAdd(column, new Remap(key, parent, position, []) { Fresh = key.RefColumns[position] });
        }
        return true;
    }

    /// <summary>
    /// A profile transform that gives a fresh column its values (set, map or fill) is a mistake: the target's
    /// sequence gives that column its values, as it gives keys theirs, which transforms do not rewrite either.
    /// </summary>
    private static void CheckFreshTransforms(TransformPlan transforms, IReadOnlyList<TableMerge> merges, Profiles.Profile? profile)
    {
        var mistakes = new List<(int Line, string Message)>();
        foreach (var update in transforms.Updates)
        {
            var (verb, column) = update switch
            {
                SetUpdate set => ("set", set.Column),
                MapUpdate map => ("map", map.Column),
                FillUpdate fill => ("fill", fill.Column),
                _ => ("", ""),
            };
            if (update.Table >= 0 && update.Table < merges.Count && merges[update.Table] is var merge && merge.Fresh.Contains(column))
            {
                mistakes.Add((update.Line, $"cannot {verb} {merge.Archive.Name}.{column}: the target's sequence {merge.Target.GetColumn(column).Sequence} " +
                                           "gives it fresh values on import, and references to it follow them"));
            }
        }
        if (mistakes.Count > 0 && profile is not null)
        {
            var all = mistakes.OrderBy(m => m.Line).Select(m => $"{profile.Where(m.Line)}: {m.Message}").ToList();
            throw new FerryException(all.Count == 1 ? all[0] : $"{all.Count} mistakes in the profile: {string.Join("; ", all)}", ExitCodes.Usage);
        }
    }
}
