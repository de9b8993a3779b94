using System.Globalization;
using Npgsql;

namespace Ferry.Postgres;

/// <summary>
/// A parsed <c>postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?schema=NAME&amp;sslmode=MODE]</c> URL (also
/// <c>postgresql://</c>). User, password and database are percent-decoded. Pure: no I/O.
/// </summary>
public sealed record PostgresConnectionString(
    string User,
    string? Password,
    string Host,
    int Port,
    string Database,
    string Schema,
    SslMode? SslMode)
{
    public const int DefaultPort = 5432;
    public const string DefaultSchema = "public";
    internal const string ExpectedForm = "postgres://USER:PASSWORD@HOST:PORT/DB[?schema=NAME&sslmode=MODE]";

    private static readonly string[] _schemes = ["postgres://", "postgresql://"];

    /// <summary>True when the string starts with one of the PostgreSQL URL schemes.</summary>
    public static bool HasScheme(string value) =>
        _schemes.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a URL; a malformed one is a usage error that states the expected form.</summary>
    public static PostgresConnectionString Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scheme = _schemes.FirstOrDefault(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            ?? throw Malformed("it does not start with postgres:// or postgresql://");
        var rest = value[scheme.Length..];

        string? query = null;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        // The last '@' ends the user info, so an unencoded '@' in a password still parses.
        var at = rest.LastIndexOf('@');
        if (at <= 0)
        {
            throw Malformed("a user is required");
        }
        var userInfo = rest[..at];
        var hostAndPath = rest[(at + 1)..];

        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
        var password = colon >= 0 ? Decode(userInfo[(colon + 1)..]) : null;
        if (user.Length == 0)
        {
            throw Malformed("a user is required");
        }

        var slash = hostAndPath.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw Malformed("a database name is required");
        }
        var database = Decode(hostAndPath[(slash + 1)..]);
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw Malformed("a database name is required");
        }
        var (host, port) = ParseHostPort(hostAndPath[..slash]);

        var (schema, sslMode) = ParseQuery(query);
        return new PostgresConnectionString(user, password, host, port, database, schema, sslMode);
    }

    /// <summary>The URL without its password: <c>postgres://USER@HOST:PORT/DB?schema=S</c>.</summary>
    public string Description
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var ssl = SslMode is { } mode ? "&sslmode=" + SslModeName(mode) : "";
            return $"postgres://{Uri.EscapeDataString(User)}@{host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(Database)}?schema={Uri.EscapeDataString(Schema)}{ssl}";
        }
    }

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

    private static (string Host, int Port) ParseHostPort(string hostPort)
    {
        string host;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Malformed("an IPv6 host needs a closing ']'");
            }
            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0)
            {
                portText = after.StartsWith(':') ? after[1..] : throw Malformed($"unexpected '{after}' after the host");
            }
        }
        else
        {
            var colon = hostPort.IndexOf(':', StringComparison.Ordinal);
            host = colon >= 0 ? hostPort[..colon] : hostPort;
            portText = colon >= 0 ? hostPort[(colon + 1)..] : null;
        }
        if (host.Length == 0)
        {
            throw Malformed("a host is required");
        }
        if (portText is null)
        {
            return (host, DefaultPort);
        }
        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? (host, port)
            : throw Malformed($"'{portText}' is not a port number");
    }

    private static (string Schema, SslMode? SslMode) ParseQuery(string? query)
    {
        var schema = DefaultSchema;
        SslMode? sslMode = null;
        if (string.IsNullOrEmpty(query))
        {
            return (schema, sslMode);
        }
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq >= 0 ? pair[..eq] : pair;
            var value = eq >= 0 ? Decode(pair[(eq + 1)..]) : "";
            switch (key)
            {
                case "schema" when value.Length > 0:
                    schema = value;
                    break;
                case "sslmode":
                    sslMode = ParseSslMode(value);
                    break;
                default:
                    throw Malformed($"unknown or empty parameter '{key}' (known: schema, sslmode)");
            }
        }
        return (schema, sslMode);
    }

    private static SslMode ParseSslMode(string value) => value switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        "verify-full" => Npgsql.SslMode.VerifyFull,
        _ => throw Malformed($"unknown sslmode '{value}' (disable, allow, prefer, require, verify-ca, verify-full)"),
    };

    private static string SslModeName(SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    private static string Decode(string value) => Uri.UnescapeDataString(value);

    private static FerryException Malformed(string reason) =>
        new($"invalid PostgreSQL connection string: {reason}; expected {ExpectedForm}", ExitCodes.Usage);
}
