using System.CommandLine;
using Ferry.Cli.Output;
using Ferry.Import;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry import</c>: an archive into a live target, all or nothing.</summary>
public sealed class ImportCommand : FerryCommand
{
    private readonly Argument<string> _archive = new("archive") { Description = "Archive path, or - for stdin" };
    private readonly DatabaseOptions _to = new("to", "Target");
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD, else a prompt)" };
    private readonly Option<string[]> _match = new("--match") { Description = "Reuse existing target rows with the same natural key: TABLE:COLUMN[+COLUMN...], /i at the end to ignore case (e.g. users:email/i)" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Do everything, conflict check included, then roll back" };
    private readonly Option<string> _report = new("--report") { Description = "Also write the report as JSON to this file, or to stdout with -" };
    private readonly Option<string> _profile = ProfileOptions.Profile();
    private readonly Option<string[]> _files = ProfileOptions.Files("target");
    private readonly ArchiveOptions _archiveOptions = new("Accept an unencrypted archive (.tar.gz), which has no integrity protection");
    private readonly Option<bool> _exclusive = new("--exclusive")
    {
        Description = "PostgreSQL: lock the tables written against every other session, readers too, until the import commits, "
                      + "and check their foreign keys once per table instead of once per row (faster for a large tenant in a maintenance window; needs to own the tables)",
    };
    private readonly Option<bool> _update = new("--update") { Description = "Import a tenant again: update the rows that changed at the source, insert the new ones, leave the rest untouched" };
    private readonly Option<bool> _sync = new("--sync") { Description = "With --update, also delete the rows an earlier import brought that vanished at the source (children first; one the target's own rows still reference is a conflict)" };
    private readonly Option<string> _prefer = new("--prefer") { Description = "With --update, which side wins a row changed both at the source and in the target: source (overwrite) or target (keep); without it such rows are conflicts" };
    private readonly Option<bool> _noLedger = new("--no-ledger") { Description = "Do not record this import in the target's ledger (for a role that may not create its tables); a later --update cannot find its rows" };
    private readonly Option<string[]> _map = new("--map") { Description = "Identity key changes for a table: TABLE=FILE, a CSV of (source key, target key) rows (repeat for several)" };

    public ImportCommand(CliContext context)
        : base("import", "Import an archive into a target database: fresh ids, identities matched, all or nothing", context)
    {
        Arguments.Add(_archive);
        foreach (var option in new Option[] { _to.Connection, _to.PasswordFile, _passwordFile, _match, _dryRun, _report, _profile, _files, _map, _exclusive, _update, _sync, _prefer, _noLedger }.Concat(_archiveOptions.All))
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = parseResult.GetRequiredValue(_archive);
        var fromStdin = path == "-";
        CheckArchive(path, Context, "import");
        var prefer = UpdateOptions(parseResult);
        var match = (parseResult.GetValue(_match) ?? []).Select(MatchRule.Parse).ToList();
        var files = ProfileOptions.Pairs(parseResult.GetValue(_files), "--files", "NAME=DIR, e.g. photos=/srv/app/media");
        var maps = ProfileOptions.Pairs(parseResult.GetValue(_map), "--map", "TABLE=FILE, e.g. users=renamed-users.csv");
        var profile = ProfileOptions.Load(parseResult.GetValue(_profile));
        var (target, _, engine) = _to.Open(parseResult, Context);
        var password = Passwords.FromFileOrEnvironment(parseResult.GetValue(_passwordFile), Context.Console);
        var options = new ImportOptions(
            target, match, parseResult.GetValue(_dryRun),
            () => password ?? Passwords.Prompt(Context.Console, fromStdin),
            profile, maps, files, _archiveOptions.Read(parseResult))
        {
            Exclusive = parseResult.GetValue(_exclusive),
            Update = parseResult.GetValue(_update),
            NoLedger = parseResult.GetValue(_noLedger),
            Prefer = prefer,
            Sync = parseResult.GetValue(_sync),
        };
        // Every output path is checked, and the report's file created, before the target is touched.
        using var report = ReportOutput.Open(parseResult.GetValue(_report), Context);

        var ui = Context.Interaction;
        var view = new ImportReportView(ui);
        ImportReport result;
        try
        {
            result = await ui.WithProgressAsync(async progress =>
            {
                await using var input = fromStdin ? Context.Console.In : OpenArchive(path, progress);
                return await new Importer(engine, progress).ImportAsync(options, input, cancellationToken);
            });
        }
        catch (ConflictException conflicts)
        {
            view.ShowConflicts(conflicts.Report);
            await report.WriteAsync(conflicts.Report, cancellationToken);
            throw;
        }
        view.ShowSuccess(result);
        // The import is committed: a report that cannot be written is a warning, never a failure exit.
        await report.WriteAsync(result, cancellationToken);
        return ExitCodes.Success;
    }

    // --sync and --prefer only mean something with --update: alone they are usage errors, before anything is opened.
    private Prefer UpdateOptions(ParseResult parseResult)
    {
        if (parseResult.GetValue(_sync) && !parseResult.GetValue(_update))
        {
            throw new FerryException("--sync deletes what vanished at the source from a tenant imported before, so it goes with --update; add --update", ExitCodes.Usage);
        }
        var prefer = parseResult.GetValue(_prefer);
        if (prefer is null)
        {
            return Prefer.None;
        }
        if (!parseResult.GetValue(_update))
        {
            throw new FerryException($"--prefer {prefer}: only an --update import meets rows changed on both sides; add --update", ExitCodes.Usage);
        }
        return prefer switch
        {
            "source" => Prefer.Source,
            "target" => Prefer.Target,
            _ => throw new FerryException($"--prefer '{prefer}': expected source (the archive's row overwrites the target's) or target (the target's row stays)", ExitCodes.Usage),
        };
    }

    private static Stream OpenArchive(string path, Reporting.IProgressSink progress)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        // A file's size gives the whole import a rate and a time left: staging reads the archive from start to end.
        return progress is IByteProgress bytes ? new ProgressReadStream(file, bytes.StartBytes("read archive", file.Length)) : file;
    }

    /// <summary>
    /// An archive argument: a file that must exist, or <c>-</c> for stdin, which must not be a terminal (a
    /// person would wait for nothing; an archive is piped or redirected in).
    /// </summary>
    internal static void CheckArchive(string path, CliContext context, string command)
    {
        if (path == "-")
        {
            if (context.Console.InIsTerminal)
            {
                throw new FerryException($"{command} -: stdin is a terminal, not an archive; pipe one in (ferry export -o - | ferry {command} -) or give a file", ExitCodes.Usage);
            }
            return;
        }
        if (Directory.Exists(path))
        {
            throw new FerryException($"archive '{path}' is a directory");
        }
        if (!File.Exists(path))
        {
            throw new FerryException($"archive '{path}' does not exist");
        }
    }
}
