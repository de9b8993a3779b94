using System.Globalization;
using Npgsql;

namespace Ferry.Postgres;

/// <summary>
/// A PostgreSQL connection, every part known: what the URL gave (<see cref="PostgresUrl"/>), then, as libpq
/// does, the service (<c>?service=</c> or <c>PGSERVICE</c>), the environment (<c>PGHOST</c>, <c>PGPORT</c>,
/// <c>PGUSER</c>, <c>PGDATABASE</c>, <c>PGSSLMODE</c>) and defaults (the Unix socket directory, 5432, the
/// login name, a database named after the user). The password comes, first found, from the URL, the
/// caller (<c>--to-password-file</c>, <c>FERRY_TO_PASSWORD</c>), the service, <c>PGPASSWORD</c>, then the
/// password file (<c>?passfile=</c>, <c>PGPASSFILE</c>, <c>~/.pgpass</c>; mode 0600 required).
/// </summary>
/// <param name="Host">A host name or address, or a directory holding the server's Unix socket.</param>
/// <param name="PasswordSource">Where the password came from, for <c>--verbose</c>; null when there is none.</param>
public sealed record PostgresConnectionString(
    string User,
    string? Password,
    string Host,
    int Port,
    string Database,
    string Schema,
    SslMode? SslMode,
    string? PasswordSource = null)
{
    public const int DefaultPort = 5432;
    public const string DefaultSchema = "public";

    /// <summary>True when the string starts with one of the PostgreSQL URL schemes.</summary>
    public static bool HasScheme(string value) => PostgresUrl.HasScheme(value);

    /// <summary>Parses a URL and completes it with defaults only (no environment, no files).</summary>
    public static PostgresConnectionString Parse(string value) => Resolve(PostgresUrl.Parse(value), null, PostgresEnvironment.None);

    /// <summary>
    /// Completes <paramref name="url"/> as libpq would; <paramref name="password"/> is one the caller was
    /// given separately (null: none). A service that does not exist, or a password file that others can read
    /// and that holds this connection's password, is a usage error.
    /// </summary>
    public static PostgresConnectionString Resolve(PostgresUrl url, string? password, PostgresEnvironment environment)
    {
        var service = (url.Service ?? environment.Variable("PGSERVICE")) is { Length: > 0 } name
            ? PostgresServiceFile.Find(name, environment)
            : new PostgresUrl();
        string? Env(string variable) => environment.Variable(variable) is { Length: > 0 } v ? v : null;

        var port = url.Port ?? service.Port ?? (Env("PGPORT") is { } p
            ? int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 65535 ? n : throw new FerryException($"PGPORT '{p}' is not a port number", ExitCodes.Usage)
            : DefaultPort);
        var host = url.Host ?? service.Host ?? Env("PGHOST") ?? environment.DefaultSocketDirectory(port);
        var user = url.User ?? service.User ?? Env("PGUSER") ?? Environment.UserName;
        var database = url.Database ?? service.Database ?? Env("PGDATABASE") ?? user;
        var sslMode = url.SslMode ?? service.SslMode ?? (Env("PGSSLMODE") is { } mode ? PostgresUrl.ParseSslMode(mode) : null);

        if (url.Password is not null && password is not null)
        {
            throw new FerryException("the connection string holds a password and another one was given apart from it (a password file or variable): keep one", ExitCodes.Usage);
        }
        var (secret, source) =
            url.Password is not null ? (url.Password, "the connection string")
            : password is not null ? (password, "the caller")
            : service.Password is not null ? (service.Password, "the service file")
            : Env("PGPASSWORD") is { } fromEnvironment ? (fromEnvironment, "PGPASSWORD")
            : FromPassFile(url.Passfile ?? service.Passfile, environment, host, port, database, user);
        return new PostgresConnectionString(user, secret, host, port, database, url.Schema ?? DefaultSchema, sslMode, secret is null ? null : source);
    }

    private static (string? Password, string? Source) FromPassFile(string? passfile, PostgresEnvironment environment, string host, int port, string database, string user)
    {
        var file = passfile ?? environment.Variable("PGPASSFILE") ?? (environment.Home is { } home ? Path.Combine(home, ".pgpass") : null);
        if (file is null || environment.ReadFile(file) is not { } text || PostgresPassFile.Find(text, host, port, database, user) is not { } found)
        {
            return (null, null);
        }
        // libpq ignores such a file; saying so is clearer than the server's "password authentication failed".
        return environment.IsPrivate(file)
            ? (found, file)
            : throw new FerryException($"password file {file} can be read by other users; it must be readable by its owner only: chmod 600 {file}", ExitCodes.Usage);
    }

    /// <summary>The connection without its password: <c>postgres://USER@HOST:PORT/DB?schema=S</c> (a socket directory as <c>?host=</c>).</summary>
    public string Description
    {
        get
        {
            var ssl = SslMode is { } mode ? "&sslmode=" + PostgresUrl.SslModeName(mode) : "";
            var port = Port.ToString(CultureInfo.InvariantCulture);
            var (user, database, schema) = (Uri.EscapeDataString(User), Uri.EscapeDataString(Database), Uri.EscapeDataString(Schema));
            if (IsSocket)
            {
                return $"postgres://{user}@/{database}?host={Host}&port={port}&schema={schema}{ssl}";
            }
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            return $"postgres://{user}@{host}:{port}/{database}?schema={schema}{ssl}";
        }
    }

    /// <summary>
    /// The database and schema without the user, password or TLS settings, which do not change what it holds:
    /// <c>postgres://HOST:PORT/DB?schema=S</c> (a socket directory as <c>?host=</c>).
    /// </summary>
    public string Instance
    {
        get
        {
            var port = Port.ToString(CultureInfo.InvariantCulture);
            var (database, schema) = (Uri.EscapeDataString(Database), Uri.EscapeDataString(Schema));
            var host = IsSocket ? "" : Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{port}" : $"{Host}:{port}";
            return IsSocket ? $"postgres:///{database}?host={Host}&port={port}&schema={schema}" : $"postgres://{host}/{database}?schema={schema}";
        }
    }

    /// <summary>True when <see cref="Host"/> is a Unix socket directory.</summary>
    public bool IsSocket => Host.StartsWith('/');

    /// <summary>
    /// The Npgsql connection string. Pooling is off: Ferry opens one or two connections per run,
    /// and a pool would keep sessions alive on databases that tests drop. No command timeout:
    /// a COPY or an INSERT…SELECT of a large tenant legitimately runs for minutes.
    /// </summary>
    public string ToNpgsql()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = User,
            Pooling = false,
            CommandTimeout = 0,
            ApplicationName = "ferry",
        };
        if (Password is not null)
        {
            builder.Password = Password;
        }
        if (SslMode is { } sslMode)
        {
            builder.SslMode = sslMode;
        }
        return builder.ConnectionString;
    }
}
