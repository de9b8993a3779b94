using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ferry.Files;
using Ferry.IO;
using Ferry.Reporting;

namespace Ferry.Import;

// Temporary files of the store's imported/ directory: this run's lock, and the leftovers of runs that were killed.
internal sealed partial class FileImport
{
    private const UnixFileMode LockMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Per imported/ directory written into: this run's id there and its lock file, held until disposed.</summary>
    private readonly Dictionary<string, (string Run, FileStream Lock)> _runs = new(StringComparer.Ordinal);

    /// <summary>
    /// The name of a new temporary file in <paramref name="directory"/>: <c>.ferry-RUN-RANDOM.partial</c>. The
    /// first call for a directory creates and locks <c>.ferry-RUN.lock</c> there: while this process lives,
    /// no other run removes a temporary file of RUN, written or waiting for its rename.
    /// </summary>
    private string TemporaryName(string directory)
    {
        if (!_runs.TryGetValue(directory, out var run))
        {
            var id = "";
            var stream = PartialFiles.CreateLocked(directory, () => $".ferry-{id = NewId(16)}.lock", IO.NewFile.Options(LockMode));
            _runs[directory] = run = (id, stream);
        }
        return Path.Combine(directory, $".ferry-{run.Run}-{NewId(8)}.partial");
    }

    /// <summary>Removes this run's lock files (after its temporary files are gone or renamed).</summary>
    private void ReleaseRuns()
    {
        foreach (var (directory, run) in _runs)
        {
            try
            {
                File.Delete(Path.Combine(directory, $".ferry-{run.Run}.lock"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a lock file nobody holds is removed by the next run.
            }
            run.Lock.Dispose();
        }
        _runs.Clear();
    }

    /// <summary>
    /// Before anything is written: removes from each store's imported/ directory the temporary files that
    /// runs killed mid-import left (kill -9, a power cut), and says so. A run's files are removed only
    /// while its lock file is locked here, that is once that run is gone; files of a run that is still
    /// importing are left alone. Files of Ferry versions without lock files (<c>.ferry-RANDOM.partial</c>)
    /// are removed when nobody holds a lock on them.
    /// </summary>
    private void RemoveAbandoned(IProgressSink progress)
    {
        foreach (var root in _stores.Values.Distinct(StringComparer.Ordinal))
        {
            var directory = Path.Combine(root, ImportedName.Directory);
            if (!Directory.Exists(directory))
            {
                continue;
            }
            var (removed, bytes, held) = RemoveAbandoned(directory);
            if (removed > 0)
            {
                progress.Info($"removed {removed} temporary file(s) ({bytes:N0} bytes) from {directory}, left by an earlier import that was interrupted");
            }
            if (held > 0)
            {
                progress.Info($"left {held} temporary file(s) in {directory} alone: another import into this store is still writing them");
            }
        }
    }

    /// <summary>Removes what runs that are gone left in <paramref name="directory"/>; returns what was removed and what is still held.</summary>
    internal static (int Removed, long Bytes, int Held) RemoveAbandoned(string directory)
    {
        var (removed, bytes, held) = (0, 0L, 0);
        var runs = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(directory, ".ferry-*"))
        {
            var name = Path.GetFileName(path);
            if (Leftover().Match(name) is { Success: true } match)
            {
                var run = match.Groups["run"].Success ? match.Groups["run"].Value : "";
                if (!runs.TryGetValue(run, out var files))
                {
                    runs[run] = files = [];
                }
                if (match.Groups["partial"].Success)
                {
                    files.Add(path);
                }
            }
        }
        foreach (var (run, files) in runs)
        {
            var lockPath = Path.Combine(directory, $".ferry-{run}.lock");
            if (run.Length > 0 && File.Exists(lockPath))
            {
                long runBytes = 0;
                if (PartialFiles.TryWithAbandonedLock(lockPath, () => runBytes = DeleteAll(files)))
                {
                    (removed, bytes) = (removed + files.Count, bytes + runBytes);
                }
                else
                {
                    held += files.Count;
                }
                continue;
            }
            // An older Ferry's files, or a run whose lock file is already gone: each file on its own lock.
            foreach (var file in files)
            {
                if (PartialFiles.TryRemoveAbandoned(file) is { } size)
                {
                    (removed, bytes) = (removed + 1, bytes + size);
                }
                else if (FileKinds.Of(file) == FileKind.Regular)
                {
                    held++;
                }
            }
        }
        return (removed, bytes, held);
    }

    private static long DeleteAll(List<string> files)
    {
        long bytes = 0;
        foreach (var file in files.Where(f => FileKinds.Of(f) == FileKind.Regular))
        {
            bytes += new FileInfo(file).Length;
            File.Delete(file);
        }
        return bytes;
    }

    private static string NewId(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary><c>.ferry-RUN.lock</c>, <c>.ferry-RUN-RANDOM.partial</c>, or an older Ferry's <c>.ferry-RANDOM.partial</c>.</summary>
    [GeneratedRegex("^\\.ferry-(?:(?<run>[0-9a-f]{32})(?:\\.lock|-[0-9a-f]{16}(?<partial>\\.partial))|[0-9a-f]{16}(?<partial>\\.partial))$", RegexOptions.CultureInvariant)]
    private static partial Regex Leftover();
}
