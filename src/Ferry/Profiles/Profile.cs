namespace Ferry.Profiles;

/// <summary>
/// An application profile: what the schema does not say about an app, described once in a YAML
/// file (<c>docs/profiles.md</c>). Immutable; every rule knows the line of the file it came from, so
/// that a mistake can be reported as <c>profile app.yaml:12: ...</c>. Rules name tables and columns
/// as the source database has them, except transforms (see <see cref="TransformRule"/>).
/// </summary>
/// <param name="Path">The file the profile was read from (for messages).</param>
/// <param name="App">The application's name, informational.</param>
/// <param name="Root">The root table, so that <c>--ids</c> needs no <c>--root</c>.</param>
/// <param name="Complete">Every source table must be reached, excluded or ignored, or export refuses.</param>
/// <param name="Follow">Nullable foreign keys (declared or profile relations) followed as ownership edges.</param>
/// <param name="Exclude">Tables never exported, each with a reason; references into them are cut.</param>
/// <param name="Ignore">Tables knowingly left out of a complete profile (not reached, not an error).</param>
public sealed record Profile(
    string Path,
    string? App,
    RootRule? Root,
    bool Complete,
    IReadOnlyList<FollowRule> Follow,
    IReadOnlyList<TableRule> Exclude,
    IReadOnlyList<TableRule> Ignore,
    IReadOnlyList<IdentityRule> Identities,
    IReadOnlyList<RelationRule> Relations,
    IReadOnlyList<FileRule> Files,
    IReadOnlyList<TransformRule> Transforms,
    IReadOnlyList<ConflictRule> Conflicts,
    IReadOnlyList<RequireRule> Requires)
{
    /// <summary>
    /// Tenant tables (the root or an owned table) whose rows outside the tenant are shared: a reference to one
    /// pulls it like a row of a lookup table instead of being cut, and the import matches it on the target by
    /// the table's identity (CKAN's thematic groups, in the table of organisations).
    /// </summary>
    public IReadOnlyList<TableRule> Shared { get; init; } = [];

    /// <summary>
    /// Each table's "changed at" column (<c>changed: {table: column}</c>): what <c>export --since</c> compares to write a
    /// row whole or as its key only (docs/reimport.md).
    /// </summary>
    public IReadOnlyList<ChangedRule> Changed { get; init; } = [];

    /// <summary>A profile with no rules (what a run without <c>--profile</c> behaves like).</summary>
    public static Profile Empty(string path = "") => new(path, null, null, false, [], [], [], [], [], [], [], [], []);

    /// <summary><c>profile FILE:LINE</c>, the prefix of every message about a rule.</summary>
    public string Where(int line) => $"profile {System.IO.Path.GetFileName(Path)}:{line}";
}

/// <summary>The root table and its key column (null: the primary key).</summary>
/// <summary><paramref name="Column"/> of <paramref name="Table"/> holds when each row last changed (a date or timestamp the application sets).</summary>
public sealed record ChangedRule(string Table, string Column, int Line);

public sealed record RootRule(string Table, string? Key, int Line);

/// <summary>A nullable edge to follow: <c>table.column</c>.</summary>
public sealed record FollowRule(string Table, string Column, int Line);

/// <summary>An excluded, ignored or shared table and why.</summary>
public sealed record TableRule(string Table, string? Reason, int Line);

/// <summary>What an import does with an identity row that has no match on the target.</summary>
public enum MissingIdentity
{
    /// <summary>Insert it like any other row (the default).</summary>
    Create,
    /// <summary>The target must already have it: the import fails listing the missing ones.</summary>
    Require,
    /// <summary>Insert a placeholder: the natural key, the profile's <see cref="IdentityRule.Placeholder"/> values, defaults elsewhere.</summary>
    Placeholder,
}

/// <summary>Rows of <paramref name="Table"/> are matched on the target by the natural key <paramref name="Columns"/>.</summary>
/// <param name="CaseInsensitive">Text columns compare case-insensitively.</param>
/// <param name="Placeholder">Column values of a placeholder row (<see cref="MissingIdentity.Placeholder"/>):
/// scalars as YAML gives them (string, long, double, bool, null).</param>
public sealed record IdentityRule(
    string Table,
    IReadOnlyList<string> Columns,
    bool CaseInsensitive,
    MissingIdentity Missing,
    IReadOnlyDictionary<string, object?> Placeholder,
    int Line)
{
    /// <summary>
    /// An SQL condition (the operator's own, trusted) on the target's rows that may be matched, in the
    /// target's dialect and with its column names: <c>state = 'active'</c>. Null: every row may be matched.
    /// </summary>
    public string? Where { get; init; }

    /// <summary>
    /// Which target row wins when several match: the first by these columns (NULLs last whatever the
    /// direction). Empty: several matching rows are a conflict.
    /// </summary>
    public IReadOnlyList<PreferColumn> Prefer { get; init; } = [];

    /// <summary>
    /// Where the key lives when it is not in the table itself: <see cref="Columns"/> are then columns of
    /// another table whose rows point at this table's primary key. Null: the key is in the table.
    /// </summary>
    public IdentityThrough? Through { get; init; }
}

/// <summary>
/// An identity's key taken through a join: rows of <paramref name="Table"/> whose <paramref name="Column"/>
/// holds the identity row's primary key and for which <paramref name="Where"/> (trusted SQL, null: all) holds
/// carry the key (<c>{table: user_properties, column: user_id, where: "name = 'email'"}</c>).
/// </summary>
public sealed record IdentityThrough(string Table, string Column, string? Where);

/// <summary>One column of an identity's <c>prefer</c> list: rows with the lower value (or higher, when <paramref name="Descending"/>) win.</summary>
public sealed record PreferColumn(string Column, bool Descending)
{
    public override string ToString() => Descending ? $"{Column} desc" : Column;
}

/// <summary>The shape of a reference the schema does not declare.</summary>
public enum RelationKind
{
    /// <summary>A plain column holding the referenced key (a virtual foreign key).</summary>
    Column,
    /// <summary>A type column names the referenced table, an id column holds its key.</summary>
    Polymorphic,
    /// <summary>An array of keys: PostgreSQL array, or a JSON array in a text/JSON column.</summary>
    Array,
    /// <summary>Keys inside a JSON document at a path (<c>$.place_id</c>, <c>$.users[*]</c>).</summary>
    Json,
    /// <summary>
    /// The foreign key the schema declares on the column: the rule adds no reference, it only says which side
    /// owns (<c>{from: stores.hierarchy_id, owner: from}</c>). <see cref="RelationRule.RefTable"/> is null.
    /// </summary>
    Declared,
}

/// <summary>Which side of a relation owns the other.</summary>
public enum RelationOwner
{
    /// <summary>Neither: the referenced rows are pulled like lookup rows (users, tags).</summary>
    None,
    /// <summary>The referenced row owns the rows pointing at it (<c>owner: to</c>, or <c>owns: true</c>): a row that
    /// points at an owned row is owned, like through a NOT NULL foreign key.</summary>
    To,
    /// <summary>The referencing row owns the row it points at (<c>owner: from</c>): the row pointed at by an owned
    /// row is owned, with everything it owns in turn (Kopano's <c>stores.hierarchy_id</c>: a store owns its folders).</summary>
    From,
}

/// <summary>
/// A relation the schema does not declare, remapped on import like a foreign key.
/// </summary>
/// <param name="Table">The table holding the reference.</param>
/// <param name="Column">The column holding the key(s) (the id column of a polymorphic reference; the JSON document).</param>
/// <param name="RefTable">The referenced table (null for <see cref="RelationKind.Polymorphic"/>: see <paramref name="Types"/>).</param>
/// <param name="RefColumn">The referenced column; null means the referenced table's single-column primary key.</param>
/// <param name="TypeColumn">Polymorphic: the column whose value names the referenced table.</param>
/// <param name="Types">Polymorphic: type value → referenced table.</param>
/// <param name="Path">Json: the path of the key(s) inside the document: <c>$.a.b</c> (one key) or <c>$.a.b[*]</c> (an array of keys).</param>
/// <param name="Owns">True: rows whose reference lands on an owned row are owned (pulled, like a NOT NULL foreign key);
/// false: the referenced rows are pulled, like any reference.</param>
public sealed record RelationRule(
    string Table,
    string Column,
    RelationKind Kind,
    string? RefTable,
    string? RefColumn,
    string? TypeColumn,
    IReadOnlyDictionary<string, string> Types,
    string? Path,
    bool Owns,
    int Line)
{
    /// <summary>Plain relations: integer values that mean "none" (<c>none: [0]</c>): not followed on export, kept as they are on import.</summary>
    public IReadOnlyList<long> None { get; init; } = [];

    /// <summary>
    /// True when the referencing row owns the row it points at (<c>owner: from</c>; see <see cref="RelationOwner.From"/>);
    /// never together with <see cref="Owns"/>.
    /// </summary>
    public bool OwnsReferenced { get; init; }

    /// <summary>Which side owns.</summary>
    public RelationOwner Owner => OwnsReferenced ? RelationOwner.From : Owns ? RelationOwner.To : RelationOwner.None;
}

/// <summary>What export does when a file a row refers to is missing from its store directory.</summary>
public enum MissingFile
{
    /// <summary>Stop: the export fails naming the file (the default).</summary>
    Fail,
    /// <summary>Warn, count it in the report, and keep the row with its path.</summary>
    Warn,
}

/// <summary>
/// <paramref name="Table"/>.<paramref name="Column"/> holds a path relative to the directory of file store
/// <paramref name="Store"/>; or, with <see cref="Template"/> instead of a column, each row's path is derived
/// from its values, tried with each of <see cref="Suffixes"/> in turn.
/// </summary>
public sealed record FileRule(string Store, string Table, string? Column, MissingFile Missing, int Line)
{
    /// <summary>The path derived from the row's values; null for a rule with a column.</summary>
    public Files.PathTemplate? Template { get; init; }

    /// <summary>What may follow a derived path (<c>""</c>, <c>".gz"</c>): the first that exists is the row's file.</summary>
    public IReadOnlyList<string> Suffixes { get; init; } = NoSuffix;

    private static readonly IReadOnlyList<string> NoSuffix = [""];

    /// <summary>The column, or for a derived path its template: what names the rule in an archive.</summary>
    public string Name => Column ?? Template!.Text;
}

/// <summary>
/// A change applied on import, for a target running a newer version of the app. Transforms apply in
/// the order the profile lists them; each names tables and columns as they are after the renames
/// listed before it (the archive's names at first, the target's once renamed).
/// </summary>
public abstract record TransformRule(int Line);

/// <summary>The archive's table <paramref name="From"/> is the target's <paramref name="To"/>.</summary>
public sealed record RenameTable(string From, string To, int Line) : TransformRule(Line);

/// <summary>Column <paramref name="From"/> of <paramref name="Table"/> is the target's <paramref name="To"/>.</summary>
public sealed record RenameColumn(string Table, string From, string To, int Line) : TransformRule(Line);

/// <summary>The column is not written to the target.</summary>
public sealed record DropColumn(string Table, string Column, int Line) : TransformRule(Line);

/// <summary>Every incoming row gets this constant (<c>is_superuser: false</c>).</summary>
public sealed record SetColumn(string Table, string Column, object? Value, int Line) : TransformRule(Line);

/// <summary>Incoming values found in <paramref name="Values"/> (compared as text) are replaced; others are kept.</summary>
public sealed record MapValues(string Table, string Column, IReadOnlyDictionary<string, object?> Values, int Line) : TransformRule(Line);

/// <summary>A target column absent from the archive is filled from an SQL expression over the incoming row's columns.</summary>
public sealed record FillColumn(string Table, string Column, string Sql, int Line) : TransformRule(Line);

/// <summary>
/// An SQL statement run against the staging tables before the merge; <c>{table}</c> in the text
/// names the staging table of that (archive, after renames) table.
/// </summary>
public sealed record StagingSql(string Sql, int Line) : TransformRule(Line);

/// <summary>What an import does when an incoming row collides with an existing one on a unique key.</summary>
public enum ConflictAction
{
    /// <summary>Report it and write nothing (the default).</summary>
    Fail,
    /// <summary>Give the incoming row a new value from <see cref="ConflictRule.Pattern"/>.</summary>
    Rename,
    /// <summary>Map the incoming row to the existing one (like an identity), so a tenant merges into it.</summary>
    Reuse,
}

/// <summary>The conflict policy of one unique key, named by constraint or by its columns.</summary>
/// <param name="Pattern">Rename: the new value, with <c>{value}</c> for the old one (<c>"{value} (imported)"</c>).</param>
public sealed record ConflictRule(
    string Table,
    string? Constraint,
    IReadOnlyList<string> Columns,
    ConflictAction Action,
    string? Pattern,
    int Line);

/// <summary>Where a requirement is checked.</summary>
public enum RequireSide
{
    Source,
    Target,
}

/// <summary>
/// A version gate: <paramref name="Sql"/> must return one row whose first column is true (or a
/// non-zero number); otherwise the command stops with <paramref name="Message"/>.
/// </summary>
public sealed record RequireRule(RequireSide On, string Sql, string Message, int Line);
