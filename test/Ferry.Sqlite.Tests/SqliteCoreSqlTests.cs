using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.Sqlite.Tests;

/// <summary>The core's scope SQL run on a real database of this engine (<see cref="CoreSqlContract"/>).</summary>
public sealed class SqliteCoreSqlTests : CoreSqlContract
{
    protected override string Engine => TestEngines.Sqlite;

    protected override IEngineFactory Factory { get; } = new SqliteEngineFactory();
}
