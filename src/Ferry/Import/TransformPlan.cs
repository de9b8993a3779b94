using System.Text.RegularExpressions;
using Ferry.Archive;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>
/// What a profile's transforms make of an archive (pure): the manifest as the target sees it
/// (tables and columns renamed, dropped columns left out, filled columns added, keys and cycle
/// breaks renamed alike), the staging tables' columns, and the changes to make to the staged rows
/// in profile order. Every transform is checked against the archive and the target first.
/// </summary>
internal sealed partial class TransformPlan
{
    /// <summary>The manifest with the target's names: what the merge plan and SQL work from.</summary>
    public required Manifest View { get; init; }

    /// <summary>Per archive table, in manifest order: how it is read and staged.</summary>
    public required IReadOnlyList<StagedTable> Tables { get; init; }

    /// <summary>Changes to the staged rows, in profile order, naming columns as the staging tables do.</summary>
    public required IReadOnlyList<StageUpdate> Updates { get; init; }

    /// <summary>An archive imported as it is (no profile, or no transforms).</summary>
    public static TransformPlan None(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new TransformPlan
        {
            View = manifest,
            Tables = manifest.Tables.Select(t => new StagedTable(t, t.Columns, t.Columns)).ToList(),
            Updates = [],
        };
    }

    /// <summary>
    /// Checks the profile's transforms against the archive's manifest and the target schema and
    /// plans them. Every mistake is reported at once with its profile line, as one usage error.
    /// </summary>
    /// <exception cref="FerryException">One or more mistakes (exit code 2).</exception>
    public static TransformPlan Build(Manifest manifest, Profile? profile, DatabaseSchema target)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(target);
        if (profile is null || profile.Transforms.Count == 0)
        {
            return None(manifest);
        }
        var run = new Simulation(manifest, profile, target);
        run.Apply();
        return run.Plan();
    }

    /// <summary>The names of the <c>{table}</c> placeholders of a statement, each once.</summary>
    public static IEnumerable<string> Placeholders(string sql) =>
        PlaceholderPattern().Matches(sql).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_$]*)\}")]
    public static partial Regex PlaceholderPattern();
}

/// <summary>One archive table: the manifest table its rows are read by, and the staging columns.</summary>
/// <param name="Read">The archive's own table (its rows are read by it).</param>
/// <param name="Loaded">Its columns in archive order, renamed: what the bulk load writes, dropped columns included.</param>
/// <param name="Staged">The staging table's columns: <paramref name="Loaded"/>, then the columns transforms add.</param>
internal sealed record StagedTable(ManifestTable Read, IReadOnlyList<ManifestColumn> Loaded, IReadOnlyList<ManifestColumn> Staged);

/// <summary>A change to the staged rows of table <paramref name="Table"/> (manifest position; -1: none in particular).</summary>
internal abstract record StageUpdate(int Line, int Table);

/// <summary>Every staged row gets <paramref name="Value"/>, already in the column's archive type (null, long, double, bool or string).</summary>
internal sealed record SetUpdate(int Line, int Table, string Column, object? Value) : StageUpdate(Line, Table);

/// <summary>Values equal, as text, to a <c>From</c> become its <c>To</c> (in the column's archive type).</summary>
internal sealed record MapUpdate(int Line, int Table, string Column, IReadOnlyList<KeyValuePair<string, object?>> Values) : StageUpdate(Line, Table);

/// <summary>The added column gets the value of <paramref name="Expression"/> over the row's columns.</summary>
internal sealed record FillUpdate(int Line, int Table, string Column, string Expression) : StageUpdate(Line, Table);

/// <summary>A statement over the staging tables; <c>{name}</c> in <paramref name="Sql"/> stands for the staging table of <paramref name="Tables"/>[name].</summary>
internal sealed record SqlUpdate(int Line, string Sql, IReadOnlyDictionary<string, int> Tables) : StageUpdate(Line, -1);
