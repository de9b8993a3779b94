using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 16 through the command line: <c>import --update --sync</c> reports deleted rows per table (text and
/// <c>--report</c> JSON), a dry run shows the same and writes nothing, a vanished row the target still references is a
/// conflict line (exit 3, target unchanged), and the same run again writes nothing.
/// </summary>
public sealed class SyncCliTests() : CliScratch("ferry-sync-")
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Sync_deletes_what_vanished_reports_it_and_refuses_what_the_target_still_references(string engine)
    {
        var source = Keep(await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData));
        var target = Keep(await TestDb.CreateAsync(engine, CommunityFixture.TargetData));
        var first = Path.Combine(Dir, $"first-{engine}.tar.gz");
        var second = Path.Combine(Dir, $"second-{engine}.tar.gz");
        var report = Path.Combine(Dir, $"report-{engine}.json");
        string[] Import(string archive, params string[] more) =>
            ["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", "--update", "--sync", .. more];
        string[] Export(string archive) => ["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", archive];
        (await CliRun.RunAsync(Export(first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(first))).AssertSucceeds();

        await source.ExecuteAsync("DELETE FROM activity_participants WHERE activity_id = 1");
        await source.ExecuteAsync("DELETE FROM activities WHERE id = 1");
        (await CliRun.RunAsync(Export(second))).AssertSucceeds();
        var potluck = await target.ScalarAsync("SELECT id FROM activities WHERE title = 'Potluck'");
        var zed = await target.ScalarAsync("SELECT id FROM users WHERE email = 'zed@example.org'");
        await target.ExecuteAsync($"INSERT INTO activity_participants (activity_id, user_id) VALUES ({potluck}, {zed})");
        var before = await target.DumpAsync();

        var refused = await CliRun.RunAsync(Import(second, "--report", report));
        refused.AssertFails(3, "error: 1 conflict(s) with rows in the target: nothing was written");
        Assert.Contains($"conflict: activities (id) = ({potluck}) vanished at the source, but 1 row(s) that stay in the target still reference it " +
                        "(activity_participants.activity_id → activities)", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.Equal("conflicts", json.RootElement.GetProperty("outcome").GetString());
            Assert.Equal("referenced", json.RootElement.GetProperty("conflicts")[0].GetProperty("kind").GetString());
        }

        await target.ExecuteAsync($"DELETE FROM activity_participants WHERE user_id = {zed}");
        before = await target.DumpAsync();
        var dry = await CliRun.RunAsync(Import(second, "--dry-run"));
        dry.AssertSucceeds();
        Assert.Contains("would delete", dry.Stderr, StringComparison.Ordinal);
        Assert.Contains("Dry run complete: 0 rows would be inserted, 0 would be updated, 3 would be deleted", dry.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());

        var done = await CliRun.RunAsync(Import(second, "--report", report));
        done.AssertSucceeds();
        Assert.Contains("0 rows inserted, 0 updated, 3 deleted", done.Stderr, StringComparison.Ordinal);
        Assert.Equal("0", await target.ScalarAsync($"SELECT COUNT(*) FROM activities WHERE id = {potluck}"));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.True(json.RootElement.GetProperty("sync").GetBoolean());
            Assert.Equal(3, json.RootElement.GetProperty("deleted").GetInt32());
            var tables = json.RootElement.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("deleted").GetInt32());
            Assert.Equal((1, 2, 0), (tables["activities"], tables["activity_participants"], tables["groups"]));
        }

        var after = await target.DumpAsync();
        var again = await CliRun.RunAsync(Import(second));
        again.AssertSucceeds();
        Assert.Contains("Nothing changed since the last import: nothing was written", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(after, await target.DumpAsync());
    }
}
