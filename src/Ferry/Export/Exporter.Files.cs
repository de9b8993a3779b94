using System.Data.Common;
using System.Security.Cryptography;
using Ferry.Archive;
using Ferry.Files;
using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Export;

// The profile's files: every file an exported row refers to travels in the archive, once per content.
public sealed partial class Exporter
{
    private const int FileExamples = 5;
    private const int MissingWarnings = 10;

    /// <summary>The file columns of the tables in the archive, when the export has file rules and stores; else null.</summary>
    private static List<ManifestFileColumn>? FileColumns(ExportOptions options, ExportPlan plan)
    {
        var inArchive = plan.Tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var columns = (options.Profile?.Files ?? [])
            .Where(f => inArchive.Contains(f.Table) && options.FileStores?.ContainsKey(f.Store) == true)
            .Select(f => new ManifestFileColumn(f.Store, f.Table, f.Column, f.Template?.Text, f.Template is null ? null : f.Suffixes))
            .DistinctBy(f => (f.Store, f.Table, f.Name))
            .ToList();
        return columns.Count > 0 ? columns : null;
    }

    /// <summary>
    /// Writes the file index and then each distinct content. Unsafe paths, and missing files of rules
    /// without <c>missing: warn</c>, fail the export (all listed, with examples) before any content is
    /// written; missing files of <c>missing: warn</c> rules are warned about and listed without content.
    /// </summary>
    private async Task<ExportedFiles> ExportFilesAsync(
        ArchiveWriter writer, Manifest manifest, ExportOptions options, ExportPlan plan, ScopeSql sql,
        DbConnection connection, DbTransaction snapshot, List<string> warnings, CancellationToken cancellationToken)
    {
        var contents = new Dictionary<string, (string Full, long Bytes, string What)>(StringComparer.Ordinal);
        var unsafePaths = new List<string>();
        var missing = new List<string>();
        long warned = 0;
        long references = 0;
        foreach (var file in manifest.Files ?? [])
        {
            var table = plan.Tables.First(t => t.Name == file.Table).Table;
            var rule = options.Profile!.Files.First(f => f.Store == file.Store && f.Table == file.Table && f.Name == file.Name);
            var store = options.FileStores![file.Store];
            using var task = progress.Start($"files {table.Name}.{file.Name}", null);
            if (rule.Template is { } template)
            {
                // A derived path: each distinct combination of the template's columns names one file, with the first suffix that exists.
                var columns = template.Columns.Select(table.GetColumn).ToList();
                var seen = new HashSet<string>(StringComparer.Ordinal);
                var rows = engine.ReadRowsAsync(connection, snapshot, sql.SelectFileTemplateValues(table, columns), table.Name, columns, cancellationToken);
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    string? derived;
                    try
                    {
                        derived = template.Evaluate(row);
                    }
                    catch (FormatException e)
                    {
                        unsafePaths.Add($"{table.Name} path {template.Text} for ({string.Join(", ", columns.Select((c, i) => $"{c.Name} = {PathTemplate.ValueText(row[i])}"))}): {e.Message}");
                        continue;
                    }
                    if (derived is null || !seen.Add(derived))
                    {
                        continue;
                    }
                    var found = rule.Suffixes.Select(s => derived + s).FirstOrDefault(p => StorePath.Problem(p) is null && StorePath.Resolve(store, p) is { } f && File.Exists(f));
                    await Reference(found ?? derived + rule.Suffixes[0], $"{table.Name} '{derived}{(rule.Suffixes.Count > 1 ? $"[{string.Join("|", rule.Suffixes)}]" : "")}'");
                }
                continue;
            }
            var column = table.GetColumn(file.Column!);
            if (column.Type != FerryType.Text)
            {
                throw new FerryException($"files: {table.Name}.{column.Name} holds {column.Type.ToName()} values, not text paths", ExitCodes.Usage);
            }
            var paths = engine.ReadRowsAsync(connection, snapshot, sql.SelectFilePaths(table, column), table.Name, [column], cancellationToken);
            await foreach (var row in paths.WithCancellation(cancellationToken))
            {
                var path = (string)row[0]!;
                await Reference(path, $"{table.Name}.{column.Name} '{path}'");
            }

            async Task Reference(string path, string what)
            {
                var full = StorePath.Problem(path) is not null ? null : StorePath.Resolve(store, path);
                if (full is null)
                {
                    unsafePaths.Add($"{what} {StorePath.Problem(path) ?? "leaves the store directory through a symbolic link"}");
                    return;
                }
                if (!File.Exists(full))
                {
                    if (rule.Missing == MissingFile.Fail || Directory.Exists(full))
                    {
                        missing.Add(Directory.Exists(full) ? $"{what} is a directory" : what);
                        return;
                    }
                    if (++warned <= MissingWarnings)
                    {
                        Warn($"file {what} is missing from store {file.Store} ({store}): exported without it, the row keeps its path");
                    }
                    await writer.WriteFileReferenceAsync(new FileReference(file.Store, table.Name, file.Name, path, null, null), cancellationToken);
                    return;
                }
                var (sha, bytes) = await HashAsync(full, cancellationToken);
                contents.TryAdd(sha, (full, bytes, $"{what} of store {file.Store}"));
                await writer.WriteFileReferenceAsync(new FileReference(file.Store, table.Name, file.Name, path, sha, bytes), cancellationToken);
                references++;
                task.Increment(1);
            }
        }
        if (warned > MissingWarnings)
        {
            Warn($"{warned} files are missing in all (the first {MissingWarnings} are named above): exported without them, their rows keep their paths");
        }
        var problems = new List<string>();
        if (unsafePaths.Count > 0)
        {
            problems.Add($"{unsafePaths.Count} file path(s) cannot be exported: {Examples(unsafePaths)}");
        }
        if (missing.Count > 0)
        {
            problems.Add($"{missing.Count} file(s) are missing from their store: {Examples(missing)} " +
                         "(restore them, or give the files rule missing: warn to export without them)");
        }
        if (problems.Count > 0)
        {
            throw new FerryException(string.Join("; ", problems));
        }

        long total = 0;
        using (var task = progress.Start("files", contents.Count))
        {
            foreach (var (sha, (full, bytes, what)) in contents)
            {
                await using var stream = OpenRead(full);
                try
                {
                    await writer.WriteFileAsync(sha, bytes, stream, cancellationToken);
                }
                catch (InvalidDataException e)
                {
                    throw new FerryException($"file {what} changed while it was exported ({e.Message}): export again");
                }
                total += bytes;
                task.Increment(1);
            }
        }
        return new ExportedFiles(references, contents.Count, total, warned);

        void Warn(string warning)
        {
            warnings.Add(warning);
            progress.Warning(warning);
        }
    }

    private static async Task<(string Sha256, long Bytes)> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(path);
        var digest = await SHA256.HashDataAsync(stream, cancellationToken);
        return (Convert.ToHexStringLower(digest), stream.Length);
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private static string Examples(List<string> items) =>
        string.Join(", ", items.Take(FileExamples)) + (items.Count > FileExamples ? $" and {items.Count - FileExamples} more" : "");
}
