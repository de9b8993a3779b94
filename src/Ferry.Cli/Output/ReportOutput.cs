using System.Text.Json;
using Ferry.Import;

namespace Ferry.Cli.Output;

/// <summary>
/// Where <c>import --report</c> goes: a file, reserved before the import starts (its directory must exist and be
/// writable), or stdout with <c>-</c>. Once the target is committed, a report that cannot be written is a warning,
/// with the report on stderr instead: the exit code stays the import's.
/// </summary>
public sealed class ReportOutput : IDisposable
{
    private readonly CliContext _context;
    private readonly PendingFile? _file;
    private readonly bool _stdout;

    private ReportOutput(CliContext context, PendingFile? file, bool stdout) => (_context, _file, _stdout) = (context, file, stdout);

    /// <summary>The report's output for <paramref name="path"/> (null: none, <c>-</c>: stdout); a path that cannot be written fails now.</summary>
    public static ReportOutput Open(string? path, CliContext context) =>
        path switch
        {
            null => new ReportOutput(context, null, false),
            "-" => new ReportOutput(context, null, true),
            _ => new ReportOutput(context, AtomicFile.Reserve(path, overwrite: true, label: "--report"), false),
        };

    /// <summary>Writes the report; a failure is a warning with the report on stderr.</summary>
    public async Task WriteAsync(ImportReport report, CancellationToken cancellationToken)
    {
        try
        {
            if (_stdout)
            {
                var json = JsonSerializer.SerializeToUtf8Bytes(report, ReportJson.Options);
                await _context.Console.Out.WriteAsync(json, CancellationToken.None);
                await _context.Console.Out.WriteAsync("\n"u8.ToArray(), CancellationToken.None);
                await _context.Console.Out.FlushAsync(CancellationToken.None);
            }
            else if (_file is not null)
            {
                await _file.CommitAsync(async stream =>
                {
                    await JsonSerializer.SerializeAsync(stream, report, ReportJson.Options, CancellationToken.None);
                    return 0;
                });
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Printed even with --quiet: this is the only copy of the report the user asked for.
            var error = _context.Console.Error;
            var state = report.Outcome switch
            {
                "imported" => "the import was committed",
                "dry run" => "the dry run wrote nothing",
                _ => "nothing was written",
            };
            var where = _stdout ? "stdout" : _file!.Path;
            error.WriteLine($"warning: could not write the report to {where} ({e.Message}); {state}; the report follows");
            error.WriteLine(JsonSerializer.Serialize(report, ReportJson.Options));
        }
    }

    public void Dispose() => _file?.Dispose();
}
