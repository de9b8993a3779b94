using System.Diagnostics;
using System.Text;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 16: a real <c>./ferry import --update --sync</c> killed with SIGKILL after it has inserted and updated rows
/// leaves the target's rows and its ledger exactly as they were (one transaction), and the next run completes.
/// </summary>
public sealed class KilledUpdateCliTests() : CliScratch("ferry-killed-")
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_update_killed_after_its_first_writes_leaves_target_and_ledger_as_before(string engine)
    {
        var source = Keep(await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData));
        var target = Keep(await TestDb.CreateAsync(engine, CommunityFixture.TargetData));
        var first = Path.Combine(Dir, $"first-{engine}.tar.gz");
        var second = Path.Combine(Dir, $"second-{engine}.tar.gz");
        string[] Export(string archive) => ["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", archive];
        string[] Import(string archive) => ["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", "--update", "--sync"];
        (await CliRun.RunAsync(Export(first))).AssertSucceeds();
        (await CliRun.RunAsync(Import(first))).AssertSucceeds();
        // At the source: an edit of the group (updated first), an edit of an activity (updated next), a new activity
        // (inserted before), a deleted note (deleted last).
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta (renamed)' WHERE id = 2");
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await source.ExecuteAsync("INSERT INTO activities (id, group_id, place_id, title) VALUES (10, 2, 3, 'Harvest')");
        await source.ExecuteAsync("DELETE FROM notes WHERE id = 2");
        (await CliRun.RunAsync(Export(second))).AssertSucceeds();
        // The update of activities never ends: the process is killed there, after the inserts and the group's update.
        await target.ExecuteAsync(engine switch
        {
            TestEngines.Sqlite => "CREATE TABLE spin (n INTEGER); WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000) INSERT INTO spin SELECT n FROM c; " +
                                  "CREATE TRIGGER stall BEFORE UPDATE ON activities BEGIN SELECT COUNT(*) FROM spin a, spin b, spin c; END",
            TestEngines.MariaDb => "CREATE TRIGGER stall BEFORE UPDATE ON activities FOR EACH ROW SET @stalled = SLEEP(60)",
            _ => "CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$; " +
                 "CREATE TRIGGER stall BEFORE UPDATE ON activities FOR EACH ROW EXECUTE FUNCTION stall()",
        });
        var before = WithoutSequences(await target.DumpAsync());

        var start = new ProcessStartInfo(Path.Combine(Shell.RepoRoot, "ferry"), Import(second)) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = new StringBuilder();
        var clock = Stopwatch.StartNew();
        while (!stderr.ToString().Contains("update groups: 1 rows", StringComparison.Ordinal))
        {
            var line = await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(4));
            Assert.True(line is not null, $"ferry ended before it was killed:\n{stderr}");
            stderr.AppendLine(line);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), "ferry never reached the update of groups");
        }
        Assert.Contains("insert activities: 1 rows", stderr.ToString(), StringComparison.Ordinal);
        await Task.Delay(300);
        process.Kill();
        await process.WaitForExitAsync();
        Assert.Equal(137, process.ExitCode);
        if (engine == "postgres")
        {
            // The server ends the dead client's session (here at once; on its own when the sleep ends), rolling it back.
            await target.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            while (await target.ScalarAsync("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") != "0")
            {
                await Task.Delay(50);
            }
        }
        if (engine == TestEngines.MariaDb)
        {
            // Likewise: the dead client's session is killed, and the server rolls its transaction back.
            foreach (var row in await target.QueryAsync("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()"))
            {
                await target.ExecuteAsync($"KILL {row[0]}");
            }
            while (await target.ScalarAsync("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()") != "0")
            {
                await Task.Delay(50);
            }
        }

        Assert.Equal(before, WithoutSequences(await target.DumpAsync()));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_imports"));

        await target.ExecuteAsync(engine == TestEngines.Postgres ? "DROP TRIGGER stall ON activities" : "DROP TRIGGER stall");
        var again = await CliRun.RunAsync(Import(second));
        again.AssertSucceeds();
        Assert.Contains("1 rows inserted, 2 updated, 1 deleted", again.Stderr, StringComparison.Ordinal);
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_imports"));
    }

    // A rolled-back run keeps the ids it drew: PostgreSQL's sequences and MariaDB's AUTO_INCREMENT counters move on.
    private static string WithoutSequences(string dump) =>
        string.Join("\n", dump.Split('\n').Where(l => !l.StartsWith("sequence ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, "^(table \\S+) auto_increment \\d+$", "$1")));
}
