namespace Ferry.Export;

/// <summary>Everything an export needs; every entry point (CLI, library) builds one of these.</summary>
/// <param name="Source">The source connection string (<c>sqlite:PATH</c>, <c>postgres://…</c>).</param>
/// <param name="RootTable">The table holding the root rows.</param>
/// <param name="Ids">Root keys as the user typed them (single-column primary key).</param>
/// <param name="Exclude">Tables never exported.</param>
/// <param name="Follow">Nullable foreign keys to follow, as (table, column).</param>
/// <param name="Password">The archive password; null writes an unencrypted archive.</param>
/// <param name="Profile">The application profile (<c>--profile</c>); null: none. Its root, exclusions and
/// follows add to the ones above.</param>
/// <param name="FileStores">File store name → directory holding its files (<c>--files NAME=DIR</c>).</param>
/// <param name="Since">Incremental export (<c>--since</c>): the time and base; null exports the whole tenant.</param>
public sealed record ExportOptions(
    string Source,
    string RootTable,
    IReadOnlyList<string> Ids,
    IReadOnlyList<string> Exclude,
    IReadOnlyList<(string Table, string Column)> Follow,
    char[]? Password,
    Profiles.Profile? Profile = null,
    IReadOnlyDictionary<string, string>? FileStores = null,
    ExportSince? Since = null);

/// <summary>
/// <c>export --since</c>: rows of tables with a changed-at column (the profile's <c>changed</c>) not changed since
/// <paramref name="At"/> are written as their key only (docs/reimport.md).
/// </summary>
/// <param name="At">The time rows are compared with.</param>
/// <param name="Base">The base archive's manifest (<c>--since ARCHIVE</c>): its export id goes into the new manifest and
/// its tenant must be this export's; null for <c>--since TIMESTAMP</c>.</param>
/// <param name="What">How the user named it, for messages.</param>
public sealed record ExportSince(DateTimeOffset At, Archive.Manifest? Base, string What);

/// <summary>What an export did.</summary>
/// <param name="Tables">Per table in load order: rows written and references set to NULL per column.</param>
/// <param name="LeftBehind">Nullable edges into the tenant that were not followed, with the rows they leave behind.</param>
/// <param name="Warnings">Everything the user was warned about.</param>
/// <param name="Files">The files put in the archive; null when the export had no file rules.</param>
public sealed record ExportResult(
    IReadOnlyList<ExportedTable> Tables,
    IReadOnlyList<LeftBehindEdge> LeftBehind,
    IReadOnlyList<string> Warnings,
    TimeSpan Elapsed,
    ExportedFiles? Files = null)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}

/// <summary>One exported table.</summary>
public sealed record ExportedTable(string Name, string Role, long Rows, IReadOnlyDictionary<string, long> NulledReferences)
{
    /// <summary>Incremental export, tables with a changed-at column: the rows written as their key only; null otherwise.</summary>
    public long? Keys { get; init; }
}

/// <summary>A nullable foreign key into the tenant that was not followed, and how many rows outside the export use it.</summary>
public sealed record LeftBehindEdge(string Table, IReadOnlyList<string> Columns, string RefTable, long? Rows);

/// <summary>The files an export put in the archive.</summary>
/// <param name="Files">Distinct (store, table, column, path) references to a file that exists.</param>
/// <param name="Contents">Distinct contents (by SHA-256) written, each once.</param>
/// <param name="Bytes">Bytes of those contents.</param>
/// <param name="Missing">Files missing from their store, exported without content (<c>missing: warn</c>).</param>
public sealed record ExportedFiles(long Files, long Contents, long Bytes, long Missing);
