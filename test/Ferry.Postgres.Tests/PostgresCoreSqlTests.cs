using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.Postgres.Tests;

/// <summary>The core's scope SQL run on a real database of this engine (<see cref="CoreSqlContract"/>).</summary>
public sealed class PostgresCoreSqlTests : CoreSqlContract
{
    protected override string Engine => TestEngines.Postgres;

    protected override IEngineFactory Factory { get; } = new PostgresEngineFactory();
}
