using Ferry.Archive;

namespace Ferry.Import;

// A table renamed, narrowed or widened by a profile's transforms: Archive (and everything the merge
// plan derives from it) has the target's names; Read is what the archive itself holds.
internal sealed partial class TableMerge
{
    private StagedTable? _staged;

    /// <summary>The archive's own table, that its rows are read by (the same as <see cref="Archive"/> without transforms).</summary>
    public ManifestTable Read => _staged?.Read ?? Archive;

    /// <summary>The columns the bulk load writes, in archive order with the target's names (dropped columns included).</summary>
    public IReadOnlyList<ManifestColumn> Loaded => _staged?.Loaded ?? Archive.Columns;

    /// <summary>The staging table's columns: <see cref="Loaded"/>, then the columns that transforms add.</summary>
    public IReadOnlyList<ManifestColumn> StageColumns => _staged?.Staged ?? Archive.Columns;

    /// <summary>The staging column of that name.</summary>
    public ManifestColumn StageColumn(string name) => StageColumns.First(c => c.Name == name);

    internal void UseStaging(StagedTable staged) => _staged = staged;
}

internal static partial class MergePlan
{
    /// <summary>
    /// <see cref="Build(Manifest, Schema.DatabaseSchema, IReadOnlyList{MatchRule}, Profiles.Profile?, Func{TableMerge, int?}?)"/> over the
    /// transformed manifest: the target's names, with each table still read as the archive has it.
    /// </summary>
    public static IReadOnlyList<TableMerge> Build(
        TransformPlan transforms, Schema.DatabaseSchema target, IReadOnlyList<MatchRule> match, Profiles.Profile? profile = null,
        Func<TableMerge, int?>? drawnKey = null)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        var merges = Build(transforms.View, target, match, profile, drawnKey);
        for (var i = 0; i < merges.Count; i++)
        {
            merges[i].UseStaging(transforms.Tables[i]);
        }
        CheckFreshTransforms(transforms, merges, profile);
        return merges;
    }
}
