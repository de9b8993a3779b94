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
/// <param name="CycleBreaks">Foreign keys whose columns an importer writes NULL first, then updates.</param>
/// <param name="Excluded">Tables left out on purpose.</param>
/// <param name="Followed">Nullable foreign keys followed as ownership edges (<c>table.column</c>).</param>
public sealed record Manifest(
    int FormatVersion,
    string Tool,
    DateTimeOffset CreatedAt,
    ManifestSource Source,
    ManifestRoot Root,
    IReadOnlyList<ManifestTable> Tables,
    IReadOnlyList<ManifestForeignKey> CycleBreaks,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Followed);

/// <summary>Where the data came from.</summary>
/// <param name="Engine"><c>sqlite</c> or <c>postgres</c>.</param>
/// <param name="Database">The connection string without its password.</param>
public sealed record ManifestSource(string Engine, string Database);

/// <summary>The root table and the ids the user asked for, as given.</summary>
public sealed record ManifestRoot(string Table, IReadOnlyList<string> Ids);

/// <summary>One table's shape.</summary>
/// <param name="Role"><c>root</c>, <c>owned</c> or <c>referenced</c>.</param>
public sealed record ManifestTable(
    string Name,
    string Role,
    IReadOnlyList<ManifestColumn> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<ManifestForeignKey> ForeignKeys,
    IReadOnlyList<UniqueKey> Uniques);

/// <summary>A column: its name, archive type, the source's own type name, nullability.</summary>
public sealed record ManifestColumn(string Name, FerryType Type, string SqlType, bool Nullable);

/// <summary>A foreign key between archive tables (keys into tables not in the archive are omitted).</summary>
public sealed record ManifestForeignKey(
    string Name,
    string Table,
    IReadOnlyList<string> Columns,
    string RefTable,
    IReadOnlyList<string> RefColumns,
    bool Nullable);

/// <summary>
/// The last member (<c>trailer.json</c>): every data member's digest and row count, and per table
/// the totals and the references that were cut to NULL.
/// </summary>
public sealed record Trailer(IReadOnlyList<TrailerMember> Members, IReadOnlyList<TrailerTable> Tables);

/// <summary>A data member: its path in the tar, SHA-256 (lower-case hex) of its bytes, rows and bytes.</summary>
public sealed record TrailerMember(string Path, string Table, string Sha256, long Rows, long Bytes);

/// <summary>Per-table totals: rows, and per column the number of references set to NULL on export.</summary>
public sealed record TrailerTable(string Name, long Rows, IReadOnlyDictionary<string, long> NulledReferences);
