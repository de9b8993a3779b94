using Ferry.Planning;
using Ferry.Planning.Rendering;

namespace Ferry.Tests.Planning.Report;

/// <summary>Renderer details: awkward names, big schemas in the compact summary, format names.</summary>
public class PlanRenderingDetailTests
{
    private static PlanReport Quoted()
    {
        var schema = new SchemaBuilder()
            .Tables("groups", "say \"hi\" <b>", @"back\slash")
            .Fk("say \"hi\" <b>", "group_id", "groups")
            .Build();
        var plan = Planner.Build(new PlanRequest(schema, "groups", [], []));
        return PlanReport.Build(plan, ["1"], new Dictionary<string, long> { ["groups"] = 1, ["say \"hi\" <b>"] = 0 }, [], [], null);
    }

    [Fact]
    public void Mermaid_escapes_quotes_and_angle_brackets_in_names()
    {
        var text = PlanMermaidRenderer.Render(Quoted());

        Assert.Contains("  t2[\"say #quot;hi#quot; #lt;b#gt;<br/>owned · 0 rows\"]:::owned\n", text, StringComparison.Ordinal);
        Assert.Contains("  t2 -->|\"group_id\"| t1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_escapes_quotes_and_backslashes_in_names()
    {
        var text = PlanDotRenderer.Render(Quoted());

        Assert.Contains("  \"say \\\"hi\\\" <b>\" -> \"groups\" [label=\"group_id\"];\n", text, StringComparison.Ordinal);
        Assert.Contains("  \"back\\\\slash\" [label=\"back\\\\slash\\nnot reached\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_summary_stays_a_few_lines_for_a_big_schema()
    {
        var builder = new SchemaBuilder().Table("groups");
        for (var i = 0; i < 300; i++)
        {
            builder.Table($"t{i:000}").Fk($"t{i:000}", "group_id", "groups", nullable: true);
        }
        var plan = Planner.Build(new PlanRequest(builder.Build(), "groups", [], []));
        var report = PlanReport.Build(plan, ["1"], new Dictionary<string, long> { ["groups"] = 1 }, [],
            plan.UnfollowedEdges.Select(e => (e, (long?)(e.Table == "t007" ? 4L : 0L))).ToList(), null);

        var lines = PlanTextRenderer.Render(report, compact: true);

        Assert.Equal(
            [
                "plan: groups 1: 1 table(s) in scope (1 root), 1 row",
                "not reached (300): t000, t001, t002, t003, t004, t005, t006, t007, t008, t009 and 290 more",
                "not followed (rows left behind):",
                "  t007.group_id → groups: 4 rows left behind",
                "not followed: 299 more nullable reference(s) into the tenant, leaving nothing behind",
            ],
            lines);
        Assert.Equal(2 + 301 + 1 + 300, PlanTextRenderer.Render(report).Count);
    }

    [Theory]
    [InlineData("text", PlanFormat.Text)]
    [InlineData("json", PlanFormat.Json)]
    [InlineData("mermaid", PlanFormat.Mermaid)]
    [InlineData("dot", PlanFormat.Dot)]
    public void Format_names_parse(string name, PlanFormat format) => Assert.Equal(format, PlanRenderer.ParseFormat(name));

    [Theory]
    [InlineData("yaml")]
    [InlineData("TEXT")]
    [InlineData("")]
    public void Unknown_format_is_a_usage_error(string name)
    {
        var error = Assert.Throws<FerryException>(() => PlanRenderer.ParseFormat(name));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal($"--format '{name}': expected text, json, mermaid or dot", error.Message);
    }
}
