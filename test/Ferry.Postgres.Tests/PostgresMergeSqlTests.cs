using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.Postgres.Tests;

/// <summary>The import's SQL run on a real database of this engine (<see cref="MergeSqlContract"/>).</summary>
public sealed class PostgresMergeSqlTests : MergeSqlContract
{
    protected override string Engine => TestEngines.Postgres;

    protected override IEngineFactory Factory { get; } = new PostgresEngineFactory();
}
