using Ferry.Engines;
using Ferry.Testing;

namespace Ferry.Sqlite.Tests;

/// <summary>The import's SQL run on a real database of this engine (<see cref="MergeSqlContract"/>).</summary>
public sealed class SqliteMergeSqlTests : MergeSqlContract
{
    protected override string Engine => TestEngines.Sqlite;

    protected override IEngineFactory Factory { get; } = new SqliteEngineFactory();
}
