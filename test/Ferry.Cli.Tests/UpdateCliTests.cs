using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 16 through the command line: <c>import --update</c> reports inserted / updated / unchanged / conflicting per
/// table (text and <c>--report</c> JSON), a dry run shows the same and writes nothing, rows changed on both sides are
/// conflicts (exit 3, target unchanged) until <c>--prefer</c>, and a second run says that nothing changed.
/// </summary>
public sealed class UpdateCliTests() : CliScratch("ferry-update-")
{
    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Update_reports_what_it_wrote_refuses_conflicts_and_then_writes_nothing(string engine)
    {
        var source = Keep(await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData));
        var target = Keep(await TestDb.CreateAsync(engine, CommunityFixture.TargetData));
        var first = Path.Combine(Dir, $"first-{engine}.tar.gz");
        var second = Path.Combine(Dir, $"second-{engine}.tar.gz");
        var report = Path.Combine(Dir, $"report-{engine}.json");
        string[] Import(string archive, params string[] more) =>
            ["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", "--update", .. more];
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", first])).AssertSucceeds();
        (await CliRun.RunAsync(Import(first))).AssertSucceeds();

        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", second])).AssertSucceeds();
        var before = await target.DumpAsync();

        var dry = await CliRun.RunAsync(Import(second, "--dry-run"));
        dry.AssertSucceeds();
        Assert.Contains("would update", dry.Stderr, StringComparison.Ordinal);
        Assert.Contains("Dry run complete: 1 rows would be inserted, 1 would be updated", dry.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());

        await target.ExecuteAsync("UPDATE activities SET title = 'Potluck (target)' WHERE title = 'Potluck'");
        var potluck = await target.ScalarAsync("SELECT id FROM activities WHERE title = 'Potluck (target)'");
        before = await target.DumpAsync();
        var conflict = await CliRun.RunAsync(Import(second, "--report", report));
        conflict.AssertFails(3, "error: 1 conflict(s) with rows in the target: nothing was written");
        Assert.Contains($"conflict: activities (id) = ({potluck}) changed both at the source and in the target since the last import", conflict.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());

        var settled = await CliRun.RunAsync(Import(second, "--prefer", "source", "--report", report));
        settled.AssertSucceeds();
        Assert.Contains("1 row(s) changed both at the source and in the target were overwritten with the source's (--prefer source)", settled.Stderr, StringComparison.Ordinal);
        Assert.Equal("Potluck (source)", await target.ScalarAsync($"SELECT title FROM activities WHERE id = {potluck}"));
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.True(json.RootElement.GetProperty("update").GetBoolean());
            Assert.Equal("source", json.RootElement.GetProperty("prefer").GetString());
            var activities = json.RootElement.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "activities");
            Assert.Equal((1, 1, 1, 1), (activities.GetProperty("inserted").GetInt32(), activities.GetProperty("updated").GetInt32(),
                activities.GetProperty("unchanged").GetInt32(), activities.GetProperty("conflicting").GetInt32()));
        }

        var after = await target.DumpAsync();
        var again = await CliRun.RunAsync(Import(second, "--report", report));
        again.AssertSucceeds();
        Assert.Contains("Nothing changed since the last import: nothing was written", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(after, await target.DumpAsync());
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            Assert.Equal("unchanged", json.RootElement.GetProperty("outcome").GetString());
            Assert.True(json.RootElement.GetProperty("nothingChanged").GetBoolean());
        }
    }
}
