using System.CommandLine;
using Ferry.Engines;
using Ferry.Postgres;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>--from</c> or <c>--to</c>, with its password kept off the command line: <c>--from-password-file FILE</c>, or
/// <c>FERRY_FROM_PASSWORD</c>, else what the engine finds as libpq would (<c>PGPASSWORD</c>, <c>~/.pgpass</c>, a
/// service). The whole connection string may come from <c>FERRY_FROM</c> instead of the option.
/// </summary>
public sealed class DatabaseOptions
{
    private readonly string _side;
    private readonly string _variable;

    /// <param name="side"><c>from</c> or <c>to</c>.</param>
    /// <param name="role">How help names the database: "Source" or "Target".</param>
    public DatabaseOptions(string side, string role)
    {
        _side = side;
        _variable = $"FERRY_{side.ToUpperInvariant()}";
        Connection = new($"--{side}")
        {
            Description = $"{role} database: sqlite:PATH, postgres://USER@HOST:PORT/DB[?schema=NAME] (a Unix socket: postgres:///DB?host=/var/run/postgresql), " +
                $"or mysql://USER@HOST:PORT/DB (MariaDB/MySQL); else {_variable}",
        };
        PasswordFile = new($"--{side}-password-file")
        {
            Description = $"File whose first line is the {role.ToLowerInvariant()} database's password (else {_variable}_PASSWORD, PGPASSWORD, ~/.pgpass or a PGSERVICE; MariaDB: MYSQL_PWD)",
        };
    }

    public Option<string> Connection { get; }

    public Option<string> PasswordFile { get; }

    public IEnumerable<Option> All => [Connection, PasswordFile];

    /// <summary>The connection string as given (the option, else the variable): a usage error when neither is.</summary>
    public string ConnectionString(ParseResult parseResult, CliContext context) =>
        parseResult.GetValue(Connection) ?? (context.Console.Environment(_variable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null)
        ?? throw new FerryException($"--{_side} is required (or the {_variable} environment variable)", ExitCodes.Usage);

    /// <summary>The database's engine, its password found; says with <c>--verbose</c> which database and where the password came from.</summary>
    public (string ConnectionString, string? Password, IDatabaseEngine Engine) Open(ParseResult parseResult, CliContext context)
    {
        var connectionString = ConnectionString(parseResult, context);
        var file = parseResult.GetValue(PasswordFile);
        var takesPassword = context.Engines.TakesPassword(connectionString);
        if (file is not null && !takesPassword)
        {
            throw new FerryException($"--{_side}-password-file: {connectionString} takes no password", ExitCodes.Usage);
        }
        var (password, source) = file is not null
            ? (Passwords.ReadFirstLine(file, "password file"), $"--{_side}-password-file")
            : takesPassword && context.Console.Environment($"{_variable}_PASSWORD") is { Length: > 0 } fromEnvironment
                ? (fromEnvironment, $"{_variable}_PASSWORD")
                : (null, null);
        var engine = context.Engines.Create(connectionString, password);
        var found = engine is PostgresEngine postgres
            ? postgres.ConnectionString.PasswordSource switch
            {
                null => ", no password (the server may not need one)",
                "the caller" => $", password from {source}",
                var other => $", password from {other}",
            }
            : "";
        context.Detail($"{(_side == "from" ? "source" : "target")}: {engine.Description}{found}");
        return (connectionString, password, engine);
    }
}

/// <summary>
/// An engine factory for exactly one connection string, with its password: what <c>ferry serve</c> hands its
/// import endpoint, which makes an engine per request.
/// </summary>
public sealed class BoundEngineFactory(EngineRegistry engines, string connectionString, string? password) : IEngineFactory
{
    public bool Accepts(string candidate) => candidate == connectionString;

    public IDatabaseEngine Create(string candidate) => engines.Create(candidate, password);
}
