using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>The role a table plays in an export.</summary>
public enum TableRole
{
    /// <summary>The table holding the root rows (a tenant table).</summary>
    Root,
    /// <summary>A tenant table: holds rows owned through NOT NULL or followed foreign keys, or pointed at by
    /// owned rows through a key whose referencing row owns (<see cref="PlanRequest.OwnedReferences"/>).</summary>
    Owned,
    /// <summary>A non-tenant table whose rows are pulled because in-scope rows point at them.</summary>
    Referenced,
}

/// <summary>What the planner is asked.</summary>
/// <param name="Schema">The source schema.</param>
/// <param name="RootTable">The table holding the root rows.</param>
/// <param name="Exclude">Tables never exported; references into them are cut.</param>
/// <param name="Follow">Nullable foreign keys to follow as ownership edges, as (table, column):
/// the column must be the first column of a foreign key of that table. A profile relation
/// (<see cref="ForeignKey.IsVirtual"/>) owns only when followed, whatever its nullability.</param>
/// <param name="Ignore">Tables knowingly left out (a profile's <c>ignore</c>): not reached, and not undecided.</param>
/// <param name="Complete">Every table must end up in scope, excluded or ignored; otherwise the plan
/// fails listing the undecided tables.</param>
/// <param name="Shared">Tenant tables whose rows outside the tenant are shared (a profile's <c>shared</c>):
/// references into them are pulled like references into a lookup table, never cut.</param>
/// <param name="OwnedReferences">Foreign keys, as (table, first column), whose referencing row owns the row it points
/// at (a profile relation's <c>owner: from</c>): when the table holds owned rows, the rows they point at are owned
/// too, and so is everything those own. Such a key is never an ownership edge the other way, and cannot be followed.</param>
public sealed record PlanRequest(
    DatabaseSchema Schema,
    string RootTable,
    IReadOnlyCollection<string> Exclude,
    IReadOnlyCollection<(string Table, string Column)> Follow,
    IReadOnlyCollection<string>? Ignore = null,
    bool Complete = false,
    IReadOnlyCollection<string>? Shared = null,
    IReadOnlyCollection<(string Table, string Column)>? OwnedReferences = null);

/// <summary>A table in scope, with its role.</summary>
public sealed record PlannedTable(Table Table, TableRole Role)
{
    public string Name => Table.Name;
}

/// <summary>
/// The export plan: pure data computed from the schema alone (rows are scoped later, by the
/// database). Every list is in a deterministic order.
/// </summary>
/// <param name="Root">The root table.</param>
/// <param name="Tables">Tables in scope (root, owned, referenced) in load order: a table comes after
/// every table it references, except through <see cref="CycleBreaks"/> and self-references; ties
/// broken by name (ordinal).</param>
/// <param name="OwnershipEdges">Foreign keys from a tenant table to a tenant table that are NOT NULL or
/// followed: a row pointing at an owned row is owned.</param>
/// <param name="ReferenceEdges">Foreign keys from an in-scope table to a referenced (non-tenant) table:
/// the rows they point at are pulled, transitively.</param>
/// <param name="CheckedEdges">Foreign keys from an in-scope table into a tenant table (ownership edges
/// included): a value that lands outside the owned rows is cut (nullable: NULL; NOT NULL: error).</param>
/// <param name="ExcludedEdges">Foreign keys from an in-scope table into an excluded table: always cut.</param>
/// <param name="UnfollowedEdges">Nullable foreign keys from any non-excluded table into a tenant table that
/// are not followed: rows pointing into the tenant through them are left behind (listed to the user).</param>
/// <param name="CycleBreaks">Edges among in-scope tables removed to order a cycle (never a self-reference):
/// on import their columns are written NULL first and updated once every row exists.</param>
/// <param name="Excluded">The excluded tables, by name.</param>
/// <param name="NotReached">Tables of the schema that are neither in scope, excluded nor ignored, by name.</param>
/// <param name="Ignored">Ignored tables that are not in scope, by name (an ignored table that the plan reaches is exported).</param>
public sealed record ExportPlan(
    string Root,
    IReadOnlyList<PlannedTable> Tables,
    IReadOnlyList<ForeignKey> OwnershipEdges,
    IReadOnlyList<ForeignKey> ReferenceEdges,
    IReadOnlyList<ForeignKey> CheckedEdges,
    IReadOnlyList<ForeignKey> ExcludedEdges,
    IReadOnlyList<ForeignKey> UnfollowedEdges,
    IReadOnlyList<ForeignKey> CycleBreaks,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> NotReached,
    IReadOnlyList<string> Ignored)
{
    /// <summary>
    /// The <see cref="CheckedEdges"/> into a shared tenant table: the rows they point at outside the tenant are
    /// pulled (after every owned row is known, so that they own nothing) and exported as shared rows.
    /// </summary>
    public IReadOnlyList<ForeignKey> SharedEdges { get; init; } = [];

    /// <summary>
    /// Foreign keys from a tenant table whose referencing rows own the rows they point at
    /// (<see cref="PlanRequest.OwnedReferences"/>): the rows an owned row points at through one are owned, pulled
    /// with the owned rows (and their own children after them). The referenced table is a tenant table.
    /// </summary>
    public IReadOnlyList<ForeignKey> OwnedReferenceEdges { get; init; } = [];

    /// <summary>The planned table of that name, or null when it is not in scope.</summary>
    public PlannedTable? Find(string name) => Tables.FirstOrDefault(t => t.Name == name);

    /// <summary>True for the root and owned tables.</summary>
    public bool IsTenant(string name) => Find(name)?.Role is TableRole.Root or TableRole.Owned;
}
