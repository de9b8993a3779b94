using System.Text.RegularExpressions;
using Ferry.Schema;

namespace Ferry.Profiles;

/// <summary>
/// What <c>ferry profile init</c> guesses from names and sampled values: columns that may be natural keys
/// (<c>email</c>, <c>slug</c>, a table's own name column) and columns that may hold paths of stored files.
/// Guesses only, each shown to people as a commented suggestion. Pure.
/// </summary>
public static partial class ProfileGuess
{
    // Words that name a natural key of people or shared things, most telling first.
    private static readonly string[] KeyWords = ["email", "e_mail", "mail", "username", "user_name", "login", "handle", "slug", "code", "name", "title"];

    // Words that name a stored file.
    private static readonly string[] FileWords =
        ["file", "filename", "path", "filepath", "photo", "image", "img", "picture", "avatar", "attachment", "upload", "document", "thumbnail", "thumb", "logo", "icon", "cover", "media", "banner"];

    /// <summary>
    /// How telling <paramref name="column"/>'s name is as a natural key of <paramref name="table"/>: 0 for
    /// the best (<c>email</c>), higher for weaker ones, null when the name says nothing. A column named like
    /// its table (<c>country.country</c>) is a name.
    /// </summary>
    public static int? KeyRank(string table, string column)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        var name = column.ToLowerInvariant();
        for (var i = 0; i < KeyWords.Length; i++)
        {
            if (name == KeyWords[i] || name.EndsWith("_" + KeyWords[i], StringComparison.Ordinal))
            {
                return i;
            }
        }
        var plural = table.ToLowerInvariant();
        string[] singular = [plural, plural.TrimEnd('s'), plural.EndsWith("ies", StringComparison.Ordinal) ? plural[..^3] + "y" : plural];
        return singular.Contains(name) ? KeyWords.Length : null;
    }

    /// <summary>True for names of e-mail columns, which are compared without regard to case.</summary>
    public static bool IsEmail(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var name = column.ToLowerInvariant();
        return name.Contains("email", StringComparison.Ordinal) || name.Contains("e_mail", StringComparison.Ordinal) || name == "mail";
    }

    /// <summary>True when one of the words of <paramref name="column"/>'s name names a stored file (<c>photo</c>, <c>avatar_path</c>); not a URL.</summary>
    public static bool NamedLikeFile(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var words = Words().Split(column).Where(w => w.Length > 0).Select(w => w.ToLowerInvariant()).ToList();
        return !words.Any(w => w is "url" or "uri" or "href" or "link" or "type" or "size" or "mime" or "hash" or "width" or "height")
               && words.Any(w => FileWords.Contains(w) || FileWords.Any(f => w == f + "s"));
    }

    /// <summary>
    /// True when <paramref name="value"/> reads like a path of a stored file relative to some directory:
    /// <c>2024/05/sunrise.jpg</c>, <c>avatar.png</c>. Not a URL, an absolute or Windows path, a number or
    /// a domain name alone (a value without a directory counts only when <paramref name="namedLikeFile"/>).
    /// </summary>
    public static bool LooksLikeRelativePath(string value, bool namedLikeFile)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= 1024 && RelativePath().IsMatch(value) && (namedLikeFile || value.Contains('/', StringComparison.Ordinal))
               && !value.Split('/').Any(s => s is "." or "..");
    }

    /// <summary>True when <paramref name="value"/> is an absolute path with a file extension (<c>/srv/app/media/a.jpg</c>).</summary>
    public static bool LooksLikeAbsolutePath(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 1 && value[0] == '/' && RelativePath().IsMatch(value[1..]);
    }

    /// <summary>The column types whose values may be natural keys or file paths.</summary>
    public static bool IsText(Column column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Type == FerryType.Text;
    }

    // Segments without ':', '\', whitespace other than spaces or control characters; a last segment with an
    // extension that holds a letter (not "3.14" or "1.2.3").
    [GeneratedRegex(@"^(?:[^/\\:\x00-\x1f]+/)*[^/\\:\x00-\x1f]*[^/\\:\x00-\x1f.]\.(?=[A-Za-z0-9]{0,7}[A-Za-z])[A-Za-z0-9]{1,8}$", RegexOptions.CultureInvariant)]
    private static partial Regex RelativePath();

    [GeneratedRegex("[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex Words();
}
