namespace Ferry.Postgres;

/// <summary>
/// libpq's password file (<c>~/.pgpass</c>, <c>PGPASSFILE</c>): lines <c>host:port:database:user:password</c>,
/// <c>*</c> matching anything, <c>\:</c> and <c>\\</c> escaped, the first matching line wins. A Unix socket
/// connection matches the host <c>localhost</c>, as in libpq.
/// </summary>
public static class PostgresPassFile
{
    /// <summary>The password of the first line of <paramref name="text"/> that matches; null when none does.</summary>
    public static string? Find(string text, string host, int port, string database, string user)
    {
        var matchHost = host.StartsWith('/') ? "localhost" : host;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var fields = Split(line);
            if (fields.Count < 5)
            {
                continue;
            }
            if (Matches(fields[0], matchHost) && Matches(fields[1], port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                && Matches(fields[2], database) && Matches(fields[3], user))
            {
                return fields[4];
            }
        }
        return null;
    }

    private static bool Matches(string field, string value) => field == "*" || field == value;

    // Splits on unescaped ':' into 5 fields at most (a password may hold ':'), undoing \: and \\.
    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else if (c == ':' && fields.Count < 4)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        fields.Add(current.ToString());
        return fields;
    }
}
