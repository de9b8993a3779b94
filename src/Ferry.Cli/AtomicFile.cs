using System.Text.RegularExpressions;
using Ferry.IO;

namespace Ferry.Cli;

/// <summary>
/// Writes a file so that it appears complete or not at all: into a temporary file beside it
/// (readable by its owner only: archives and reports hold personal data), renamed over the target at the end.
/// Only a regular file is ever replaced (<see cref="OutputPath"/>). The temporary file is locked
/// while it exists; those of earlier runs that were killed are removed by the next write to the same name.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Checks before any work that <paramref name="path"/> can be written (see <see cref="OutputPath.Resolve"/>);
    /// returns the full path of the file that will be written.
    /// </summary>
    public static string Check(string path, bool overwrite, string label = "-o") => OutputPath.Resolve(path, overwrite, label);

    /// <summary>
    /// Writes <paramref name="path"/> (see <see cref="OutputPath.Resolve"/> for what it may be);
    /// <paramref name="notice"/> hears of temporary files of earlier runs that were removed.
    /// </summary>
    public static async Task<T> WriteAsync<T>(string path, bool overwrite, Func<Stream, Task<T>> write, Action<string>? notice = null, string label = "-o")
    {
        using var pending = Reserve(path, overwrite, notice, label);
        return await pending.CommitAsync(write);
    }

    /// <summary>
    /// Creates the (locked) temporary file now, so that a path that cannot be written fails before any work is
    /// done; <see cref="PendingFile.CommitAsync{T}"/> writes and renames it later. Disposing an uncommitted one deletes it.
    /// </summary>
    public static PendingFile Reserve(string path, bool overwrite, Action<string>? notice = null, string label = "-o")
    {
        var full = Check(path, overwrite, label);
        var directory = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        RemoveAbandoned(directory, name, notice);
        var options = NewFile.Options(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            var stream = PartialFiles.CreateLocked(directory, () => $".{name}.{Guid.NewGuid():N}.partial", options);
            return new PendingFile(path, full, stream, overwrite, label);
        }
        catch (UnauthorizedAccessException)
        {
            throw new FerryException($"cannot write '{path}': no permission to create files in {directory}");
        }
        catch (IOException e)
        {
            throw new FerryException($"cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Removes the temporary files of earlier writes of <paramref name="name"/> that nobody holds any more.</summary>
    private static void RemoveAbandoned(string directory, string name, Action<string>? notice)
    {
        var pattern = new Regex($"^\\.{Regex.Escape(name)}\\.[0-9a-f]{{32}}\\.partial$", RegexOptions.CultureInvariant);
        foreach (var file in Directory.EnumerateFiles(directory, $".{name}.*.partial"))
        {
            if (!pattern.IsMatch(Path.GetFileName(file)) || FileKinds.Of(file) != FileKind.Regular)
            {
                continue;
            }
            if (PartialFiles.TryRemoveAbandoned(file) is { } bytes)
            {
                notice?.Invoke($"removed {file} ({bytes:N0} bytes), left by an earlier run that was interrupted");
            }
            else
            {
                notice?.Invoke($"left {file} alone: another process is still writing it (or it cannot be locked)");
            }
        }
    }
}

/// <summary>A file reserved by <see cref="AtomicFile.Reserve"/>: written and renamed into place once, or deleted.</summary>
public sealed class PendingFile(string path, string full, FileStream stream, bool overwrite, string label) : IDisposable
{
    private readonly string _temporary = stream.Name;
    private bool _done;

    /// <summary>The path as given.</summary>
    public string Path => path;

    /// <summary>Writes the content and renames the file into place; on failure nothing is left behind.</summary>
    public async Task<T> CommitAsync<T>(Func<Stream, Task<T>> write)
    {
        try
        {
            var result = await write(stream);
            await stream.FlushAsync();
            stream.Flush(flushToDisk: true);
            // Checked again at the last moment: what the name is may have changed while the data was written.
            OutputPath.Resolve(path, overwrite, label);
            if (!OperatingSystem.IsWindows())
            {
                // Renamed while still locked, so that a sweeping run never sees it unlocked under its temporary name.
                File.Move(_temporary, full, overwrite);
                _done = true;
            }
            await stream.DisposeAsync();
            if (!_done)
            {
                File.Move(_temporary, full, overwrite);
                _done = true;
            }
            return result;
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        stream.Dispose();
        if (_done)
        {
            return;
        }
        _done = true;
        File.Delete(_temporary);
    }
}
