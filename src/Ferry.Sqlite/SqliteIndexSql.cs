namespace Ferry.Sqlite;

/// <summary>The key parts of an index as its <c>CREATE INDEX</c> text (in <c>sqlite_master</c>) writes them. Pure.</summary>
internal static class SqliteIndexSql
{
    /// <summary>
    /// The key parts between the parentheses after <c>ON table</c>, each without its <c>ASC</c>/<c>DESC</c> (a
    /// <c>COLLATE</c> stays: it decides what is equal) and without comments; null when the text does not read as such a list.
    /// </summary>
    public static IReadOnlyList<string>? KeyParts(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var parts = new List<string>();
        var depth = 0;
        var start = -1;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c is '\'' or '"' or '`' or '[')
            {
                i = Closing(sql, i);
                if (i < 0)
                {
                    return null;
                }
                continue;
            }
            // A comment is no part of the list: its text becomes spaces (a line comment would hide what follows a part).
            if ((c == '-' && i + 1 < sql.Length && sql[i + 1] == '-') || (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*'))
            {
                var end = c == '-'
                    ? (sql.IndexOf('\n', i) is var line and >= 0 ? line : sql.Length)
                    : (sql.IndexOf("*/", i + 2, StringComparison.Ordinal) is var close and >= 0 ? close + 2 : -1);
                if (end < 0)
                {
                    return null;
                }
                sql = string.Concat(sql.AsSpan(0, i), new string(' ', end - i), sql.AsSpan(end));
                i = end - 1;
                continue;
            }
            if (c == '(')
            {
                if (++depth == 1)
                {
                    start = i + 1;
                }
            }
            else if (c == ')' && depth > 0)
            {
                if (--depth == 0)
                {
                    parts.Add(Part(sql[start..i]));
                    return parts.Any(p => p.Length == 0) ? null : parts;
                }
            }
            else if (c == ',' && depth == 1)
            {
                parts.Add(Part(sql[start..i]));
                start = i + 1;
            }
        }
        return null;
    }

    // The index of the quote that closes the one at open (a doubled quote inside, 'it''s', is part of the text), or -1.
    private static int Closing(string sql, int open)
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
}
