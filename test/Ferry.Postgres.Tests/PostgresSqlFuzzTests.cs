using Ferry.Tests.Shared;
using Xunit.Abstractions;

namespace Ferry.Postgres.Tests;

/// <summary>The import's SQL built with PostgreSQL's dialect for generated manifests (see <see cref="MergeSqlFuzz"/>).</summary>
public class PostgresSqlFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_statement_builds_for_every_manifest_the_reader_accepts()
    {
        var (inputs, built) = MergeSqlFuzz.Run(new PostgresDialect("public"));

        output.WriteLine($"PostgreSQL SQL building: {inputs:N0} generated manifests, {built:N0} planned and built");
        Assert.True(built > 0);
    }
}
