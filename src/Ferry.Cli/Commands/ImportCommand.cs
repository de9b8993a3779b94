using System.CommandLine;
using Ferry.Cli.Output;
using Ferry.Import;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry import</c>: an archive into a live target, all or nothing.</summary>
public sealed class ImportCommand : FerryCommand
{
    private readonly Argument<string> _archive = new("archive") { Description = "Archive path, or - for stdin" };
    private readonly Option<string> _to = new("--to") { Description = "Target database: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB[?schema=NAME]", Required = true };
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD, else a prompt)" };
    private readonly Option<string[]> _match = new("--match") { Description = "Reuse existing target rows with the same natural key: TABLE:COLUMN[+COLUMN...], /i at the end to ignore case (e.g. users:email/i)" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Do everything, conflict check included, then roll back" };
    private readonly Option<string> _report = new("--report") { Description = "Also write the report as JSON to this file" };
    private readonly Option<string> _profile = ProfileOptions.Profile();
    private readonly Option<string[]> _files = ProfileOptions.Files("target");
    private readonly ArchiveOptions _archiveOptions = new("Accept an unencrypted archive (.tar.gz), which has no integrity protection");
    private readonly Option<string[]> _map = new("--map") { Description = "Identity key changes for a table: TABLE=FILE, a CSV of (source key, target key) rows (repeat for several)" };

    public ImportCommand(CliContext context)
        : base("import", "Import an archive into a target database: fresh ids, identities matched, all or nothing", context)
    {
        Arguments.Add(_archive);
        foreach (var option in new Option[] { _to, _passwordFile, _match, _dryRun, _report, _profile, _files, _map }.Concat(_archiveOptions.All))
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = parseResult.GetRequiredValue(_archive);
        var fromStdin = path == "-";
        if (!fromStdin && !File.Exists(path))
        {
            throw new FerryException($"archive '{path}' does not exist");
        }
        var match = (parseResult.GetValue(_match) ?? []).Select(MatchRule.Parse).ToList();
        var reportPath = parseResult.GetValue(_report);
        if (reportPath is not null)
        {
            // Checked before the import: a report that cannot be written must not fail a committed import.
            OutputPath.Resolve(reportPath, overwrite: true, "--report");
        }
        var files = ProfileOptions.Pairs(parseResult.GetValue(_files), "--files", "NAME=DIR, e.g. photos=/srv/app/media");
        var maps = ProfileOptions.Pairs(parseResult.GetValue(_map), "--map", "TABLE=FILE, e.g. users=renamed-users.csv");
        var profile = ProfileOptions.Load(parseResult.GetValue(_profile));
        var engine = Context.Engines.Create(parseResult.GetRequiredValue(_to));
        var password = Passwords.FromFileOrEnvironment(parseResult.GetValue(_passwordFile), Context.Console);
        var options = new ImportOptions(
            parseResult.GetRequiredValue(_to), match, parseResult.GetValue(_dryRun),
            () => password ?? Passwords.Prompt(Context.Console, fromStdin),
            profile, maps, files, _archiveOptions.Read(parseResult));

        var ui = Context.Interaction;
        var view = new ImportReportView(ui);
        ImportReport report;
        try
        {
            report = await ui.WithProgressAsync(async progress =>
            {
                await using var input = fromStdin
                    ? Context.Console.In
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                return await new Importer(engine, progress).ImportAsync(options, input, cancellationToken);
            });
        }
        catch (ConflictException conflicts)
        {
            view.ShowConflicts(conflicts.Report);
            await ImportReportView.WriteAsync(reportPath, conflicts.Report, cancellationToken);
            throw;
        }
        view.ShowSuccess(report);
        await ImportReportView.WriteAsync(reportPath, report, cancellationToken);
        return ExitCodes.Success;
    }
}
