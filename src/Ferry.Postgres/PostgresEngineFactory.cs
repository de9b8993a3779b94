using Ferry.Engines;

namespace Ferry.Postgres;

/// <summary>
/// Makes <see cref="PostgresEngine"/>s for <c>postgres://</c> and <c>postgresql://</c> URLs, completed from
/// the environment and files as libpq does (<see cref="PostgresConnectionString.Resolve"/>).
/// </summary>
public sealed class PostgresEngineFactory(PostgresEnvironment environment) : IEngineFactory
{
    /// <summary>A factory that reads the process's environment and files.</summary>
    public PostgresEngineFactory()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>A factory that reads <paramref name="variables"/> for environment variables, and the process's files.</summary>
    public PostgresEngineFactory(Func<string, string?> variables)
        : this(PostgresEnvironment.System(variables))
    {
    }

    public bool Accepts(string connectionString) => PostgresConnectionString.HasScheme(connectionString);

    public bool TakesPassword => true;

    public IDatabaseEngine Create(string connectionString) => Create(connectionString, null);

    public IDatabaseEngine Create(string connectionString, string? password) =>
        new PostgresEngine(PostgresConnectionString.Resolve(PostgresUrl.Parse(connectionString), password, environment));
}
