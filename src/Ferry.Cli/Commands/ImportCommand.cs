using System.CommandLine;
using System.Text.Json;
using Ferry.Import;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry import</c>: an archive into a live target, all or nothing.</summary>
public sealed class ImportCommand : FerryCommand
{
    private const int ConflictLines = 50;

    private readonly Argument<string> _archive = new("archive") { Description = "Archive path, or - for stdin" };
    private readonly Option<string> _to = new("--to") { Description = "Target database: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DB[?schema=NAME]", Required = true };
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD, else a prompt)" };
    private readonly Option<string[]> _match = new("--match") { Description = "Reuse existing target rows with the same natural key: TABLE:COLUMN[+COLUMN...] (e.g. users:email)" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Do everything, conflict check included, then roll back" };
    private readonly Option<string> _report = new("--report") { Description = "Also write the report as JSON to this file" };

    public ImportCommand(CliContext context)
        : base("import", "Import an archive into a target database: fresh ids, identities matched, all or nothing", context)
    {
        Arguments.Add(_archive);
        foreach (var option in new Option[] { _to, _passwordFile, _match, _dryRun, _report })
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
        var engine = Context.Engines.Create(parseResult.GetRequiredValue(_to));
        var password = Passwords.FromFileOrEnvironment(parseResult.GetValue(_passwordFile), Context.Console);
        var options = new ImportOptions(
            parseResult.GetRequiredValue(_to), match, parseResult.GetValue(_dryRun),
            () => password ?? Passwords.Prompt(Context.Console, fromStdin));

        var ui = Context.Interaction;
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
            ShowConflicts(conflicts.Report);
            await WriteReportAsync(reportPath, conflicts.Report);
            throw;
        }
        ShowTables(report);
        await WriteReportAsync(reportPath, report);
        ui.Line(report.DryRun ? "Dry run complete: nothing was written" : "Import complete");
        return ExitCodes.Success;
    }

    private void ShowTables(ImportReport report)
    {
        var ui = Context.Interaction;
        if (report.DryRun)
        {
            ui.Line("dry run: the changes below were rolled back");
        }
        var rows = report.Tables
            .Select(t => (IReadOnlyList<string>)[t.Name, t.ArchiveRows.ToString("N0"), t.Inserted.ToString("N0"), t.Matched.ToString("N0"), t.NulledReferences.ToString("N0")])
            .Append(["total", report.ArchiveRows.ToString("N0"), report.Inserted.ToString("N0"), report.Matched.ToString("N0"), report.NulledReferences.ToString("N0")])
            .ToList();
        ui.Table(["table", "in archive", "inserted", "matched", "set NULL"], rows);
        ui.Line($"{report.Inserted:N0} rows inserted, {report.Matched:N0} matched to existing rows, in {report.Seconds:0.0} s");
    }

    private void ShowConflicts(ImportReport report)
    {
        var ui = Context.Interaction;
        foreach (var c in report.Conflicts.Take(ConflictLines))
        {
            var values = string.Join(", ", c.Values.Select(v => v ?? "NULL"));
            var what = c.Kind == "existing" ? "already exists in the target" : $"appears in {c.Rows} incoming rows";
            ui.Line($"conflict: {c.Table} {c.Constraint} ({string.Join(", ", c.Columns)}) = ({values}) {what}");
        }
        if (report.ConflictCount > Math.Min(report.Conflicts.Count, ConflictLines))
        {
            ui.Line($"... and {report.ConflictCount - Math.Min(report.Conflicts.Count, ConflictLines)} more conflict(s)");
        }
    }

    private static async Task WriteReportAsync(string? path, ImportReport report)
    {
        if (path is null)
        {
            return;
        }
        await AtomicFile.WriteAsync(path, overwrite: true, async stream =>
        {
            await JsonSerializer.SerializeAsync(stream, report, ReportJson.Options);
            return 0;
        });
    }
}

/// <summary>How reports are written as JSON: camelCase, indented, stable.</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };
}
