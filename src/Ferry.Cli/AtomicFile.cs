using System.Text.RegularExpressions;
using Ferry.IO;

namespace Ferry.Cli;

/// <summary>
/// Writes a file so that it appears complete or not at all: into a temporary file beside it
/// (readable by its owner only: archives hold personal data), renamed over the target at the end.
/// Only a regular file is ever replaced (<see cref="OutputPath"/>). The temporary file is locked
/// while it exists; those of earlier runs that were killed are removed by the next write to the same name.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> (see <see cref="OutputPath.Resolve"/> for what it may be);
    /// <paramref name="notice"/> hears of temporary files of earlier runs that were removed.
    /// </summary>
    public static async Task<T> WriteAsync<T>(string path, bool overwrite, Func<Stream, Task<T>> write, Action<string>? notice = null, string label = "-o")
    {
        var full = OutputPath.Resolve(path, overwrite, label);
        var directory = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        RemoveAbandoned(directory, name, notice);
        var options = NewFile.Options(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var stream = PartialFiles.CreateLocked(directory, () => $".{name}.{Guid.NewGuid():N}.partial", options);
        var temporary = stream.Name;
        var moved = false;
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
                File.Move(temporary, full, overwrite);
                moved = true;
            }
            await stream.DisposeAsync();
            if (!moved)
            {
                File.Move(temporary, full, overwrite);
                moved = true;
            }
            return result;
        }
        finally
        {
            await stream.DisposeAsync();
            if (!moved)
            {
                File.Delete(temporary);
            }
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
