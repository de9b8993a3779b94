using System.Globalization;
using System.Text;

namespace Ferry.Archive;

/// <summary>
/// Constants and member names of the archive format, as specified in <c>docs/format.md</c>.
/// </summary>
public static partial class ArchiveFormat
{
    /// <summary>
    /// The newest format version this Ferry reads and writes: 4, which adds incremental archives
    /// (<see cref="Manifest.Incremental"/>, key members); 3 added file paths derived from a row's values
    /// (<see cref="ManifestFileColumn.Template"/>). Each archive is written with the oldest version
    /// that holds it (<see cref="VersionFor(IReadOnlyList{ManifestFileColumn}, bool)"/>), so older readers keep reading what they can.
    /// </summary>
    public const int Version = 4;

    /// <summary>The version that added derived file paths.</summary>
    public const int VersionWithTemplates = 3;

    /// <summary>The version that added file members (file columns holding paths).</summary>
    public const int VersionWithFiles = 2;

    /// <summary>The version of an archive that holds no files (the original layout, readable by every Ferry).</summary>
    public const int VersionWithoutFiles = 1;

    /// <summary>The version an archive with these file rules is written as: 1 without files, 2 with file columns, 3 with derived paths.</summary>
    public static int VersionFor(IReadOnlyList<ManifestFileColumn>? files) =>
        files is null ? VersionWithoutFiles : files.Any(f => f.Template is not null) ? VersionWithTemplates : VersionWithFiles;

    /// <summary>The value of <c>format</c> in <c>manifest.json</c>, so that the file identifies itself.</summary>
    public const string Name = "ferry-archive";

    /// <summary>The most uncompressed bytes Ferry puts in one data member or index chunk (a larger row gets a member of its own).</summary>
    public const int ChunkBytes = 8 << 20;

    /// <summary>The first tar member.</summary>
    public const string ManifestMember = "manifest.json";

    /// <summary>The last tar member.</summary>
    public const string TrailerMember = "trailer.json";

    /// <summary>The file name recorded in the OpenPGP Literal Data packet.</summary>
    public const string LiteralName = "ferry.tar";

    /// <summary>Longest table-name part of a member path: keeps every path within ustar's 100 bytes.</summary>
    private const int MaxNameInPath = 64;

    /// <summary>
    /// <c>data/NNNN-NAME/CCCCCC.jsonl</c>: <paramref name="tableNumber"/> and <paramref name="chunk"/> are 1-based;
    /// NAME is the table name with characters outside <c>[A-Za-z0-9_.-]</c> replaced by <c>_</c>, cut to 64.
    /// </summary>
    public static string DataMemberPath(int tableNumber, string tableName, int chunk)
    {
        var name = new StringBuilder(Math.Min(tableName.Length, MaxNameInPath));
        foreach (var c in tableName.AsSpan(0, Math.Min(tableName.Length, MaxNameInPath)))
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_');
        }

        return string.Create(CultureInfo.InvariantCulture, $"data/{tableNumber:D4}-{name}/{chunk:D6}.jsonl");
    }

    /// <summary>
    /// Parses a data member path into its table number and chunk number; false for any other name.
    /// Readers go by these numbers only, never by the NAME part.
    /// </summary>
    public static bool TryParseDataMemberPath(string path, out int tableNumber, out int chunk)
    {
        tableNumber = 0;
        chunk = 0;
        // data/NNNN-X/CCCCCC.jsonl: fixed parts around a NAME of 0..64 characters.
        const string Prefix = "data/";
        const string Suffix = ".jsonl";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var slash = path.LastIndexOf('/');
        if (slash < Prefix.Length + 5 || path[Prefix.Length + 4] != '-'
            || path.Length - Suffix.Length - (slash + 1) != 6)
        {
            return false;
        }

        var number = path.AsSpan(Prefix.Length, 4);
        var chunkText = path.AsSpan(slash + 1, 6);
        return IsDigits(number) && IsDigits(chunkText)
            && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out tableNumber)
            && int.TryParse(chunkText, NumberStyles.None, CultureInfo.InvariantCulture, out chunk)
            && tableNumber > 0 && chunk > 0;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');
}
