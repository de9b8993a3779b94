using System.Data.Common;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Files;
using Ferry.Schema;

namespace Ferry.Import;

// Derived paths: files named after a row's values (<dir>/<id % 10>/<id>), so an imported row's file takes the
// name its new values give it. The archive's index names each file by the path the source's values gave; the
// import finds each inserted row's source path again from its staged values, and writes the file at the path
// its final values give, with the same suffix.
internal sealed partial class FileImport
{
    private const int DerivedExamples = 5;

    private readonly List<Derived> _derived;

    // Per derived rule: source path (with suffix) → content digest, or null for a file missing at export.
    private readonly Dictionary<Derived, Dictionary<string, string?>> _derivedIndex = [];

    // One temporary file per distinct content of derived rules; those no inserted row needs are removed.
    private readonly Dictionary<string, Placed> _derivedContent = new(StringComparer.Ordinal);

    private readonly List<Placed> _placedDerived = [];

    // The contents some row's file takes (a row after the first with the same content gets a copy of its own).
    private readonly HashSet<string> _usedDerived = new(StringComparer.Ordinal);

    /// <summary>
    /// A derived rule of the archive: its template (untrusted, parsed here, evaluated in memory only) gives
    /// the source paths, the profile's (or the archive's, when the profile has none) the target paths.
    /// </summary>
    private sealed record Derived(ManifestFileColumn Archive, PathTemplate Source, PathTemplate Target, string Store);

    private static List<Derived> DerivedRules(ImportOptions options, IReadOnlyList<ManifestFileColumn> columns)
    {
        var rules = new List<Derived>();
        foreach (var column in columns.Where(c => c.Template is not null))
        {
            var source = PathTemplate.Parse(column.Template!);
            var profile = options.Profile?.Files.FirstOrDefault(f => f.Store == column.Store && f.Table == column.Table && f.Template is not null);
            rules.Add(new Derived(column, source, profile?.Template ?? source, column.Store));
        }
        return rules;
    }

    private void Receive(Derived derived, FileReference reference)
    {
        if (!_derivedIndex.TryGetValue(derived, out var index))
        {
            _derivedIndex[derived] = index = new Dictionary<string, string?>(StringComparer.Ordinal);
        }
        if (reference.Sha256 is not { } sha)
        {
            Missing++;
            index[reference.Path] = null;
            return;
        }
        index[reference.Path] = sha;
        if (_derivedContent.ContainsKey(sha))
        {
            return;
        }
        var directory = ImportedDirectory(derived.Store);
        var placed = new Placed("", TemporaryName(directory), "", reference.Bytes!.Value);
        _derivedContent[sha] = placed;
        if (!_byContent.TryGetValue(sha, out var same))
        {
            _byContent[sha] = same = [];
        }
        same.Add(placed);
    }

    /// <summary>
    /// Once the new keys are final: gives every inserted row whose source row had a file the path its final values
    /// derive, with the suffix its file had. A path that already exists in the store, that is unsafe, or that two
    /// different contents would take fails the import (all listed). Nothing is renamed yet (<see cref="Publish"/>).
    /// Run twice: before any row is written (<paramref name="inserted"/> false) for the paths whose values are known
    /// then (ids drawn from a sequence, or written by Ferry), and once every row is written (true) for the paths made
    /// of ids that the inserts draw (<see cref="MergeSql.DrawsOnInsert"/>: MariaDB's AUTO_INCREMENT), which only the
    /// key maps filled after each insert hold; a failure then rolls those rows back with everything else.
    /// </summary>
    public async Task PlaceDerivedAsync(
        IDatabaseEngine engine, DbConnection connection, DbTransaction transaction, IReadOnlyList<TableMerge> merges, bool inserted, CancellationToken cancellationToken)
    {
        if (_derived.Count == 0)
        {
            return;
        }
        var sql = new MergeSql(engine.Dialect);
        var problems = new List<string>();
        var used = _usedDerived;
        foreach (var rule in _derived)
        {
            if (merges.FirstOrDefault(m => m.Read.Name == rule.Archive.Table) is not { } merge
                || !_derivedIndex.TryGetValue(rule, out var index)
                || rule.Target.Columns.Any(c => sql.DrawsOnInsert(merge, c)) != inserted)
            {
                continue;
            }
            var written = MergeSql.InsertColumns(merge);
            if (rule.Target.Columns.FirstOrDefault(c => !written.Contains(c)) is { } unwritten)
            {
                throw new FerryException($"file path {rule.Target.Text} of {merge.Target.Name} uses {unwritten}, which this import does not write " +
                                         "(the archive has no such column): its value is not known before the insert");
            }
            var sourceColumns = rule.Source.Columns.Select(c => new Column(c, "", merge.ArchiveColumn(c).Type, true)).ToList();
            var targetColumns = rule.Target.Columns.Select(merge.Target.GetColumn).ToList();
            var read = sourceColumns.Concat(targetColumns).ToList();
            var store = _stores[rule.Store];
            var byTarget = new Dictionary<string, string>(StringComparer.Ordinal);
            var rows = engine.ReadRowsAsync(connection, transaction, sql.DerivedFileValues(merge, sourceColumns, targetColumns), merge.Target.Name, read, cancellationToken);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                string? sourcePath, targetPath;
                try
                {
                    sourcePath = rule.Source.Evaluate(row);
                    targetPath = rule.Target.Evaluate(row, sourceColumns.Count);
                }
                catch (FormatException e)
                {
                    problems.Add($"{merge.Target.Name}: {e.Message}");
                    continue;
                }
                if (sourcePath is null || targetPath is null)
                {
                    continue;
                }
                var suffix = (rule.Archive.Suffixes ?? [""]).FirstOrDefault(s => index.ContainsKey(sourcePath + s));
                if (suffix is null || index[sourcePath + suffix] is not { } sha)
                {
                    // The source row had no file (or it was missing at export, and counted then).
                    continue;
                }
                var relative = targetPath + suffix;
                if (byTarget.TryGetValue(relative, out var other))
                {
                    if (other != sha)
                    {
                        problems.Add($"{merge.Target.Name} '{relative}' would receive two different files");
                    }
                    continue;
                }
                byTarget[relative] = sha;
                var full = StorePath.Problem(relative) is { } problem ? null : StorePath.Resolve(store, relative);
                if (full is null)
                {
                    problems.Add($"{merge.Target.Name} '{relative}' {StorePath.Problem(relative) ?? "leaves the store directory through a symbolic link"}");
                    continue;
                }
                if (File.Exists(full) || Directory.Exists(full))
                {
                    problems.Add($"{merge.Target.Name} '{relative}' already exists in store {rule.Store} ({store})");
                    continue;
                }
                var content = _derivedContent[sha];
                string temporary;
                if (used.Add(sha))
                {
                    temporary = content.Temporary;
                }
                else
                {
                    // Another row has the same content: it gets a copy of its own, as the app expects one file per row.
                    temporary = TemporaryName(ImportedDirectory(rule.Store));
                    _written.Add(temporary);
                    File.Copy(content.Temporary, temporary, overwrite: false);
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(temporary, FileMode644);
                    }
                }
                _placedDerived.Add(new Placed(relative, temporary, full, content.Bytes));
            }
        }
        if (problems.Count > 0)
        {
            throw new FerryException($"{problems.Count} imported file(s) cannot take their derived path: " +
                                     string.Join(", ", problems.Take(DerivedExamples)) +
                                     (problems.Count > DerivedExamples ? $" and {problems.Count - DerivedExamples} more" : "") +
                                     "; nothing was written");
        }
        if (!inserted)
        {
            return;
        }
        // Contents no inserted row needs (their rows matched existing ones) are not kept.
        foreach (var (sha, content) in _derivedContent)
        {
            if (!used.Contains(sha))
            {
                TryDelete(content.Temporary);
            }
        }
    }

    /// <summary>Renames the derived files into place, creating their directories (removed again if the import fails).</summary>
    private void PublishDerived()
    {
        foreach (var file in _placedDerived)
        {
            try
            {
                CreateDirectories(Path.GetDirectoryName(file.Final)!);
                File.Move(file.Temporary, file.Final, overwrite: false);
            }
            catch (IOException e)
            {
                throw new FerryException($"cannot give the imported file {file.Final} its name: {e.Message}", ExitCodes.Failure, e);
            }
            _written.Add(file.Final);
        }
    }

    private void CreateDirectories(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }
        CreateDirectories(Path.GetDirectoryName(directory)!);
        Directory.CreateDirectory(directory);
        _createdDirectories.Add(directory);
    }

    private string ImportedDirectory(string store)
    {
        var directory = Path.Combine(_stores[store], ImportedName.Directory);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            _createdDirectories.Add(directory);
        }
        return directory;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next import removes temporary files left behind.
        }
    }
}
