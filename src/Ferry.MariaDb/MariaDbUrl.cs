using System.Globalization;

namespace Ferry.MariaDb;

/// <summary>
/// What a <c>mysql://</c> or <c>mariadb://</c> URL says: <c>mysql://USER[:PASS]@HOST[:PORT]/DB</c>. User,
/// host and database are required (a MariaDB session has one default database, the schema Ferry reads);
/// the port defaults to 3306. User, password and database are percent-decoded. One parameter:
/// <c>?zero-dates=null</c> exports MariaDB's zero dates (<c>0000-00-00</c>) as NULL instead of refusing them. Pure: no I/O.
/// </summary>
public sealed record MariaDbUrl(string User, string? Password, string Host, int Port, string Database, ZeroDates ZeroDates = ZeroDates.Refuse)
{
    public const int DefaultPort = 3306;

    internal const string ExpectedForm = "mysql://USER[:PASSWORD]@HOST[:PORT]/DB[?zero-dates=null] (or mariadb://…)";

    private static readonly string[] _schemes = ["mysql://", "mariadb://"];

    /// <summary>True when the string starts with <c>mysql://</c> or <c>mariadb://</c>.</summary>
    public static bool HasScheme(string value) => _schemes.Any(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a URL; a malformed one is a usage error that states the expected form (never the password).</summary>
    public static MariaDbUrl Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scheme = _schemes.FirstOrDefault(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase))
            ?? throw Malformed("it does not start with mysql:// or mariadb://");
        var rest = value[scheme.Length..];
        var zeroDates = ZeroDates.Refuse;
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            zeroDates = ParseQuery(rest[(q + 1)..]);
            rest = rest[..q];
        }
        // The last '@' ends the user info, so an unencoded '@' (or '/') in a password still parses.
        var at = rest.LastIndexOf('@');
        if (at < 0)
        {
            throw Malformed("it names no user");
        }
        var userInfo = rest[..at];
        rest = rest[(at + 1)..];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
        var password = colon >= 0 ? Decode(userInfo[(colon + 1)..]) : "";
        if (user.Length == 0)
        {
            throw Malformed("it names no user");
        }
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || slash == rest.Length - 1)
        {
            throw Malformed("it names no database");
        }
        var database = Decode(rest[(slash + 1)..]);
        if (database.Contains('/', StringComparison.Ordinal) || database.Contains('\0', StringComparison.Ordinal))
        {
            throw Malformed("a database name cannot contain '/'");
        }
        var (host, port) = ParseHostPort(rest[..slash]);
        return new MariaDbUrl(user, password.Length == 0 ? null : password, host, port, database, zeroDates);
    }

    private static ZeroDates ParseQuery(string query)
    {
        var zeroDates = ZeroDates.Refuse;
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq >= 0 ? pair[..eq] : pair;
            var value = eq >= 0 ? pair[(eq + 1)..] : "";
            zeroDates = key switch
            {
                "zero-dates" => value switch
                {
                    "null" => ZeroDates.Null,
                    "refuse" => ZeroDates.Refuse,
                    _ => throw Malformed($"zero-dates is '{value}': use null (export zero dates as NULL) or refuse (the default)"),
                },
                _ => throw Malformed($"unknown parameter '{key}' (known: zero-dates)"),
            };
        }
        return zeroDates;
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
            throw Malformed("it names no host");
        }
        var port = portText is null ? DefaultPort
            : int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535 ? p
            : throw Malformed($"'{portText}' is not a port number");
        return (host, port);
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value);

    internal static FerryException Malformed(string reason) =>
        new($"invalid MariaDB connection string: {reason}; expected {ExpectedForm}", ExitCodes.Usage);
}

/// <summary>What an export does with MariaDB's zero dates (<c>0000-00-00</c>, <c>2024-00-10</c>), which no other engine holds.</summary>
public enum ZeroDates
{
    /// <summary>Refuse the export, naming table, column and value (the default).</summary>
    Refuse,
    /// <summary>Export them as NULL (<c>?zero-dates=null</c>); a NOT NULL column still refuses.</summary>
    Null,
}
