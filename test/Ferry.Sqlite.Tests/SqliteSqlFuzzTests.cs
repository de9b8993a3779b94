using Ferry.Tests.Shared;
using Xunit.Abstractions;

namespace Ferry.Sqlite.Tests;

/// <summary>The import's SQL built with SQLite's dialect for generated manifests (see <see cref="MergeSqlFuzz"/>).</summary>
public class SqliteSqlFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_statement_builds_for_every_manifest_the_reader_accepts()
    {
        var (inputs, built) = MergeSqlFuzz.Run(new SqliteDialect());

        output.WriteLine($"SQLite SQL building: {inputs:N0} generated manifests, {built:N0} planned and built");
        Assert.True(built > 0);
    }
}
