using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Export;

/// <summary>
/// What both export and plan ask of the source: the root, its ids, exclusions and follows, and the
/// profile that adds to them. One place turns it into a <see cref="PlanRequest"/>, so that plan shows
/// exactly the scope export computes.
/// </summary>
/// <param name="RootTable">The root table; null or empty: the profile's root.</param>
/// <param name="Ids">Root keys as the user typed them.</param>
/// <param name="Exclude">Tables never exported (command line).</param>
/// <param name="Follow">Nullable foreign keys to follow (command line).</param>
/// <param name="Profile">The application profile, or null.</param>
/// <param name="FileStores">The file stores' directories (export); checked only when <paramref name="ReadsFiles"/>.</param>
/// <param name="ReadsFiles">True for an export, which reads the stores' files; a plan does not.</param>
internal sealed record ScopeRequest(
    string? RootTable,
    IReadOnlyList<string> Ids,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<(string Table, string Column)> Follow,
    Profile? Profile,
    IReadOnlyDictionary<string, string>? FileStores = null,
    bool ReadsFiles = false)
{
    /// <summary>The request of an export.</summary>
    public static ScopeRequest For(ExportOptions options) =>
        new(options.RootTable, options.Ids, options.Exclude, options.Follow, options.Profile, options.FileStores, ReadsFiles: true);

    /// <summary>The request of a plan.</summary>
    public static ScopeRequest For(PlanOptions options) =>
        new(options.RootTable, options.Ids, options.Exclude, options.Follow, options.Profile);

    /// <summary>Every follow: the command line's, the profile's, and the profile relations that own rows.</summary>
    public IReadOnlyList<(string Table, string Column)> AllFollows =>
        Follow.Concat(Profile?.Follow.Select(r => (r.Table, r.Column)) ?? [])
            .Concat(Profile is null ? [] : ProfileRelations.Follows(Profile))
            .Distinct().ToList();

    /// <summary>
    /// The source schema as the profile sees it: checked against the profile (every mistake at once),
    /// with the profile's relations added as foreign keys. Without a profile, <paramref name="schema"/>.
    /// </summary>
    public DatabaseSchema Apply(DatabaseSchema schema)
    {
        if (Profile is null)
        {
            return schema;
        }
        ProfileCheck.AgainstSource(Profile, schema, FileStores, checkStores: ReadsFiles);
        return ProfileRelations.Apply(schema, Profile);
    }

    /// <summary>The root table: the command line's (<c>--root TABLE</c> or <c>--root TABLE.COLUMN</c>), else the profile's.</summary>
    /// <exception cref="FerryException">Neither names one (usage).</exception>
    public string Root =>
        !string.IsNullOrEmpty(RootTable) ? RootTable.Split('.', 2)[0]
        : Profile?.Root?.Table ?? throw new FerryException("--root is required unless the profile names a root", ExitCodes.Usage);

    /// <summary>
    /// The column root rows are selected by, when one is named: <c>--root TABLE.COLUMN</c>, else the
    /// profile's <c>root: {table, key}</c> when it is the same table; null: the primary key.
    /// </summary>
    public string? RootKey =>
        !string.IsNullOrEmpty(RootTable) && RootTable.Split('.', 2) is [_, var column] ? column
        : Profile?.Root is { Key: { } key } root && root.Table == Root ? key
        : null;

    /// <summary>The planner's request: command-line exclusions and follows plus the profile's, its ignores and <c>complete</c>.</summary>
    public PlanRequest ToPlanRequest(DatabaseSchema schema)
    {
        var exclude = Exclude.Concat(Profile?.Exclude.Select(r => r.Table) ?? []).Distinct(StringComparer.Ordinal).ToList();
        var follow = AllFollows;
        var ignore = Profile?.Ignore.Select(r => r.Table).Distinct(StringComparer.Ordinal).ToList();
        var shared = Profile?.Shared.Select(r => r.Table).Distinct(StringComparer.Ordinal).ToList();
        var ownedReferences = Profile is null ? null : ProfileRelations.OwnedReferences(Profile).Distinct().ToList();
        return new PlanRequest(schema, Root, exclude, follow, ignore, Profile?.Complete ?? false, shared, ownedReferences);
    }
}
