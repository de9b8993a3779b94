using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>The role of a table in a plan report: the plan's roles, and why the others stay out.</summary>
public enum PlanRole
{
    /// <summary>Holds the root rows.</summary>
    Root,
    /// <summary>A tenant table: its rows are owned through NOT NULL or followed foreign keys.</summary>
    Owned,
    /// <summary>Rows pulled because rows in scope point at them.</summary>
    Referenced,
    /// <summary>Never exported; references into it are cut.</summary>
    Excluded,
    /// <summary>Knowingly left out (a profile's <c>ignore</c>).</summary>
    Ignored,
    /// <summary>No foreign key the plan follows leads to it.</summary>
    NotReached,
}

/// <summary>How the plan uses a foreign key.</summary>
public enum PlanEdgeKind
{
    /// <summary>Ownership: rows pointing at owned rows through it are owned.</summary>
    Owns,
    /// <summary>The rows it points at are pulled as referenced rows.</summary>
    References,
    /// <summary>A nullable key into the tenant that is not followed: values leaving the scope are cut,
    /// rows outside the export that use it are left behind.</summary>
    NotFollowed,
    /// <summary>Points at an excluded table: always cut.</summary>
    IntoExcluded,
    /// <summary>Ownership the other way (<c>owner: from</c>): the rows owned rows point at through it are owned.</summary>
    OwnsReferenced,
}

/// <summary>
/// What <c>ferry plan</c> shows and export prints before writing: every table of the schema with its
/// role, path and rows, the edges that matter, and the cycle breaks. Pure data, deterministic.
/// </summary>
/// <param name="Root">The root table.</param>
/// <param name="Ids">The root keys asked for.</param>
/// <param name="Tables">Every table of the schema by role (root, owned, referenced, excluded, ignored, not
/// reached): tables in scope in load order within their role, the others by name.</param>
/// <param name="Edges">Foreign keys the plan owns, references, cuts or leaves unfollowed, in foreign-key order.</param>
/// <param name="CycleBreaks">Edges removed to order cycles (written NULL first on import).</param>
public sealed partial record PlanReport(
    string Root,
    IReadOnlyList<string> Ids,
    IReadOnlyList<PlanReportTable> Tables,
    IReadOnlyList<PlanReportEdge> Edges,
    IReadOnlyList<ForeignKey> CycleBreaks)
{
    /// <summary>Total rows in scope.</summary>
    public long TotalRows => Tables.Sum(t => t.Rows ?? 0);

    /// <summary>The keys whose referencing rows own the rows they point at (<see cref="PlanEdgeKind.OwnsReferenced"/>).</summary>
    public IEnumerable<ForeignKey> OwningEdges => Edges.Where(e => e.Kind == PlanEdgeKind.OwnsReferenced).Select(e => e.Key);

    /// <summary>Columns of tables in scope named like references that nothing declares: copied unchanged.</summary>
    public IReadOnlyList<UndeclaredReference> Undeclared { get; init; } = [];

    /// <summary>Every warning an export of this plan prints, word for word.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>
/// A column of a table in scope named like a reference (<c>manager_staff_id</c>) that no foreign key or
/// profile relation declares: its values are copied unchanged, so they keep the source's ids.
/// </summary>
/// <param name="LikelyTable">The table its name most likely points at (<see cref="ReferenceGuess"/>), or null.</param>
/// <param name="LikelyColumn">That table's key column, or null.</param>
/// <param name="Values">Scoped rows with a value in the column.</param>
/// <param name="Existing">Of those, the rows whose value is a key of <paramref name="LikelyTable"/> (0 without one).</param>
public sealed record UndeclaredReference(string Table, string Column, string? LikelyTable, string? LikelyColumn, long Values, long Existing)
{
    /// <summary>One line for people.</summary>
    public override string ToString() =>
        LikelyTable is null
            ? $"{Table}.{Column} looks like a reference but has no foreign key and no table is named like it ({Values} row(s) hold a value): " +
              "its values are copied unchanged"
            : $"{Table}.{Column} looks like a reference to {LikelyTable}.{LikelyColumn} but has no foreign key: {Existing} of {Values} row(s) hold a value " +
              $"found there; its values are copied unchanged (declare it as a profile relation, {Table}.{Column} → {LikelyTable}, if it is one)";
}

/// <summary>
/// What following a nullable edge that leaves rows behind would do, tried on the database in the same
/// snapshot: whether the export would then succeed, and how many rows it would add.
/// </summary>
/// <param name="Works">True when the export with the follow succeeds.</param>
/// <param name="AddedRows">Rows the follow adds to the export (when it works).</param>
/// <param name="Problem">Why it would not work, in one sentence (when it does not).</param>
public sealed record FollowHint(string Table, string Column, bool Works, long AddedRows, string? Problem)
{
    /// <summary>The command-line option: <c>--follow users.current_group_id</c>.</summary>
    public string Option => $"--follow {Table}.{Column}";

    /// <summary>The hint as plan and export print it.</summary>
    public override string ToString() =>
        Works ? $"{Option} takes them, {AddedRows} more row(s) in all" : $"{Option} would not work: {Problem}";
}

/// <summary>One table of the schema in a plan report.</summary>
/// <param name="Rows">Rows in scope, counted by the database; null for tables out of scope.</param>
/// <param name="Path">How the plan reaches it from the root, edge by edge (empty for the root and tables out of scope).</param>
/// <param name="Reason">Why it is excluded or ignored, when a profile says.</param>
public sealed record PlanReportTable(string Name, PlanRole Role, long? Rows, IReadOnlyList<ForeignKey> Path, string? Reason)
{
    /// <summary>True for the root, owned and referenced tables.</summary>
    public bool InScope => Role is PlanRole.Root or PlanRole.Owned or PlanRole.Referenced;
}

/// <summary>A foreign key in a plan report.</summary>
/// <param name="Cut">Rows in scope whose value is cut (set to NULL): it leaves the scope or lands in an excluded table.</param>
/// <param name="LeftBehind">For <see cref="PlanEdgeKind.NotFollowed"/>: rows outside the export that point into it, or null when not
/// counted (keys inside JSON documents: counting them would parse every document of the table); for other kinds, null.</param>
/// <param name="CycleBreak">True when the edge breaks a cycle of the load order.</param>
public sealed record PlanReportEdge(ForeignKey Key, PlanEdgeKind Kind, long Cut, long? LeftBehind, bool CycleBreak)
{
    /// <summary>For a <see cref="PlanEdgeKind.NotFollowed"/> edge that leaves rows behind: what following it would do, once tried; else null.</summary>
    public FollowHint? Follow { get; init; }
}
