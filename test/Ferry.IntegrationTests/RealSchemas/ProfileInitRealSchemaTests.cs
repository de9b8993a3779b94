using System.Text.RegularExpressions;
using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// <c>ferry profile init</c> on real public schemas nobody here wrote (Pagila, Healthchecks): the draft names
/// what the schema does not say (Pagila's undeclared store manager), loads as it is, and plans with every
/// suggestion uncommented.
/// </summary>
public sealed partial class ProfileInitRealSchemaTests
{
    private static Task<ProfileDraft> DraftAsync(TestDb source, string root, params string[] ids) =>
        new ProfileInit(Move.Engines.Create(source.ConnectionString)).DraftAsync(new ProfileInitOptions(root, ids), CancellationToken.None);

    private static string Uncommented(string draft) =>
        string.Join('\n', draft.Split('\n').Where(l => !l.Contains("to: TABLE", StringComparison.Ordinal)).Select(l => Entry().Replace(l, "  - ")));

    [GeneratedRegex(@"^  # - ")]
    private static partial Regex Entry();

    [Fact]
    public async Task Pagila_store_draft_declares_the_manager_and_plans_as_it_is_and_reviewed()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source());

        var draft = await DraftAsync(source, "store", "2");
        var yaml = draft.Yaml("pagila.yaml");

        Assert.Null(draft.PlanProblem);
        var manager = Assert.Single(draft.Undeclared, u => u.Column == "manager_staff_id");
        Assert.Equal(("staff", "staff_id", 1L, 1L), (manager.LikelyTable, manager.LikelyColumn, manager.Values, manager.Existing));
        Assert.Contains("  # store.manager_staff_id: 1 of 1 exported row(s) hold a value found in staff.staff_id", yaml, StringComparison.Ordinal);
        Assert.Contains("  # - {from: store.manager_staff_id, to: staff}", yaml, StringComparison.Ordinal);

        var asItIs = await PlanAsync(source, "store", "2", profile: Profile(yaml));
        Assert.Contains("store.manager_staff_id looks like a reference", string.Join('\n', asItIs.Warnings), StringComparison.Ordinal);
        var reviewed = await PlanAsync(source, "store", "2", profile: Profile(Uncommented(yaml)));
        Assert.DoesNotContain(reviewed.Undeclared, u => u.Column == "manager_staff_id");
        Assert.Equal(asItIs.TotalRows, reviewed.TotalRows);
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Healthchecks_project_draft_plans_as_it_is_and_reviewed(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(engine, HealthchecksData.Schema, e => HealthchecksData.Source(e == TestEngines.Postgres));

        var draft = await DraftAsync(source, "accounts_project", "3");
        var yaml = draft.Yaml("healthchecks.yaml");

        Assert.Null(draft.PlanProblem);
        Assert.Contains("\nroot: accounts_project\n", yaml, StringComparison.Ordinal);
        Assert.Contains(draft.NotReached, t => t == "django_migrations");
        var asItIs = await PlanAsync(source, "accounts_project", "3", profile: Profile(yaml));
        var reviewed = await PlanAsync(source, "accounts_project", "3", profile: Profile(Uncommented(yaml)));
        Assert.Equal(PlanRole.Ignored, reviewed.Tables.Single(t => t.Name == "django_migrations").Role);
        Assert.True(reviewed.TotalRows >= asItIs.TotalRows);
    }
}
