using Ferry.Engines;

namespace Ferry.MariaDb;

/// <summary>Makes <see cref="MariaDbEngine"/>s for <c>mysql://</c> and <c>mariadb://</c> URLs.</summary>
public sealed class MariaDbEngineFactory(Func<string, string?> variables) : IEngineFactory
{
    /// <summary>A factory that reads the process's environment (<c>MYSQL_PWD</c>).</summary>
    public MariaDbEngineFactory()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    public bool Accepts(string connectionString) => MariaDbUrl.HasScheme(connectionString);

    public bool TakesPassword => true;

    public IDatabaseEngine Create(string connectionString) => Create(connectionString, null);

    public IDatabaseEngine Create(string connectionString, string? password) =>
        new MariaDbEngine(MariaDbConnectionString.Resolve(MariaDbUrl.Parse(connectionString), password, variables));
}
