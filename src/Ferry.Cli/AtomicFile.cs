namespace Ferry.Cli;

/// <summary>
/// Writes a file so that it appears complete or not at all: into a temporary file beside it
/// (readable by its owner only: archives and reports hold personal data), renamed over the target at the end.
/// </summary>
public static class AtomicFile
{
    /// <summary>Checks before any work that <paramref name="path"/> can be written: its directory exists and it is no directory (nor an existing file, unless <paramref name="overwrite"/>).</summary>
    public static string Check(string path, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new FerryException($"'{path}' is a directory");
        }
        if (File.Exists(full) && !overwrite)
        {
            throw new FerryException($"'{path}' already exists; use --force to overwrite it");
        }
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new FerryException($"directory '{directory}' does not exist");
        }
        return full;
    }

    public static async Task<T> WriteAsync<T>(string path, bool overwrite, Func<Stream, Task<T>> write)
    {
        using var pending = Reserve(path, overwrite);
        return await pending.CommitAsync(write);
    }

    /// <summary>
    /// Creates the temporary file now, so that a path that cannot be written fails before any work is done;
    /// <see cref="PendingFile.CommitAsync{T}"/> writes and renames it later. Disposing an uncommitted one deletes it.
    /// </summary>
    public static PendingFile Reserve(string path, bool overwrite)
    {
        var full = Check(path, overwrite);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        var options = Ferry.IO.NewFile.Options(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            return new PendingFile(full, temporary, new FileStream(temporary, options), overwrite);
        }
        catch (UnauthorizedAccessException)
        {
            throw new FerryException($"cannot write '{path}': no permission to create files in {Path.GetDirectoryName(full)}");
        }
        catch (IOException e)
        {
            throw new FerryException($"cannot write '{path}': {e.Message}");
        }
    }
}

/// <summary>A file reserved by <see cref="AtomicFile.Reserve"/>: written and renamed into place once, or deleted.</summary>
public sealed class PendingFile(string path, string temporary, FileStream stream, bool overwrite) : IDisposable
{
    private bool _done;

    public string Path => path;

    /// <summary>Writes the content and renames the file into place; on failure nothing is left behind.</summary>
    public async Task<T> CommitAsync<T>(Func<Stream, Task<T>> write)
    {
        try
        {
            T result;
            await using (stream)
            {
                result = await write(stream);
                await stream.FlushAsync();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite);
            _done = true;
            return result;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        stream.Dispose();
        File.Delete(temporary);
    }
}
