using System.Globalization;

namespace Ferry.Archive;

// Member names of format version 2's files: the index chunks, then one member per distinct content.
public static partial class ArchiveFormat
{
    private const string FileIndexPrefix = "files/index/";
    private const string FileIndexSuffix = ".jsonl";
    private const string FileContentPrefix = "files/sha256/";

    /// <summary><c>files/index/CCCCCC.jsonl</c>: chunk <paramref name="chunk"/> (1-based) of the file index.</summary>
    public static string FileIndexMemberPath(int chunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{FileIndexPrefix}{chunk:D6}{FileIndexSuffix}");

    /// <summary><c>files/sha256/HEX</c>: the content whose SHA-256 is <paramref name="sha256"/> (64 lower-case hex digits).</summary>
    public static string FileContentMemberPath(string sha256) => FileContentPrefix + sha256;

    /// <summary>True for a member of the files section (index chunk or content), well formed or not.</summary>
    public static bool IsFileMember(string path) => path.StartsWith("files/", StringComparison.Ordinal);

    /// <summary>Parses an index chunk's path into its chunk number; false for any other name.</summary>
    public static bool TryParseFileIndexMemberPath(string path, out int chunk)
    {
        chunk = 0;
        if (path.Length != FileIndexPrefix.Length + 6 + FileIndexSuffix.Length
            || !path.StartsWith(FileIndexPrefix, StringComparison.Ordinal) || !path.EndsWith(FileIndexSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var digits = path.AsSpan(FileIndexPrefix.Length, 6);
        return IsDigits(digits) && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out chunk) && chunk > 0;
    }

    /// <summary>Parses a content member's path into its SHA-256; false for any other name.</summary>
    public static bool TryParseFileContentMemberPath(string path, out string sha256)
    {
        sha256 = "";
        if (!path.StartsWith(FileContentPrefix, StringComparison.Ordinal) || !IsSha256(path.AsSpan(FileContentPrefix.Length)))
        {
            return false;
        }

        sha256 = path[FileContentPrefix.Length..];
        return true;
    }

    /// <summary>True for 64 lower-case hex digits.</summary>
    public static bool IsSha256(ReadOnlySpan<char> text) =>
        text.Length == 64 && !text.ContainsAnyExcept("0123456789abcdef");
}
