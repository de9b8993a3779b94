using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>./ferry export -o - | ./ferry import -</c> through the real launcher and real shell pipes: a
/// whole move, a truncated stream, and a reader that goes away.
/// </summary>
public sealed class PipeTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Password = new() { ["FERRY_PASSWORD"] = "pipe-pass" };
    private TestDb _source = null!;
    private TestDb _target = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
    }

    private string Export => $"./ferry export --from '{_source.ConnectionString}' --root groups --ids 2 -o -";

    private string Import => $"./ferry import - --to '{_target.ConnectionString}' --match users:email";

    [Fact]
    public async Task A_shell_pipe_moves_the_group()
    {
        var run = await Shell.RunAsync($"set -o pipefail; {Export} | {Import}", Password);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Import complete", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(40)]
    [InlineData(200)]
    [InlineData(600)]
    public async Task A_truncated_stream_leaves_the_target_unchanged(int bytes)
    {
        var before = await _target.DumpAsync();

        var run = await Shell.RunAsync($"{Export} 2>/dev/null | head -c {bytes} | {Import}", Password);

        run.AssertFails(ExitCodes.Failure, "");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task An_export_whose_reader_goes_away_fails_with_one_error_line()
    {
        // Far more than a pipe buffer, and incompressible, so that the export is still writing when head leaves.
        await _source.ExecuteAsync($"""
            WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n WHERE i < 20100)
            INSERT INTO messages (id, conversation_id, author_id, body) SELECT i, '{CommunityFixture.Uuid1}', 1, hex(randomblob(48)) FROM n;
            """);

        // The export's own exit status and stderr; head's output is thrown away.
        var run = await Shell.RunAsync($"err=$(mktemp); {Export} 2>\"$err\" | head -c 100 >/dev/null; code=${{PIPESTATUS[0]}}; cat \"$err\" >&2; rm -f \"$err\"; exit $code", Password);

        run.AssertFails(ExitCodes.Failure, "pipe");
    }
}
