using System.Text.RegularExpressions;

namespace Ferry.Sqlite;

/// <summary>
/// What Ferry reads out of the CREATE texts SQLite keeps in <c>sqlite_master</c> (as written, comments included): an
/// index's key parts, a table's CHECK constraints. Quotes ('…', "…", `…`, […]) and comments are respected. Pure.
/// </summary>
internal static partial class SqliteSqlText
{
    /// <summary>
    /// The key parts between the parentheses after <c>ON table</c>, each without its <c>ASC</c>/<c>DESC</c> (a
    /// <c>COLLATE</c> stays: it decides what is equal) and without comments; null when the text does not read as such a list.
    /// </summary>
    public static IReadOnlyList<string>? KeyParts(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        if (WithoutComments(sql) is not { } text || FirstOpen(text) is not { } open || Closing(text, open) is not { } close)
        {
            return null;
        }
        var parts = Split(text[(open + 1)..close]).Select(Part).ToList();
        return parts.Any(p => p.Length == 0) ? null : parts;
    }

    /// <summary>
    /// The CHECK constraints of a <c>CREATE TABLE</c> text, column and table ones, in order: the name a
    /// <c>CONSTRAINT name</c> gives (null without one) and the condition in its parentheses, without comments.
    /// </summary>
    public static IReadOnlyList<(string? Name, string Condition)> Checks(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var checks = new List<(string?, string)>();
        if (WithoutComments(sql) is not { } text)
        {
            return checks;
        }
        for (var i = 0; i < text.Length; i++)
        {
            if (Quote(text[i]))
            {
                i = QuoteEnd(text, i);
                if (i < 0)
                {
                    return [];
                }
                continue;
            }
            if (!IsWordAt(text, i, "CHECK"))
            {
                continue;
            }
            var open = i + 5;
            while (open < text.Length && char.IsWhiteSpace(text[open]))
            {
                open++;
            }
            if (open >= text.Length || text[open] != '(' || Closing(text, open) is not { } close)
            {
                continue;
            }
            var name = ConstraintName().Match(text[..i]) is { Success: true } m ? Unquote(m.Groups["n"].Value) : null;
            checks.Add((name, text[(open + 1)..close].Trim()));
            i = close;
        }
        return checks;
    }

    /// <summary>
    /// The generated columns of a <c>CREATE TABLE</c> text with the expressions they are computed by
    /// (<c>name TYPE GENERATED ALWAYS AS (expr)</c>, or <c>AS (expr)</c>), without comments; empty when the text does
    /// not read as a column list.
    /// </summary>
    public static IReadOnlyDictionary<string, string> GeneratedColumns(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var generated = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (WithoutComments(sql) is not { } text || FirstOpen(text) is not { } open || Closing(text, open) is not { } close)
        {
            return generated;
        }
        foreach (var item in Split(text[(open + 1)..close]).Select(i => i.Trim()))
        {
            if (ColumnName().Match(item) is not { Success: true } name
                || Regex.IsMatch(name.Value, "^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
            {
                continue;
            }
            // AS at the item's own level (not inside a DEFAULT's parentheses or a quote), then the expression's parentheses.
            var depth = 0;
            for (var i = name.Length; i < item.Length; i++)
            {
                if (Quote(item[i]))
                {
                    i = QuoteEnd(item, i);
                    if (i < 0)
                    {
                        break;
                    }
                }
                else if (item[i] == '(')
                {
                    depth++;
                }
                else if (item[i] == ')')
                {
                    depth--;
                }
                else if (depth == 0 && IsWordAt(item, i, "AS"))
                {
                    var at = i + 2;
                    while (at < item.Length && char.IsWhiteSpace(item[at]))
                    {
                        at++;
                    }
                    if (at < item.Length && item[at] == '(' && Closing(item, at) is { } end)
                    {
                        generated[Unquote(name.Value)] = item[(at + 1)..end].Trim();
                    }
                    break;
                }
            }
        }
        return generated;
    }

    // The text with every comment made spaces (a line comment would hide what follows it); null when one is not closed.
    private static string? WithoutComments(string sql)
    {
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (Quote(c))
            {
                i = QuoteEnd(sql, i);
                if (i < 0)
                {
                    return null;
                }
                continue;
            }
            if ((c == '-' && i + 1 < sql.Length && sql[i + 1] == '-') || (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*'))
            {
                var end = c == '-'
                    ? (sql.IndexOf('\n', i) is var line and >= 0 ? line : sql.Length)
                    : (sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var shut and >= 0 ? shut + 2 : -1);
                if (end < 0)
                {
                    return null;
                }
                sql = string.Concat(sql.AsSpan(0, i), new string(' ', end - i), sql.AsSpan(end));
                i = end - 1;
            }
        }
        return sql;
    }

    // The index of the parenthesis that closes the one at open, quotes respected; null when there is none.
    private static int? Closing(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            if (Quote(text[i]))
            {
                i = QuoteEnd(text, i);
                if (i < 0)
                {
                    return null;
                }
            }
            else if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }
        return null;
    }

    // The index of the first parenthesis outside quotes (an index's name may hold one); null when there is none.
    private static int? FirstOpen(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Quote(text[i]))
            {
                i = QuoteEnd(text, i);
                if (i < 0)
                {
                    return null;
                }
            }
            else if (text[i] == '(')
            {
                return i;
            }
        }
        return null;
    }

    // The list's items, split at its own commas (not those inside parentheses or quotes).
    private static List<string> Split(string list)
    {
        var items = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            if (Quote(list[i]))
            {
                i = QuoteEnd(list, i);
            }
            else if (list[i] == '(')
            {
                depth++;
            }
            else if (list[i] == ')')
            {
                depth--;
            }
            else if (list[i] == ',' && depth == 0)
            {
                items.Add(list[start..i]);
                start = i + 1;
            }
        }
        items.Add(list[start..]);
        return items;
    }

    private static bool Quote(char c) => c is '\'' or '"' or '`' or '[';

    // The index of the quote that closes the one at open (a doubled quote inside, 'it''s', is part of the text), or -1.
    private static int QuoteEnd(string sql, int open)
    {
        var close = sql[open] == '[' ? ']' : sql[open];
        for (var i = open + 1; i < sql.Length; i++)
        {
            if (sql[i] != close)
            {
                continue;
            }
            if (close != ']' && i + 1 < sql.Length && sql[i + 1] == close)
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    private static bool IsWordAt(string text, int i, string word) =>
        string.Compare(text, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (i == 0 || !IsWordChar(text[i - 1])) && (i + word.Length >= text.Length || !IsWordChar(text[i + word.Length]));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    private static string Part(string text)
    {
        var part = text.Trim();
        foreach (var order in new[] { "ASC", "DESC" })
        {
            if (part.Length > order.Length && part.EndsWith(order, StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(part[^(order.Length + 1)]))
            {
                return part[..^order.Length].TrimEnd();
            }
        }
        return part;
    }

    private static string Unquote(string name) => name.Length >= 2 && Quote(name[0])
        ? name[1..^1].Replace(name[0] == '[' ? "]]" : new string(name[0], 2), name[0] == '[' ? "]" : name[0].ToString(), StringComparison.Ordinal)
        : name;

    [GeneratedRegex(@"^(""(?:[^""]|"""")+""|`(?:[^`]|``)+`|\[[^\]]+\]|[\w$]+)")]
    private static partial Regex ColumnName();

    [GeneratedRegex(@"\bCONSTRAINT\s+(?<n>""(?:[^""]|"""")+""|`(?:[^`]|``)+`|\[[^\]]+\]|'(?:[^']|'')+'|[\w$]+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ConstraintName();
}
