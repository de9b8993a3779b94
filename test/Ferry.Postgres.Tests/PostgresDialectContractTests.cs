using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.Postgres.Tests;

/// <summary>The dialect's statements run on a real database of this engine (<see cref="DialectContract"/>).</summary>
public sealed class PostgresDialectContractTests : DialectContract
{
    protected override string Engine => TestEngines.Postgres;

    protected override IEngineFactory Factory { get; } = new PostgresEngineFactory();
}
