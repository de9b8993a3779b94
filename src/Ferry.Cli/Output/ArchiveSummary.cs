using Ferry.Archive;

namespace Ferry.Cli.Output;

/// <summary>
/// What <c>ferry inspect</c> says about a verified archive: as text for people, as JSON (<c>--format json</c>,
/// camelCase, these property names) for scripts.
/// </summary>
public sealed record ArchiveSummary(
    int FormatVersion,
    bool Encrypted,
    string? Cipher,
    bool Verified,
    DateTimeOffset CreatedAt,
    string Tool,
    ArchiveSummarySource Source,
    ManifestRoot Root,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Followed,
    IReadOnlyList<string> CycleBreaks,
    IReadOnlyList<ArchiveSummaryTable> Tables,
    long TotalRows,
    int DataMembers,
    ArchiveSummaryFiles? Files)
{
    public static ArchiveSummary From(ArchiveReader reader, Trailer trailer)
    {
        var m = reader.Manifest;
        var tables = m.Tables.Select(table =>
        {
            var totals = trailer.Tables.FirstOrDefault(t => t.Name == table.Name);
            return new ArchiveSummaryTable(table.Name, table.Role, totals?.Rows ?? 0, totals?.NulledReferences.Values.Sum() ?? 0);
        }).ToList();
        ArchiveSummaryFiles? files = null;
        if (trailer.Files is { } list)
        {
            var contents = list.Where(f => f.References == 0).ToList();
            files = new ArchiveSummaryFiles(list.Sum(f => f.References), contents.Count, contents.Sum(f => f.Bytes),
                reader.FileColumns.Select(c => $"{c.Table}.{c.Column} (store {c.Store})").ToList());
        }
        return new ArchiveSummary(m.FormatVersion, reader.Encrypted, reader.Cipher, true, m.CreatedAt, m.Tool, new ArchiveSummarySource(m.Source.Engine, m.Source.Database), m.Root,
            m.Excluded, m.Followed, m.CycleBreaks.Select(c => $"{c.Table}.{string.Join('+', c.Columns)} → {c.RefTable}{(c.Unchecked == true ? " (unchecked)" : "")}").ToList(),
            tables, trailer.Tables.Sum(t => t.Rows), trailer.Members.Count, files);
    }

    /// <summary>The text form, one line each.</summary>
    public IEnumerable<string> Lines()
    {
        yield return $"archive:    format {FormatVersion}, {(Encrypted ? $"encrypted (OpenPGP, {Cipher}, integrity-protected)" : "NOT encrypted (no integrity protection; import needs --allow-plaintext)")}, verified ({DataMembers} data members, SHA-256 and row counts match)";
        yield return $"created:    {CreatedAt:yyyy-MM-dd HH:mm:ss} UTC by {Tool}";
        yield return $"source:     {Source.Engine} {Source.Database}";
        yield return $"root:       {Root.Table} {string.Join(", ", Root.Ids)}";
        if (Files is { } files)
        {
            yield return $"files:      {files.References:N0} references, {files.Contents:N0} distinct contents ({files.Bytes:N0} bytes), in {string.Join(", ", files.Columns)}";
        }
        if (Excluded.Count > 0)
        {
            yield return $"excluded:   {string.Join(", ", Excluded)}";
        }
        if (Followed.Count > 0)
        {
            yield return $"followed:   {string.Join(", ", Followed)}";
        }
        if (CycleBreaks.Count > 0)
        {
            yield return $"cycles:     {string.Join(", ", CycleBreaks)}";
        }
        var width = Math.Max(5, Tables.Max(t => (int?)t.Name.Length) ?? 5);
        yield return $"{"table".PadRight(width)}  {"role",-10}  {"rows",12}  {"set NULL",8}";
        foreach (var table in Tables)
        {
            yield return $"{table.Name.PadRight(width)}  {table.Role,-10}  {table.Rows,12:N0}  {table.NulledReferences,8:N0}";
        }
        yield return $"{"total".PadRight(width)}  {"",-10}  {TotalRows,12:N0}";
    }
}

/// <summary>The source database (engine, and its connection without password).</summary>
public sealed record ArchiveSummarySource(string Engine, string Database);

/// <summary>A table of the archive: its rows, and references set to NULL on export.</summary>
public sealed record ArchiveSummaryTable(string Name, string Role, long Rows, long NulledReferences);

/// <summary>Files carried by the archive.</summary>
public sealed record ArchiveSummaryFiles(long References, int Contents, long Bytes, IReadOnlyList<string> Columns);
