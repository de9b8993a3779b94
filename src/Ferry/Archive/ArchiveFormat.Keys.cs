using System.Globalization;

namespace Ferry.Archive;

// Format version 4 (incremental archives, docs/format.md §4.1): after a table's data members come its key members,
// keys/NNNN-NAME/CCCCCC.jsonl, one line per row unchanged since the base export, holding the row's primary key only.
public static partial class ArchiveFormat
{
    /// <summary>The version that added incremental archives (<see cref="Manifest.Incremental"/> and key members).</summary>
    public const int VersionIncremental = 4;

    private const string KeysPrefix = "keys/";

    /// <summary>
    /// <c>keys/NNNN-NAME/CCCCCC.jsonl</c>: chunk <paramref name="chunk"/> of the key rows of table <paramref name="tableNumber"/>
    /// (both 1-based), named as <see cref="DataMemberPath"/> names data members.
    /// </summary>
    public static string KeysMemberPath(int tableNumber, string tableName, int chunk) =>
        KeysPrefix + DataMemberPath(tableNumber, tableName, chunk)["data/".Length..];

    /// <summary>
    /// Parses a data or key member's path into its table number, chunk number and whether it is a key member;
    /// false for any other name.
    /// </summary>
    public static bool TryParseRowMemberPath(string path, out int tableNumber, out int chunk, out bool keys)
    {
        keys = path.StartsWith(KeysPrefix, StringComparison.Ordinal);
        return TryParseDataMemberPath(keys ? string.Concat("data/", path.AsSpan(KeysPrefix.Length)) : path, out tableNumber, out chunk);
    }

    /// <summary>
    /// The shape a key member's lines have: <paramref name="table"/> with only its primary key columns, in key order.
    /// </summary>
    public static ManifestTable KeyTable(ManifestTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table with { Columns = table.PrimaryKey.Select(k => table.Columns.First(c => c.Name == k)).ToList() };
    }

    /// <summary>True when the rows of <paramref name="table"/> in an archive of <paramref name="manifest"/> are followed by key members.</summary>
    public static bool HasKeys(Manifest manifest, ManifestTable table) => manifest.Incremental is not null && table.Changed is not null;

    /// <summary>The version an archive is written as: <see cref="VersionFor(IReadOnlyList{ManifestFileColumn})"/>, or 4 when it is incremental.</summary>
    public static int VersionFor(IReadOnlyList<ManifestFileColumn>? files, bool incremental) =>
        incremental ? VersionIncremental : VersionFor(files);

    /// <summary>A new export id: 128 random bits as 32 lower-case hex digits.</summary>
    public static string NewExportId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>True for an export id as Ferry writes them: 32 lower-case hex digits.</summary>
    public static bool IsExportId(string? id) => id is { Length: 32 } && !id.AsSpan().ContainsAnyExcept("0123456789abcdef");

    /// <summary>A time as the manifest and the ledger spell it: UTC, microseconds, <c>2024-05-01T10:00:00.123456Z</c>.</summary>
    public static string Instant(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
