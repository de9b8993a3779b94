using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 16 step 1 through the command line: the import's report names the ledger's record, <c>ferry forget</c> lists
/// and forgets tenants, and <c>--sync</c> without <c>--update</c> or a misused <c>--prefer</c> is refused with one error line, the
/// target unchanged.
/// </summary>
public sealed class LedgerCliTests() : CliScratch("ferry-ledger-")
{
    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Import_records_the_tenant_and_forget_lists_and_forgets_it(string engine)
    {
        var source = Keep(await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData));
        var target = Keep(await TestDb.CreateAsync(engine, CommunityFixture.TargetData));
        var archive = Path.Combine(Dir, $"beta-{engine}.tar.gz");
        var report = Path.Combine(Dir, $"report-{engine}.json");
        (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", archive])).AssertSucceeds();
        var before = await target.DumpAsync();

        foreach (var (options, error) in new[]
                 {
                     (new[] { "--sync" }, "error: --sync deletes what vanished at the source from a tenant imported before, so it goes with --update; add --update"),
                     (["--prefer", "source"], "error: --prefer source: only an --update import meets rows changed on both sides; add --update"),
                     (["--update", "--prefer", "both"], "error: --prefer 'both': expected source (the archive's row overwrites the target's) or target (the target's row stays)"),
                 })
        {
            (await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", .. options]))
                .AssertFails(2, error);
            Assert.Equal(before, await target.DumpAsync());
        }
        var empty = await CliRun.RunAsync(["forget", "--to", target.ConnectionString]);
        empty.AssertSucceeds();
        Assert.Equal("tenant\timports\trows\troot\tsource\tlast imported\n", empty.StdoutText);
        Assert.Contains("The target's ledger records no tenant", empty.Stderr, StringComparison.Ordinal);

        var dry = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", "--dry-run"]);
        dry.AssertSucceeds();
        Assert.DoesNotContain("Ledger:", dry.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());

        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--match", "users:email", "--report", report]);
        import.AssertSucceeds();
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var tenant = json.RootElement.GetProperty("tenant").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", tenant);
        Assert.Equal(1, json.RootElement.GetProperty("ledgerImport").GetInt64());
        var rows = json.RootElement.GetProperty("ledgerRows").GetInt64();
        Assert.Contains($"Ledger: import 1 of tenant {tenant[..12]} recorded ({rows} rows)", import.Stderr, StringComparison.Ordinal);

        var list = await CliRun.RunAsync(["forget", "--to", target.ConnectionString]);
        list.AssertSucceeds();
        var line = list.StdoutText.Split('\n')[1].Split('\t');
        Assert.Equal([tenant, "1", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), "groups [\"2\"]"], line[..4]);
        Assert.StartsWith("sqlite:/", line[4], StringComparison.Ordinal);

        (await CliRun.RunAsync(["forget", "abc", "--to", target.ConnectionString])).AssertFails(2, "error: 'abc' is not a tenant id");
        (await CliRun.RunAsync(["forget", "000000", "--to", target.ConnectionString])).AssertFails(1, "error: the target's ledger holds no tenant 000000");
        var kept = await target.DumpAsync();
        var dryForget = await CliRun.RunAsync(["forget", tenant[..8], "--to", target.ConnectionString, "--dry-run"]);
        dryForget.AssertSucceeds();
        Assert.Contains($"Dry run: would forget tenant {tenant[..12]}: 1 import(s), {rows} row(s)", dryForget.Stderr, StringComparison.Ordinal);
        Assert.Equal(kept, await target.DumpAsync());

        var forget = await CliRun.RunAsync(["forget", tenant[..8], "--to", target.ConnectionString]);
        forget.AssertSucceeds();
        Assert.Contains("the ledger's tables were dropped", forget.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("ferry_ledger", await target.DumpAsync(), StringComparison.Ordinal);
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }
}
