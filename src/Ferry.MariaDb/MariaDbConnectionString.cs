using System.Globalization;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>
/// A MariaDB/MySQL connection, every part known. The password comes, first found, from the URL, the caller
/// (<c>--from-password-file</c>, <c>FERRY_FROM_PASSWORD</c>, ...), then <c>MYSQL_PWD</c> as the mysql client reads it.
/// </summary>
/// <param name="PasswordSource">Where the password came from, for <c>--verbose</c>; null when there is none.</param>
public sealed record MariaDbConnectionString(
    string User, string? Password, string Host, int Port, string Database, string? PasswordSource = null, ZeroDates ZeroDates = ZeroDates.Refuse)
{
    /// <summary>Completes <paramref name="url"/> with a password given apart from it, or the environment's.</summary>
    public static MariaDbConnectionString Resolve(MariaDbUrl url, string? password, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(variables);
        if (url.Password is not null && password is not null)
        {
            throw new FerryException("the connection string holds a password and another one was given apart from it (a password file or variable): keep one", ExitCodes.Usage);
        }
        var (secret, source) =
            url.Password is not null ? (url.Password, "the connection string")
            : password is not null ? (password, "the caller")
            : variables("MYSQL_PWD") is { Length: > 0 } fromEnvironment ? (fromEnvironment, "MYSQL_PWD")
            : ((string?)null, (string?)null);
        return new MariaDbConnectionString(url.User, secret, url.Host, url.Port, url.Database, source, url.ZeroDates);
    }

    /// <summary>The connection without its password: <c>mysql://USER@HOST:PORT/DB</c>.</summary>
    public string Description
    {
        get
        {
            var host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
            var zero = ZeroDates == ZeroDates.Null ? "?zero-dates=null" : "";
            return $"mysql://{Uri.EscapeDataString(User)}@{host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(Database)}{zero}";
        }
    }

    /// <summary>
    /// The MySqlConnector connection string. No pooling (one or two sessions per run, on databases tests drop), no
    /// command timeout (a big INSERT…SELECT runs for minutes), utf8mb4, and values read as stored: TINYINT(1) as a
    /// number (Ferry decides what it means), no client-side date conversion, no GUID guessing from CHAR(36).
    /// Parameters are escaped for NO_BACKSLASH_ESCAPES, which every session Ferry opens sets.
    /// <paramref name="loadLocal"/>: the session may send LOAD DATA LOCAL INFILE (a target's bulk load).
    /// </summary>
    public string ToMySqlConnector(bool loadLocal = false)
    {
        var builder = new MySqlConnectionStringBuilder
        {
            Server = Host,
            Port = (uint)Port,
            Database = Database,
            UserID = User,
            Pooling = false,
            DefaultCommandTimeout = 0,
            CharacterSet = "utf8mb4",
            TreatTinyAsBoolean = false,
            AllowZeroDateTime = true,
            ConvertZeroDateTime = false,
            GuidFormat = MySqlGuidFormat.None,
            ApplicationName = "ferry",
            ConnectionTimeout = 15,
            NoBackslashEscapes = true,
            AllowLoadLocalInfile = loadLocal,
        };
        if (Password is not null)
        {
            builder.Password = Password;
        }
        return builder.ConnectionString;
    }
}
