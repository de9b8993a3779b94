namespace Ferry.Cli;

/// <summary>
/// Writes a file so that it appears complete or not at all: into a temporary file beside it
/// (readable by its owner only: archives hold personal data), renamed over the target at the end.
/// </summary>
public static class AtomicFile
{
    public static async Task<T> WriteAsync<T>(string path, bool overwrite, Func<Stream, Task<T>> write)
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
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.partial");
        var options = Ferry.IO.NewFile.Options(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            T result;
            await using (var stream = new FileStream(temporary, options))
            {
                result = await write(stream);
                await stream.FlushAsync();
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite);
            return result;
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
