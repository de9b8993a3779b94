using System.CommandLine;
using System.Text;
using Ferry.Import;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry forget</c>: lists the tenants a target's ledger records, or removes one of them from it (the rows the
/// imports wrote stay).
/// </summary>
public sealed class ForgetCommand : FerryCommand
{
    private readonly Argument<string> _tenant = new("tenant")
    {
        Description = "The tenant's id, or its first digits (at least 6), as the import's report and this command without it list it",
        Arity = ArgumentArity.ZeroOrOne,
    };
    private readonly DatabaseOptions _to = new("to", "Target");
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Say what would be forgotten, then roll back" };

    public ForgetCommand(CliContext context)
        : base("forget", "List the tenants a target's import ledger records, or forget one (its rows stay; a later import treats it as new)", context)
    {
        Arguments.Add(_tenant);
        foreach (var option in _to.All.Append(_dryRun))
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var (_, _, engine) = _to.Open(parseResult, Context);
        var ledger = new TenantLedger(engine);
        if (parseResult.GetValue(_tenant) is not { } tenant)
        {
            // The list is the command's output: stdout, one tenant a line, tab-separated.
            var entries = await ledger.ListAsync(cancellationToken);
            var text = new StringBuilder("tenant\timports\trows\troot\tsource\tlast imported\n");
            foreach (var group in entries.GroupBy(e => e.Tenant))
            {
                var last = group.Last();
                text.Append($"{group.Key}\t{group.Count()}\t{last.Rows}\t{last.RootTable} {last.RootKeys}\t{last.Source}\t{last.ImportedAt}\n");
            }
            await Context.Console.Out.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), cancellationToken);
            await Context.Console.Out.FlushAsync(cancellationToken);
            if (entries.Count == 0)
            {
                Context.Interaction.Line("The target's ledger records no tenant");
            }
            return ExitCodes.Success;
        }
        var dryRun = parseResult.GetValue(_dryRun);
        var report = await ledger.ForgetAsync(tenant, dryRun, cancellationToken);
        var verb = dryRun ? "Dry run: would forget" : "Forgot";
        Context.Interaction.Line($"{verb} tenant {report.Tenant[..TenantLedger.ShortId]}: {report.Imports} import(s), {report.Rows:N0} row(s) of the ledger; the imported rows stay in the target" +
                                 (report.TablesDropped ? $" (no tenant left: the ledger's tables {(dryRun ? "would be" : "were")} dropped)" : ""));
        return ExitCodes.Success;
    }
}
