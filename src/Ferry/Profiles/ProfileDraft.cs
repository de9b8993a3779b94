using Ferry.Planning;

namespace Ferry.Profiles;

/// <summary>
/// What <c>ferry profile init</c> found in a source database, to be written as a first profile for people to
/// review (<see cref="Yaml"/>): the root, and suggestions that are all left commented out.
/// </summary>
/// <param name="Source">The source as messages name it (no password).</param>
/// <param name="Root">The root table.</param>
/// <param name="Ids">The root keys the counts are for; empty: counts are over whole tables.</param>
/// <param name="PlanProblem">Why a plan of those ids failed without a profile (counts are then over whole tables); null when it worked or none was asked.</param>
/// <param name="Undeclared">Columns named like references that nothing declares, as plan finds them.</param>
/// <param name="Follows">Nullable keys into the tenant that leave rows behind and that plan tried to follow with success.</param>
/// <param name="Identities">Natural keys of tables the tenant references (shared rows).</param>
/// <param name="Files">Columns that seem to hold paths of stored files.</param>
/// <param name="NotReached">Tables the plan does not reach, by name (those the <see cref="Owning"/> suggestions would reach left out).</param>
public sealed partial record ProfileDraft(
    string Source,
    string Root,
    IReadOnlyList<string> Ids,
    string? PlanProblem,
    IReadOnlyList<UndeclaredReference> Undeclared,
    IReadOnlyList<FollowHint> Follows,
    IReadOnlyList<IdentitySuggestion> Identities,
    IReadOnlyList<FileSuggestion> Files,
    IReadOnlyList<string> NotReached)
{
    /// <summary>
    /// Columns of tables the plan does not reach, named like references into the tenant (counted over whole
    /// tables): as owning relations, they would make their tables part of it.
    /// </summary>
    public IReadOnlyList<UndeclaredReference> Owning { get; init; } = [];
}

/// <summary>A natural key that an identity could match a shared table's rows by.</summary>
/// <param name="Columns">The key's columns.</param>
/// <param name="CaseInsensitive">Suggest <c>case_insensitive: true</c> (e-mail addresses).</param>
/// <param name="Why">What makes it a candidate: a unique key, a partial unique index, distinct values.</param>
/// <param name="Doubtful">True when the data speaks against it (duplicates): shown as a note, not as an entry.</param>
public sealed record IdentitySuggestion(string Table, IReadOnlyList<string> Columns, bool CaseInsensitive, string Why, bool Doubtful = false);

/// <summary>A column whose name or sampled values look like paths of stored files.</summary>
/// <param name="Sampled">Non-empty values read.</param>
/// <param name="PathLike">Of those, values that read like relative paths.</param>
/// <param name="Example">One of them.</param>
/// <param name="Absolute">True when the values are absolute paths: a file store needs relative ones (shown as a note).</param>
public sealed record FileSuggestion(string Table, string Column, int Sampled, int PathLike, string Example, bool Absolute = false);
