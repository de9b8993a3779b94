using Ferry.Engines;

namespace Ferry.Postgres;

/// <summary>Makes <see cref="PostgresEngine"/>s for <c>postgres://</c> and <c>postgresql://</c> URLs.</summary>
public sealed class PostgresEngineFactory : IEngineFactory
{
    public bool Accepts(string connectionString) => PostgresConnectionString.HasScheme(connectionString);

    public IDatabaseEngine Create(string connectionString) => new PostgresEngine(PostgresConnectionString.Parse(connectionString));
}
