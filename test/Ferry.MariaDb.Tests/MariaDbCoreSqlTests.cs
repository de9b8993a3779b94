using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.MariaDb.Tests;

/// <summary>The core's scope SQL run on a real database of this engine (<see cref="CoreSqlContract"/>).</summary>
public sealed class MariaDbCoreSqlTests : CoreSqlContract
{
    protected override string Engine => TestEngines.MariaDb;

    protected override IEngineFactory Factory { get; } = new MariaDbEngineFactory();
}
