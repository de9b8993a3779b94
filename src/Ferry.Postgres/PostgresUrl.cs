using System.Globalization;
using Npgsql;

namespace Ferry.Postgres;

/// <summary>
/// What a <c>postgres://</c> or <c>postgresql://</c> URL says, as libpq reads it: every part may be left out
/// (<c>postgresql:///app?host=/var/run/postgresql</c>) and is then taken from a service, the environment or a
/// default (<see cref="PostgresConnectionString.Resolve"/>). Query parameters: <c>host</c> (a directory is a
/// Unix socket), <c>port</c>, <c>user</c>, <c>dbname</c>, <c>password</c>, <c>sslmode</c>, <c>service</c>,
/// <c>passfile</c>, and Ferry's <c>schema</c>. User, password, database and parameters are percent-decoded.
/// Pure: no I/O.
/// </summary>
public sealed record PostgresUrl(
    string? User = null,
    string? Password = null,
    string? Host = null,
    int? Port = null,
    string? Database = null,
    string? Schema = null,
    SslMode? SslMode = null,
    string? Service = null,
    string? Passfile = null)
{
    internal const string ExpectedForm = "postgres://[USER@]HOST[:PORT]/DB[?schema=NAME&sslmode=MODE&host=SOCKET_DIR&service=NAME]";

    private static readonly string[] _schemes = ["postgres://", "postgresql://"];

    /// <summary>True when the string starts with one of the PostgreSQL URL schemes.</summary>
    public static bool HasScheme(string value) =>
        _schemes.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a URL; a malformed one is a usage error that states the expected form (never the password).</summary>
    public static PostgresUrl Parse(string value)
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

        // The last '@' ends the user info, so an unencoded '@' (or '/') in a password still parses.
        string? user = null, password = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            user = NullIfEmpty(Decode(colon >= 0 ? userInfo[..colon] : userInfo));
            // "user:@host" gives no password, as "user@host".
            password = colon >= 0 ? NullIfEmpty(Decode(userInfo[(colon + 1)..])) : null;
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var path = slash >= 0 ? rest[(slash + 1)..] : "";
        var (host, port) = ParseHostPort(authority);
        if (path.Contains('/', StringComparison.Ordinal))
        {
            throw Malformed("a database name cannot contain '/'");
        }
        var url = new PostgresUrl(user, password, host, port, NullIfEmpty(Decode(path)));
        return ParseQuery(url, query);
    }

    private static (string? Host, int? Port) ParseHostPort(string hostPort)
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
            host = Decode(colon >= 0 ? hostPort[..colon] : hostPort);
            portText = colon >= 0 ? hostPort[(colon + 1)..] : null;
        }
        return (NullIfEmpty(host), portText is null ? null : ParsePort(portText));
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw Malformed($"'{text}' is not a port number");

    private static PostgresUrl ParseQuery(PostgresUrl url, string? query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return url;
        }
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq >= 0 ? pair[..eq] : pair;
            var value = eq >= 0 ? Decode(pair[(eq + 1)..]) : "";
            if (value.Length == 0)
            {
                throw Malformed($"parameter '{key}' has no value");
            }
            url = key switch
            {
                "schema" => url with { Schema = value },
                "sslmode" => url with { SslMode = ParseSslMode(value) },
                "host" => url with { Host = value },
                "port" => url with { Port = ParsePort(value) },
                "user" => url with { User = value },
                "dbname" => url with { Database = value },
                "password" => url with { Password = value },
                "service" => url with { Service = value },
                "passfile" => url with { Passfile = value },
                _ => throw Malformed($"unknown parameter '{key}' (known: schema, sslmode, host, port, user, dbname, password, service, passfile)"),
            };
        }
        return url;
    }

    internal static SslMode ParseSslMode(string value) => value switch
    {
        "disable" => Npgsql.SslMode.Disable,
        "allow" => Npgsql.SslMode.Allow,
        "prefer" => Npgsql.SslMode.Prefer,
        "require" => Npgsql.SslMode.Require,
        "verify-ca" => Npgsql.SslMode.VerifyCA,
        "verify-full" => Npgsql.SslMode.VerifyFull,
        _ => throw Malformed($"unknown sslmode '{value}' (disable, allow, prefer, require, verify-ca, verify-full)"),
    };

    internal static string SslModeName(SslMode mode) => mode switch
    {
        Npgsql.SslMode.VerifyCA => "verify-ca",
        Npgsql.SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    private static string Decode(string value) => Uri.UnescapeDataString(value);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    internal static FerryException Malformed(string reason) =>
        new($"invalid PostgreSQL connection string: {reason}; expected {ExpectedForm}", ExitCodes.Usage);
}
