using System.Text.Json.Serialization;
using Ferry.Schema;

namespace Ferry.Archive;

/// <summary>
/// The first member of an archive (<c>manifest.json</c>): what was exported, from where, and the
/// shape of every table. Serialised as specified in <c>docs/format.md</c>.
/// </summary>
/// <param name="FormatVersion">The archive format version (1 for this version of Ferry).</param>
/// <param name="CreatedAt">When the export's snapshot was taken (UTC).</param>
/// <param name="Source">The source database, password removed.</param>
/// <param name="Tables">Tables in load order; their data members follow in this order.</param>
/// <param name="CycleBreaks">Foreign keys an importer writes before the row they point at exists: NULL first, then
/// updated (nullable ones), deferred, or, <see cref="ManifestForeignKey.Unchecked"/>, unchecked for a moment.</param>
/// <param name="Excluded">Tables left out on purpose.</param>
/// <param name="Followed">Nullable foreign keys followed as ownership edges (<c>table.column</c>).</param>
/// <param name="Files">Format version 2: the columns whose values are paths of files the archive carries; null
/// (omitted) when it carries none.</param>
/// <param name="ExportId">Since issue 16: the export's id, 128 random bits as 32 lower-case hex digits; null (omitted) in
/// archives of earlier writers.</param>
/// <param name="CompleteBefore">Since issue 16: the source's clock time before which every committed change is in this
/// archive's snapshot (docs/format.md §3.1): what a later <c>export --since</c> of this archive starts from.</param>
/// <param name="Incremental">Format version 4: the archive holds only the rows changed since its base, and the keys of
/// the others (<see cref="ManifestIncremental"/>); null (omitted) for a whole archive.</param>
public sealed record Manifest(
    int FormatVersion,
    string Tool,
    DateTimeOffset CreatedAt,
    ManifestSource Source,
    ManifestRoot Root,
    IReadOnlyList<ManifestTable> Tables,
    IReadOnlyList<ManifestForeignKey> CycleBreaks,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Followed,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ManifestFileColumn>? Files = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ExportId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CompleteBefore = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ManifestIncremental? Incremental = null);

/// <summary>
/// What an incremental archive (format version 4) is incremental to: rows whose changed-at column is at or after
/// <paramref name="Since"/> are written whole, the others as their key only.
/// </summary>
/// <param name="Base">The export id of the archive it was exported since (<c>--since ARCHIVE</c>); null for
/// <c>--since TIMESTAMP</c>.</param>
/// <param name="Since">The time rows are compared with: the base's <see cref="Manifest.CompleteBefore"/>, or the timestamp given.</param>
public sealed record ManifestIncremental(string? Base, DateTimeOffset Since);

/// <summary>
/// Column <paramref name="Column"/> of <paramref name="Table"/> holds paths relative to file store
/// <paramref name="Store"/>; or (format version 3, <paramref name="Column"/> null) each row's path is derived from
/// its values by <paramref name="Template"/> (<see cref="Files.PathTemplate"/>), followed by the first of
/// <paramref name="Suffixes"/> for which the file existed.
/// </summary>
public sealed record ManifestFileColumn(
    string Store,
    string Table,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Column = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Template = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Suffixes = null)
{
    /// <summary>What names the rule in the file index's <c>column</c>: the column, or the template.</summary>
    [JsonIgnore]
    public string Name => Column ?? Template ?? "";

    /// <summary>Whether this rule is the one of <paramref name="store"/>, <paramref name="table"/> and <paramref name="name"/>.</summary>
    public bool Is(string store, string table, string name) => Store == store && Table == table && Name == name;
}

/// <summary>Where the data came from.</summary>
/// <param name="Engine"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Database">The connection string without its password.</param>
/// <param name="Instance">Which source database this is, stably across exports (a SQLite file's absolute path, a
/// PostgreSQL server, database and schema): with the root it names the tenant in a target's ledger
/// (<c>docs/reimport.md</c>). Null (omitted) in archives of earlier writers, where <paramref name="Database"/> stands for it.</param>
public sealed record ManifestSource(
    string Engine,
    string Database,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Instance = null);

/// <summary>The root table and the ids the user asked for, as given.</summary>
public sealed record ManifestRoot(string Table, IReadOnlyList<string> Ids);

/// <summary>One table's shape.</summary>
/// <param name="Role"><c>root</c>, <c>owned</c> or <c>referenced</c>.</param>
/// <param name="Changed">Incremental archives only: the table's changed-at column (the profile's <c>changed</c> rule); its
/// unchanged rows follow its data members as key members. Null (omitted) otherwise.</param>
public sealed record ManifestTable(
    string Name,
    string Role,
    IReadOnlyList<ManifestColumn> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<ManifestForeignKey> ForeignKeys,
    IReadOnlyList<UniqueKey> Uniques,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Changed = null);

/// <summary>A column: its name, archive type, the source's own type name, nullability.</summary>
public sealed record ManifestColumn(string Name, FerryType Type, string SqlType, bool Nullable);

/// <summary>A foreign key between archive tables (keys into tables not in the archive are omitted).</summary>
/// <param name="Reference">Null for a key the source database declares; for a relation a profile declared,
/// where the row holds the key(s).</param>
/// <param name="Unchecked">Cycle breaks only: true for a declared NOT NULL key that the source does not declare
/// DEFERRABLE, so that its rows can be written first only while the target does not check the key (informative:
/// the importer decides from the target's own keys); null (omitted) otherwise.</param>
public sealed record ManifestForeignKey(
    string Name,
    string Table,
    IReadOnlyList<string> Columns,
    string RefTable,
    IReadOnlyList<string> RefColumns,
    bool Nullable,
    ManifestReference? Reference = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Unchecked = null)
{
    /// <summary>True when the key is in the plain columns, remapped by the INSERT…SELECT itself.</summary>
    public bool IsPlain => Reference is null || (Reference.Kind == "column" && Reference.TypeColumn is null);
}

/// <summary>How a profile relation holds its key(s) (see <see cref="ReferenceShape"/>).</summary>
/// <param name="Kind"><c>column</c>, <c>array</c> or <c>json</c>.</param>
/// <param name="Path">json: <c>$.a.b</c> or <c>$.a.b[*]</c>.</param>
/// <param name="TypeColumn">Polymorphic: the column naming the referenced table.</param>
/// <param name="TypeValue">Polymorphic: its value for this key's table.</param>
/// <param name="ArrayForm">array: how the values spell arrays, <c>sql</c> (<c>{1,2}</c>) or <c>json</c> (<c>[1,2]</c>);
/// null in archives written before it existed, where a <c>sqlType</c> ending in <c>[]</c> meant <c>sql</c>.</param>
/// <param name="None">Plain keys: integer values that mean "none" (kept as they are on import, never remapped); null: none.</param>
public sealed record ManifestReference(
    string Kind,
    string? Path = null,
    string? TypeColumn = null,
    string? TypeValue = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ArrayForm = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<long>? None = null)
{
    /// <summary>The schema form of this reference.</summary>
    public ReferenceShape ToShape(string origin) =>
        new(FerryTypesParseKind(Kind), Path, TypeColumn, TypeValue, origin) { None = None ?? [] };

    /// <summary>The manifest form of a shape whose column's values spell arrays in <paramref name="form"/>.</summary>
    public static ManifestReference From(ReferenceShape shape, Engines.ArrayForm form) =>
        new(shape.Kind.ToString().ToLowerInvariant(), shape.Path, shape.TypeColumn, shape.TypeValue,
            shape.Kind == ReferenceKind.Array ? ArrayFormName(form) : null, shape.None.Count > 0 ? shape.None : null);

    /// <summary>
    /// How the values of <paramref name="column"/> (the key's column) spell arrays. The source's type name is
    /// consulted only for archives without <c>arrayForm</c>, and only to tell the two forms apart: it is never SQL.
    /// </summary>
    public Engines.ArrayForm Form(ManifestColumn column) => ArrayForm switch
    {
        "sql" => Engines.ArrayForm.Sql,
        "json" => Engines.ArrayForm.Json,
        null => column.SqlType.EndsWith("[]", StringComparison.Ordinal) ? Engines.ArrayForm.Sql : Engines.ArrayForm.Json,
        _ => throw new ArchiveException($"the archive's manifest names an unknown array form '{ArrayForm}'"),
    };

    /// <summary>The manifest name of an array form.</summary>
    public static string ArrayFormName(Engines.ArrayForm form) => form == Engines.ArrayForm.Sql ? "sql" : "json";

    private static ReferenceKind FerryTypesParseKind(string kind) =>
        Enum.TryParse<ReferenceKind>(kind, ignoreCase: true, out var k) && Enum.IsDefined(k)
            ? k
            : throw new ArchiveException($"the archive's manifest names an unknown reference kind '{kind}'");
}

/// <summary>
/// The last member (<c>trailer.json</c>): every data member's digest and row count, and per table
/// the totals and the references that were cut to NULL.
/// </summary>
/// <param name="Files">Format version 2: every member of the files section in archive order; null (omitted)
/// when the archive carries no files.</param>
public sealed record Trailer(
    IReadOnlyList<TrailerMember> Members,
    IReadOnlyList<TrailerTable> Tables,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TrailerFile>? Files = null);

/// <summary>
/// A member of the files section: its path, SHA-256 (lower-case hex) of its bytes, its size, and for an
/// index chunk the number of references it lists (0 for a content member).
/// </summary>
public sealed record TrailerFile(string Path, string Sha256, long Bytes, long References);

/// <summary>A data member: its path in the tar, SHA-256 (lower-case hex) of its bytes, rows and bytes.</summary>
public sealed record TrailerMember(string Path, string Table, string Sha256, long Rows, long Bytes);

/// <summary>Per-table totals: rows, and per column the number of references set to NULL on export.</summary>
/// <param name="Keys">Incremental archives, tables with key members: the key rows (rows unchanged since the base); null (omitted) otherwise.</param>
public sealed record TrailerTable(
    string Name,
    long Rows,
    IReadOnlyDictionary<string, long> NulledReferences,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Keys = null);
