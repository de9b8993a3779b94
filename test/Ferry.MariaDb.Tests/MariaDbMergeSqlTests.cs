using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.MariaDb.Tests;

/// <summary>The import's SQL run on a real database of this engine (<see cref="MergeSqlContract"/>).</summary>
public sealed class MariaDbMergeSqlTests : MergeSqlContract
{
    protected override string Engine => TestEngines.MariaDb;

    protected override IEngineFactory Factory { get; } = new MariaDbEngineFactory();
}
