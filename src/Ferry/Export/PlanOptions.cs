namespace Ferry.Export;

/// <summary>Everything <c>ferry plan</c> needs: an export's options without an archive.</summary>
/// <param name="Source">The source connection string (<c>sqlite:PATH</c>, <c>postgres://…</c>).</param>
/// <param name="RootTable">The table holding the root rows; null: the profile's root.</param>
/// <param name="Ids">Root keys as the user typed them (single-column primary key).</param>
/// <param name="Exclude">Tables never exported.</param>
/// <param name="Follow">Nullable foreign keys to follow, as (table, column).</param>
/// <param name="Profile">The application profile (<c>--profile</c>); null: none. Its root, exclusions,
/// ignores and follows add to the ones above, and its reasons appear in the plan.</param>
public sealed record PlanOptions(
    string Source,
    string? RootTable,
    IReadOnlyList<string> Ids,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<(string Table, string Column)> Follow,
    Profiles.Profile? Profile = null);
