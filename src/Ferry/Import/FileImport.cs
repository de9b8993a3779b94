using Ferry.Archive;
using Ferry.Files;

namespace Ferry.Import;

/// <summary>
/// The files of an import: every file the archive carries is written into the target store's
/// directory under a new name (<see cref="ImportedName"/>), first as a temporary file beside its
/// final place, renamed only on the way to the commit (<see cref="Publish"/>). Disposing without
/// <see cref="Keep"/> removes every file written and every directory created: a failed, refused,
/// cancelled or dry-run import leaves the stores as they were. A run that is killed leaves its temporary
/// files, which the next import into the store removes (<see cref="RemoveAbandoned(Reporting.IProgressSink)"/>).
/// </summary>
internal sealed partial class FileImport : IAsyncDisposable
{
    private readonly IReadOnlyList<ManifestFileColumn> _columns;
    private readonly IReadOnlyDictionary<string, string> _stores;
    private readonly Dictionary<(string Store, string Path), Placed> _byPath = [];
    private readonly Dictionary<string, List<Placed>> _byContent = new(StringComparer.Ordinal);
    private readonly List<(string Table, string Column, string Path, Placed File)> _references = [];
    private readonly List<string> _written = [];
    private readonly List<string> _createdDirectories = [];
    private bool _kept;

    private FileImport(IReadOnlyList<ManifestFileColumn> columns, IReadOnlyDictionary<string, string> stores, List<Derived> derived)
    {
        _columns = columns;
        _stores = stores;
        _derived = derived;
    }

    /// <summary>Files written (one per distinct store and source path, and one per distinct derived target path).</summary>
    public long Count => _byPath.Count + _placedDerived.Count;

    /// <summary>Bytes of the files written.</summary>
    public long Bytes => _byPath.Values.Sum(p => p.Bytes) + _placedDerived.Sum(p => p.Bytes);

    /// <summary>References of the archive to files that were missing at export (their rows keep the path).</summary>
    public long Missing { get; private set; }

    /// <summary>
    /// Checks, before anything is written, that every store the archive carries files for has a
    /// directory on the target (a usage error otherwise), and that every file rule of the profile whose
    /// table is in the archive has its files in it (an archive exported without <c>--files</c> is an error).
    /// </summary>
    public static FileImport Prepare(ImportOptions options, Manifest manifest)
    {
        var columns = manifest.Files ?? [];
        // A derived path's rule matches the archive's for the same store and table, whatever its template: the
        // target may lay its files out otherwise, and the profile's template says how.
        var absent = (options.Profile?.Files ?? [])
            .Where(f => manifest.Tables.Any(t => t.Name == f.Table)
                        && !columns.Any(c => c.Store == f.Store && c.Table == f.Table && (f.Column is null ? c.Template is not null : c.Column == f.Column)))
            .Select(f => f.Column is null ? $"{f.Table} (derived path {f.Name}, store {f.Store})" : $"{f.Table}.{f.Column} (store {f.Store})")
            .ToList();
        if (absent.Count > 0)
        {
            var stores = string.Join(" ", (options.Profile?.Files ?? []).Select(f => $"--files {f.Store}=DIR").Distinct());
            throw new FerryException($"the archive holds no files for {string.Join(", ", absent)}: it was exported without them; " +
                                     $"export it again with the profile and {stores}, or import it with a profile without these files rules");
        }
        var directories = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in columns.GroupBy(c => c.Store))
        {
            if (options.FileStores?.GetValueOrDefault(group.Key) is not { } dir)
            {
                throw new FerryException($"the archive holds files of store {group.Key} ({string.Join(", ", group.Select(c => $"{c.Table}.{c.Column}"))}): " +
                                         $"give --files {group.Key}=DIR, the target's directory for them", ExitCodes.Usage);
            }
            if (!Directory.Exists(dir))
            {
                throw new FerryException($"file store {group.Key}: directory {dir} does not exist", ExitCodes.Usage);
            }
            directories[group.Key] = Path.GetFullPath(dir);
        }
        return new FileImport(columns, directories, DerivedRules(options, columns));
    }

    /// <summary>Gives every file its final name, just before the commit; a name already taken fails the import.</summary>
    public void Publish()
    {
        PublishDerived();
        foreach (var file in _byPath.Values)
        {
            try
            {
                File.Move(file.Temporary, file.Final, overwrite: false);
            }
            catch (IOException e)
            {
                throw new FerryException($"cannot give the imported file {file.Final} its name: {e.Message}", ExitCodes.Failure, e);
            }
            _written.Add(file.Final);
        }
    }

    /// <summary>The import committed: the files stay.</summary>
    public void Keep() => _kept = true;

    /// <summary>Unless kept, removes every file written (temporary or final) and every directory created, if empty.</summary>
    public ValueTask DisposeAsync()
    {
        if (!_kept)
        {
            foreach (var path in _written)
            {
                try
                {
                    File.Delete(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort: the import's own failure is what the user needs to see.
                }
            }
            ReleaseRuns();
            foreach (var dir in Enumerable.Reverse(_createdDirectories))
            {
                try
                {
                    if (!Directory.EnumerateFileSystemEntries(dir).Any())
                    {
                        Directory.Delete(dir);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort, as above.
                }
            }
            _written.Clear();
            _createdDirectories.Clear();
        }
        else
        {
            // imported/ holds only temporary files when every rule derives its paths: leave no empty directory behind.
            foreach (var dir in _createdDirectories.Where(d => Path.GetFileName(d) == ImportedName.Directory))
            {
                ReleaseRuns();
                try
                {
                    if (!Directory.EnumerateFileSystemEntries(dir).Any())
                    {
                        Directory.Delete(dir);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Best effort: an empty directory harms nobody.
                }
            }
        }
        ReleaseRuns();
        return ValueTask.CompletedTask;
    }

    /// <summary>A file to write: where it goes, under what names.</summary>
    private sealed class Placed(string relative, string temporary, string final, long bytes)
    {
        public string Relative { get; } = relative;

        public string Temporary { get; } = temporary;

        public string Final { get; } = final;

        public long Bytes { get; } = bytes;
    }
}
