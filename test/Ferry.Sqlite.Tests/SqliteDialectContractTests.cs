using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.Sqlite.Tests;

/// <summary>The dialect's statements run on a real database of this engine (<see cref="DialectContract"/>).</summary>
public sealed class SqliteDialectContractTests : DialectContract
{
    protected override string Engine => TestEngines.Sqlite;

    protected override IEngineFactory Factory { get; } = new SqliteEngineFactory();
}
