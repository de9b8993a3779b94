using System.CommandLine;
using System.Text;
using Ferry.Export;
using Ferry.Planning.Rendering;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry plan</c>: what an export would take, without exporting: every table with its role, path
/// and rows in scope, the edges cut or not followed, and the cycle breaks, on stdout.
/// </summary>
public sealed class PlanCommand : FerryCommand
{
    private readonly DatabaseOptions _from = new("from", "Source");
    private readonly Option<string> _root = new("--root") { Description = "Table holding the root rows (e.g. groups), or TABLE.COLUMN to select them by another unique column (stores.id)" };
    private readonly Option<string[]> _ids = new("--ids") { Description = "Root keys, comma-separated", Required = true };
    private readonly Option<string[]> _exclude = new("--exclude") { Description = "Tables never exported, comma-separated; references into them are cut" };
    private readonly Option<string[]> _follow = new("--follow") { Description = "A nullable foreign key to follow (TABLE.COLUMN): rows pointing into the tenant through it are exported too" };
    private readonly Option<string> _format = new("--format") { Description = "text (default), json, mermaid or dot", DefaultValueFactory = _ => "text" };
    private readonly Option<string> _profile = ProfileOptions.Profile();

    public PlanCommand(CliContext context)
        : base("plan", "Show what an export would take (tables, roles, paths, rows, cut edges) without exporting", context)
    {
        foreach (var option in new Option[] { _from.Connection, _from.PasswordFile, _root, _ids, _exclude, _follow, _format, _profile })
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var format = PlanRenderer.ParseFormat(parseResult.GetRequiredValue(_format));
        var follow = SplitList(parseResult.GetValue(_follow)).Select(ExportCommand.ParseFollow).ToList();
        var (source, _, engine) = _from.Open(parseResult, Context);
        var profile = ProfileOptions.Load(parseResult.GetValue(_profile));
        var options = new PlanOptions(
            source,
            parseResult.GetValue(_root),
            SplitList(parseResult.GetValue(_ids)),
            SplitList(parseResult.GetValue(_exclude)),
            follow,
            profile);

        var report = await new ScopePlanner(engine).PlanAsync(options, cancellationToken);

        var bytes = Encoding.UTF8.GetBytes(PlanRenderer.Render(report, format));
        await Context.Console.Out.WriteAsync(bytes, cancellationToken);
        await Context.Console.Out.FlushAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
