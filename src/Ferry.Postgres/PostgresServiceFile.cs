namespace Ferry.Postgres;

/// <summary>
/// libpq's connection service file (<c>pg_service.conf</c>): INI sections named by service, each with
/// <c>keyword=value</c> lines. Ferry reads host, hostaddr, port, dbname, user, password, sslmode and
/// passfile; another keyword is an error that names the file and line rather than being ignored.
/// </summary>
public static class PostgresServiceFile
{
    /// <summary>
    /// The service <paramref name="name"/>: from <c>PGSERVICEFILE</c> (else <c>~/.pg_service.conf</c>), then from
    /// <c>PGSYSCONFDIR/pg_service.conf</c> (else Debian's /etc/postgresql-common), as libpq looks; an unknown
    /// service is a usage error.
    /// </summary>
    public static PostgresUrl Find(string name, PostgresEnvironment environment)
    {
        var files = new List<string>();
        if (environment.Variable("PGSERVICEFILE") is { Length: > 0 } serviceFile)
        {
            files.Add(serviceFile);
        }
        else if (environment.Home is { } home)
        {
            files.Add(Path.Combine(home, ".pg_service.conf"));
        }
        files.Add(Path.Combine(environment.Variable("PGSYSCONFDIR") is { Length: > 0 } sysconf ? sysconf : "/etc/postgresql-common", "pg_service.conf"));
        foreach (var file in files)
        {
            if (environment.ReadFile(file) is { } text && Parse(text, name, file) is { } service)
            {
                return service;
            }
        }
        throw new FerryException($"PostgreSQL service '{name}' is not defined in {string.Join(" or ", files)}", ExitCodes.Usage);
    }

    /// <summary>The section <paramref name="name"/> of a service file's <paramref name="text"/>; null when it has none.</summary>
    public static PostgresUrl? Parse(string text, string name, string file)
    {
        PostgresUrl? found = null;
        string? section = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1].Trim();
                if (section == name)
                {
                    found ??= new PostgresUrl();
                }
                continue;
            }
            if (section != name)
            {
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw Mistake(file, i, "expected keyword=value");
            }
            var (key, value) = (line[..eq].Trim(), line[(eq + 1)..].Trim());
            found = key switch
            {
                "host" or "hostaddr" => found! with { Host = value },
                "port" => found! with { Port = int.TryParse(value, out var port) && port is > 0 and <= 65535 ? port : throw Mistake(file, i, $"'{value}' is not a port number") },
                "dbname" => found! with { Database = value },
                "user" => found! with { User = value },
                "password" => found! with { Password = value },
                "sslmode" => found! with { SslMode = PostgresUrl.ParseSslMode(value) },
                "passfile" => found! with { Passfile = value },
                _ => throw Mistake(file, i, $"Ferry does not support the keyword '{key}' (host, hostaddr, port, dbname, user, password, sslmode, passfile)"),
            };
        }
        return found;
    }

    private static FerryException Mistake(string file, int line, string what) =>
        new($"PostgreSQL service file {file}:{line + 1}: {what}", ExitCodes.Usage);
}
