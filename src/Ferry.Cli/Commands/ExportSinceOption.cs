using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Archive;
using Ferry.Export;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>export --since ARCHIVE_OR_TIMESTAMP</c>: an existing file is the base archive, whose manifest gives the time (its
/// <c>completeBefore</c>) and the export id the incremental archive names; anything else must be an ISO 8601 time with a zone.
/// </summary>
internal static partial class ExportSinceOption
{
    /// <summary>
    /// Reads the option. The base archive is decrypted with the password the new archive is written with
    /// (<c>--password-file</c> or <c>FERRY_PASSWORD</c>); a plain base (<c>.tar.gz</c>) is read only with <c>--no-encrypt</c>.
    /// </summary>
    public static async Task<ExportSince> ReadAsync(string text, char[]? password, bool noEncrypt, CancellationToken cancellationToken)
    {
        if (File.Exists(text))
        {
            return await FromArchiveAsync(text, password, noEncrypt, cancellationToken);
        }
        if (IsoTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at))
        {
            return new ExportSince(at, null, text);
        }
        if (IsoTime().IsMatch(text + "Z"))
        {
            throw new FerryException($"--since {text}: give the time with its zone (e.g. {text}Z for UTC): a time without one would depend on a clock's setting", ExitCodes.Usage);
        }
        throw new FerryException($"--since {text}: no such archive file, and not an ISO 8601 time with a zone (e.g. 2026-12-01T00:00:00Z)", ExitCodes.Usage);
    }

    private static async Task<ExportSince> FromArchiveAsync(string path, char[]? password, bool noEncrypt, CancellationToken cancellationToken)
    {
        Manifest manifest;
        try
        {
            await using var input = File.OpenRead(path);
            await using var archive = await ArchiveReader.OpenAsync(input, () => password ?? throw new FerryException(
                $"--since {path}: the archive is encrypted; give its password with --password-file or FERRY_PASSWORD (the new archive is encrypted with it too)"),
                ArchiveReadOptions.Default with { AllowPlaintext = noEncrypt }, cancellationToken);
            manifest = archive.Manifest;
        }
        catch (ArchiveException e)
        {
            throw new FerryException($"--since {path}: {e.Message}", e.ExitCode, e);
        }
        catch (IOException e)
        {
            throw new FerryException($"--since {path}: cannot read it: {e.Message}", ExitCodes.Failure, e);
        }
        if (manifest.CompleteBefore is not { } before || manifest.ExportId is null)
        {
            throw new FerryException($"--since {path}: that archive was written by an earlier Ferry ({manifest.Tool}) and does not say when its snapshot was complete; " +
                                     "give the time instead (--since TIMESTAMP, no later than its export), or export the whole tenant", ExitCodes.Usage);
        }
        return new ExportSince(before, manifest, path);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}(:?\d{2})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
