namespace Ferry.Engines;

/// <summary>Picks the engine for a connection string among the known factories.</summary>
public sealed class EngineRegistry(IEnumerable<IEngineFactory> factories)
{
    private readonly IReadOnlyList<IEngineFactory> _factories = factories.ToList();

    /// <summary>
    /// The engine for <paramref name="connectionString"/>, with a <paramref name="password"/> given apart from it
    /// (null: none, or whatever the engine finds itself); a usage error when no engine accepts it.
    /// </summary>
    public IDatabaseEngine Create(string connectionString, string? password = null) => Factory(connectionString).Create(connectionString, password);

    /// <summary>True when the database named by <paramref name="connectionString"/> takes a password.</summary>
    public bool TakesPassword(string connectionString) => Factory(connectionString).TakesPassword;

    private IEngineFactory Factory(string connectionString) =>
        _factories.FirstOrDefault(f => f.Accepts(connectionString))
            ?? throw new FerryException(
                $"unsupported connection string '{Redact(connectionString)}': use sqlite:PATH, postgres://USER@HOST:PORT/DB or mysql://USER@HOST:PORT/DB (MariaDB/MySQL)",
                ExitCodes.Usage);

    // Never echo a password that a user typed into an unrecognised string: user info, and a password= parameter.
    internal static string Redact(string connectionString)
    {
        var text = connectionString;
        var at = text.LastIndexOf('@');
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (at > 0 && scheme > 0 && at > scheme)
        {
            text = text[..(scheme + 3)] + "***" + text[at..];
        }
        return System.Text.RegularExpressions.Regex.Replace(text, "(?i)(password=)[^&;]*", "$1***");
    }
}
