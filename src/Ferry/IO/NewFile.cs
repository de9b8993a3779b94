namespace Ferry.IO;

/// <summary>How Ferry creates the files it writes (archives, reports, imported files): never over an existing one.</summary>
public static class NewFile
{
    /// <summary>
    /// Options that create the file, failing when it exists, for asynchronous writes with a 64 KiB
    /// buffer, with <paramref name="mode"/> on Unix (the process's umask still applies).
    /// </summary>
    public static FileStreamOptions Options(UnixFileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            BufferSize = 1 << 16,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        return options;
    }
}
