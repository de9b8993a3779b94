using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Archive;

/// <summary>
/// Checks that a manifest read from an archive is one that Ferry could have written: every name it
/// uses is declared once, every key names columns that exist, every kind and form is one of the closed
/// lists of <c>docs/format.md</c>, and no name holds a control character. A manifest is untrusted input:
/// what passes here is still never SQL (names are quoted, types are Ferry's own), but nothing after
/// this point has to guard against a key into a table that is not there.
/// </summary>
internal static class ManifestCheck
{
    /// <summary>At most this many tables: the member paths number them with four digits.</summary>
    public const int MaxTables = 9999;

    /// <summary>At most this many columns in one table (SQLite's hard limit; PostgreSQL allows 1,600).</summary>
    public const int MaxColumns = 32767;

    private const int MaxShown = 5;

    private static readonly HashSet<string> Roles = ["root", "owned", "referenced"];

    /// <summary>Throws <see cref="ArchiveException"/> listing what is wrong (the first few problems), if anything is.</summary>
    public static void Validate(Manifest manifest)
    {
        var problems = Problems(manifest).Take(MaxShown + 1).ToList();
        if (problems.Count > 0)
        {
            var shown = string.Join("; ", problems.Take(MaxShown));
            throw new ArchiveException($"the archive's manifest is invalid: {shown}{(problems.Count > MaxShown ? "; ..." : "")}");
        }
    }

    private static IEnumerable<string> Problems(Manifest manifest)
    {
        // JSON may hold null where a list element is expected: the deserializer lets that through.
        if (HasNullElement(manifest))
        {
            yield return "a list holds null where a name or an object belongs";
            yield break;
        }

        if (manifest.Tables.Count > MaxTables)
        {
            yield return $"it lists {manifest.Tables.Count} tables (at most {MaxTables})";
            yield break;
        }

        var tables = new Dictionary<string, ManifestTable>(StringComparer.Ordinal);
        foreach (var table in manifest.Tables)
        {
            if (BadName(table.Name, "a table") is { } bad)
            {
                yield return bad;
            }
            else if (!tables.TryAdd(table.Name, table))
            {
                yield return $"table {Show(table.Name)} is listed twice";
            }
        }

        foreach (var table in manifest.Tables)
        {
            foreach (var problem in TableProblems(table, tables))
            {
                yield return problem;
            }
        }

        foreach (var cycle in manifest.CycleBreaks)
        {
            if (!tables.TryGetValue(cycle.Table, out var table) || !table.ForeignKeys.Contains(cycle, KeyComparer.Instance))
            {
                yield return $"cycle break {Show(cycle.Name)} is not a foreign key of table {Show(cycle.Table)}";
            }
            else if (cycle.Unchecked == true && (cycle.Nullable || cycle.Reference is not null))
            {
                yield return $"cycle break {Show(cycle.Name)} is unchecked, but it is nullable or a profile relation";
            }
        }

        foreach (var name in manifest.Excluded.Concat(manifest.Followed).Append(manifest.Root.Table))
        {
            if (BadName(name, "a table") is { } bad)
            {
                yield return bad;
            }
        }

        foreach (var problem in IncrementalProblems(manifest))
        {
            yield return problem;
        }
    }

    // Format version 4: an incremental archive says so from version 4 on, names a well-formed base, and each changed-at
    // column is a date or time column outside the primary key of a table that has one.
    private static IEnumerable<string> IncrementalProblems(Manifest manifest)
    {
        if (manifest.ExportId is { } id && !ArchiveFormat.IsExportId(id))
        {
            yield return $"exportId {Show(id)} is not 32 lower-case hex digits";
        }

        if (manifest.Incremental is { } incremental)
        {
            if (manifest.FormatVersion < ArchiveFormat.VersionIncremental)
            {
                yield return $"it is incremental, which format version {manifest.FormatVersion} does not have";
            }

            if (incremental.Base is { } b && !ArchiveFormat.IsExportId(b))
            {
                yield return $"incremental.base {Show(b)} is not 32 lower-case hex digits";
            }
        }

        foreach (var table in manifest.Tables.Where(t => t.Changed is not null))
        {
            var column = table.Columns.FirstOrDefault(c => c.Name == table.Changed);
            if (manifest.Incremental is null)
            {
                yield return $"table {Show(table.Name)} names a changed-at column, but the archive is not incremental";
            }
            else if (column is null || column.Type is not (FerryType.Timestamp or FerryType.TimestampTz or FerryType.Date)
                     || table.PrimaryKey.Count == 0 || table.PrimaryKey.Contains(column.Name))
            {
                yield return $"table {Show(table.Name)}: its changed-at column {Show(table.Changed!)} is not a date or timestamp column outside a primary key";
            }
        }
    }

    private static IEnumerable<string> TableProblems(ManifestTable table, Dictionary<string, ManifestTable> tables)
    {
        var at = $"table {Show(table.Name)}";
        if (!Roles.Contains(table.Role))
        {
            yield return $"{at} has the unknown role {Show(table.Role)}";
        }

        if (table.Columns.Count == 0 || table.Columns.Count > MaxColumns)
        {
            yield return $"{at} has {table.Columns.Count} columns (1 to {MaxColumns})";
            yield break;
        }

        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in table.Columns)
        {
            if (BadName(column.Name, $"{at}: a column") is { } bad)
            {
                yield return bad;
            }
            else if (!columns.Add(column.Name))
            {
                yield return $"{at} lists column {Show(column.Name)} twice";
            }
        }

        if (Unknown(table.PrimaryKey, columns) is { } pk)
        {
            yield return $"{at}: its primary key names {pk}";
        }

        foreach (var unique in table.Uniques)
        {
            if (unique.Columns.Count == 0 || Unknown(unique.Columns, columns) is not null)
            {
                yield return $"{at}: unique key {Show(unique.Name)} names {Unknown(unique.Columns, columns) ?? "no column"}";
            }
        }

        foreach (var key in table.ForeignKeys)
        {
            if (KeyProblem(table, key, columns, tables) is { } problem)
            {
                yield return $"{at}: foreign key {Show(key.Name)} {problem}";
            }
        }
    }

    private static string? KeyProblem(ManifestTable table, ManifestForeignKey key, HashSet<string> columns, Dictionary<string, ManifestTable> tables)
    {
        if (key.Table != table.Name)
        {
            return $"says it belongs to table {Show(key.Table)}";
        }

        if (key.Unchecked is not null)
        {
            return "says unchecked, which only a cycle break says";
        }

        if (key.Columns.Count == 0 || key.Columns.Count != key.RefColumns.Count)
        {
            return $"has {key.Columns.Count} column(s) for {key.RefColumns.Count} referenced column(s)";
        }

        if (Unknown(key.Columns, columns) is { } column)
        {
            return $"names {column}";
        }

        if (!tables.TryGetValue(key.RefTable, out var parent))
        {
            return $"points into {Show(key.RefTable)}, which is not a table of the archive";
        }

        if (Unknown(key.RefColumns, parent.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal)) is { } refColumn)
        {
            return $"points at {refColumn} of {Show(key.RefTable)}";
        }

        return key.Reference is { } reference ? ReferenceProblem(reference, key, columns) : null;
    }

    private static string? ReferenceProblem(ManifestReference reference, ManifestForeignKey key, HashSet<string> columns)
    {
        if (reference.Kind is not ("column" or "array" or "json"))
        {
            return $"has the unknown reference kind {Show(reference.Kind)}";
        }

        if (reference.Kind != "column" && key.Columns.Count != 1)
        {
            return $"holds its keys in {key.Columns.Count} columns (an {reference.Kind} reference has one)";
        }

        if (reference.Kind == "json")
        {
            try
            {
                JsonKeyPath.Parse(reference.Path ?? "");
            }
            catch (FormatException)
            {
                return $"has the JSON path {Show(reference.Path ?? "")}, which is not $ followed by .name segments and an optional [*]";
            }
        }

        if (reference.ArrayForm is not (null or "sql" or "json"))
        {
            return $"has the unknown array form {Show(reference.ArrayForm)}";
        }

        if ((reference.TypeColumn is null) != (reference.TypeValue is null) || (reference.TypeColumn is not null && reference.Kind != "column"))
        {
            return "has a type column without a type value, or one on a key that is not a plain column";
        }

        if (reference.None is { } none && (reference.Kind != "column" || reference.TypeColumn is not null || key.Columns.Count != 1 || none.Count == 0))
        {
            return "has values meaning none on a key that is not a plain single-column key, or an empty list of them";
        }

        if (reference.TypeColumn is { } typeColumn && !columns.Contains(typeColumn))
        {
            return $"names the type column {Show(typeColumn)}, which the table does not have";
        }

        return reference.TypeValue is { } value && HasControl(value) ? "has a type value with a control character" : null;
    }

    private static string? Unknown(IReadOnlyList<string> names, HashSet<string> columns)
    {
        foreach (var name in names)
        {
            if (!columns.Contains(name))
            {
                return $"column {Show(name)}, which the table does not have";
            }
        }

        return names.Distinct(StringComparer.Ordinal).Count() == names.Count ? null : "a column twice";
    }

    private static bool HasNullElement(Manifest m) =>
        m.Tables.Any(t => t is null) || m.CycleBreaks.Any(k => k is null) || m.Excluded.Any(n => n is null)
        || m.Followed.Any(n => n is null) || m.Root.Ids.Any(i => i is null) || (m.Files?.Any(f => f is null) ?? false)
        || m.Tables.Any(t => t.Columns.Any(c => c is null) || t.PrimaryKey.Any(c => c is null) || t.Uniques.Any(u => u is null || u.Columns.Any(c => c is null))
                             || t.ForeignKeys.Any(k => k is null))
        || m.Tables.SelectMany(t => t.ForeignKeys).Concat(m.CycleBreaks).Any(k => k.Columns.Any(c => c is null) || k.RefColumns.Any(c => c is null));

    private static string? BadName(string? name, string what) =>
        string.IsNullOrEmpty(name) ? $"{what} has an empty name"
        : HasControl(name) ? $"{what} has a name with a control character ({Show(name)})"
        : null;

    private static bool HasControl(string text) => text.AsSpan().ContainsAnyInRange('\0', '\u001f') || text.Contains('\u007f', StringComparison.Ordinal);

    /// <summary>A name from the archive as a message shows it: quoted, control characters escaped, long names cut.</summary>
    internal static string Show(string? text) => ArchiveText.Show(text);

    private sealed class KeyComparer : IEqualityComparer<ManifestForeignKey>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(ManifestForeignKey? x, ManifestForeignKey? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Table == y.Table && x.RefTable == y.RefTable
            && x.Columns.SequenceEqual(y.Columns) && x.RefColumns.SequenceEqual(y.RefColumns);

        public int GetHashCode(ManifestForeignKey obj) => HashCode.Combine(obj.Name, obj.Table);
    }
}
