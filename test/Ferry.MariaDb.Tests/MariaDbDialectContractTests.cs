using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.MariaDb.Tests;

/// <summary>The dialect's statements run on a real database of this engine (<see cref="DialectContract"/>).</summary>
public sealed class MariaDbDialectContractTests : DialectContract
{
    protected override string Engine => TestEngines.MariaDb;

    protected override IEngineFactory Factory { get; } = new MariaDbEngineFactory();
}
