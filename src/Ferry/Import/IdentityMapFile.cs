using System.Runtime.CompilerServices;
using System.Text;

namespace Ferry.Import;

/// <summary>
/// A <c>--map TABLE=FILE</c> file: CSV (RFC 4180: comma-separated, fields may be quoted with
/// <c>"</c>, a quote inside doubled), one <c>source key,target key</c> pair per line. A first line
/// <c>source,target</c> is a header; blank lines are skipped. Read as a stream, one line at a time.
/// </summary>
public static class IdentityMapFile
{
    /// <summary>The pairs of <paramref name="path"/> as rows of two strings.</summary>
    /// <exception cref="FerryException">The file cannot be read, or a line is not two fields (naming FILE:LINE).</exception>
    public static async IAsyncEnumerable<object?[]> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FerryException($"cannot read --map file {path}: {e.Message}", ExitCodes.Usage);
        }
        using (reader)
        {
            var number = 0;
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                number++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }
                var fields = (Split(line) ?? throw Bad(path, number, "an unclosed quote")).Select(f => f.Trim()).ToList();
                if (fields.Count != 2 || fields.Any(f => f.Length == 0))
                {
                    throw Bad(path, number, $"expected 'source key,target key', found {fields.Count} field(s)");
                }
                if (number == 1 && fields[0] == "source" && fields[1] == "target")
                {
                    continue;
                }
                yield return [fields[0], fields[1]];
            }
        }
    }

    /// <summary>The fields of one CSV line; null when a quote is not closed.</summary>
    public static IReadOnlyList<string>? Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        if (quoted)
        {
            return null;
        }
        fields.Add(field.ToString());
        return fields;
    }

    private static FerryException Bad(string path, int line, string what) =>
        new($"--map file {Path.GetFileName(path)}:{line}: {what}", ExitCodes.Usage);
}
