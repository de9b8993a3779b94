namespace Ferry.Engines;

/// <summary>Picks the engine for a connection string among the known factories.</summary>
public sealed class EngineRegistry(IEnumerable<IEngineFactory> factories)
{
    private readonly IReadOnlyList<IEngineFactory> _factories = factories.ToList();

    /// <summary>The engine for <paramref name="connectionString"/>; a usage error when no engine accepts it.</summary>
    public IDatabaseEngine Create(string connectionString)
    {
        var factory = _factories.FirstOrDefault(f => f.Accepts(connectionString))
            ?? throw new FerryException(
                $"unsupported connection string '{Redact(connectionString)}': use sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB",
                ExitCodes.Usage);
        return factory.Create(connectionString);
    }

    // Never echo a password that a user typed into an unrecognised string.
    private static string Redact(string connectionString)
    {
        var at = connectionString.LastIndexOf('@');
        var scheme = connectionString.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? connectionString[..(scheme + 3)] + "***" + connectionString[at..] : connectionString;
    }
}
