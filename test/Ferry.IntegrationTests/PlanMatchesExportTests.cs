using Ferry.Export;
using Ferry.Planning;
using Ferry.Reporting;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// <c>ferry plan</c> counts what export writes: the same rows per table, the same cut references and
/// the same rows left behind, on both engines; and it refuses what export refuses, with the same message.
/// </summary>
public sealed class PlanMatchesExportTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "sqlite", "2", "", "" },
        { "postgres", "2", "", "" },
        { "sqlite", "1,2", "notes", "activities.place_id" },
        { "postgres", "1,2", "notes", "activities.place_id" },
        { "sqlite", "3", "activities", "messages.reply_to_id" },
        { "postgres", "3", "activities", "messages.reply_to_id" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Plan_counts_equal_the_rows_export_writes(string engine, string ids, string exclude, string follow)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        var before = await source.DumpAsync();
        var excluded = exclude.Split(',', StringSplitOptions.RemoveEmptyEntries);
        var followed = follow.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(f => (f.Split('.')[0], f.Split('.')[1])).ToArray();

        var report = await PlanAsync(source, "groups", ids, excluded, followed);
        var result = await ExportAsync(source, "groups", ids, excluded, followed);

        Assert.Equal(before, await source.DumpAsync());
        Assert.Equal(
            result.Tables.Select(t => $"{t.Name} {t.Role} {t.Rows}").Order(StringComparer.Ordinal),
            report.Tables.Where(t => t.InScope).Select(t => $"{t.Name} {t.Role.ToString().ToLowerInvariant()} {t.Rows}").Order(StringComparer.Ordinal));
        Assert.Equal(
            result.Tables.SelectMany(t => t.NulledReferences.Where(n => n.Value > 0).Select(n => $"{t.Name}.{n.Key} {n.Value}")).Order(StringComparer.Ordinal),
            report.Edges.Where(e => e.Cut > 0).Select(e => $"{e.Key.Table}.{e.Key.Columns[0]} {e.Cut}").Order(StringComparer.Ordinal));
        Assert.Equal(
            result.LeftBehind.Select(l => $"{l.Table}.{l.Columns[0]} {l.Rows}"),
            report.Edges.Where(e => e.Kind == PlanEdgeKind.NotFollowed).Select(e => $"{e.Key.Table}.{e.Key.Columns[0]} {e.LeftBehind}"));
        Assert.Equal(result.TotalRows, report.TotalRows);
        Assert.Equal(result.Warnings, report.Warnings);
        Assert.All(excluded, t => Assert.Equal(PlanRole.Excluded, report.Tables.Single(r => r.Name == t).Role));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Beta_plan_counts_the_fixture_rows(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);

        var report = await PlanAsync(source, "groups", "2", [], []);

        Assert.Equal(
            "activities 2, activity_participants 3, conversations 1, groups 1, memberships 3, messages 3, notes 2, places 2, users 3",
            string.Join(", ", report.Tables.Select(t => $"{t.Name} {t.Rows}").Order(StringComparer.Ordinal)));
        Assert.Equal(1, report.Edges.Single(e => e.Key.ToString() == "activities.place_id → places").Cut);
        Assert.Equal(1, report.Edges.Single(e => e.Key.ToString() == "users.current_group_id → groups").LeftBehind); // Dan; Ann is exported
        Assert.Equal("conversations.latest_message_id → messages", Assert.Single(report.CycleBreaks).ToString());
    }

    [Theory]
    [InlineData("sqlite", "nosuch", "2", "")]
    [InlineData("postgres", "nosuch", "2", "")]
    [InlineData("sqlite", "groups", "2,99", "")]
    [InlineData("postgres", "groups", "two", "")]
    [InlineData("sqlite", "groups", "2", "users")]
    [InlineData("postgres", "groups", "2", "users")]
    [InlineData("sqlite", "groups", "2", "nosuch")]
    public async Task Plan_refuses_what_export_refuses_with_the_same_message(string engine, string root, string ids, string exclude)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        var excluded = exclude.Split(',', StringSplitOptions.RemoveEmptyEntries);

        var planError = await Assert.ThrowsAsync<FerryException>(() => PlanAsync(source, root, ids, excluded, []));
        var exportError = await Assert.ThrowsAsync<FerryException>(() => ExportAsync(source, root, ids, excluded, []));

        Assert.Equal(exportError.Message, planError.Message);
        Assert.Equal(exportError.ExitCode, planError.ExitCode);
    }

    private static Task<PlanReport> PlanAsync(TestDb source, string root, string ids, string[] exclude, (string, string)[] follow) =>
        new ScopePlanner(Move.Engines.Create(source.ConnectionString))
            .PlanAsync(new PlanOptions(source.ConnectionString, root, ids.Split(','), exclude, follow), CancellationToken.None);

    private static async Task<ExportResult> ExportAsync(TestDb source, string root, string ids, string[] exclude, (string, string)[] follow)
    {
        using var output = new MemoryStream();
        var options = new ExportOptions(source.ConnectionString, root, ids.Split(','), exclude, follow, null);
        return await new Exporter(Move.Engines.Create(source.ConnectionString), SilentProgress.Instance).ExportAsync(options, output, CancellationToken.None);
    }
}
