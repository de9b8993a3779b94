using Ferry.IO;

namespace Ferry.Cli;

/// <summary>
/// Where Ferry may write a file it was given a path for (<c>-o</c>, <c>--report</c>, <c>--log-file</c>):
/// a new file in an existing directory, or an existing regular file. Never a device, a named pipe, a
/// socket or a directory, with or without <c>--force</c> (as root, replacing <c>/dev/null</c> would turn
/// the device into a regular file). A symbolic link is followed when it ends at a regular file, whose
/// place is then written (the link stays, as <c>cp</c> and <c>gpg -o</c> write through one); a link to
/// anything else, or to nothing, is refused.
/// </summary>
public static class OutputPath
{
    /// <summary>
    /// Checks <paramref name="path"/> and returns the full path of the file to write: the path itself,
    /// or the regular file its symbolic link ends at. <paramref name="overwrite"/>: an existing file may
    /// be replaced. <paramref name="label"/> names the option in messages.
    /// </summary>
    public static string Resolve(string path, bool overwrite, string label)
    {
        var full = Path.GetFullPath(path);
        var kind = FileKinds.Of(full);
        if (kind == FileKind.SymbolicLink)
        {
            string target;
            try
            {
                target = File.ResolveLinkTarget(full, returnFinalTarget: true)!.FullName;
            }
            catch (IOException e)
            {
                throw new FerryException($"{label} '{path}' is a symbolic link that cannot be followed: {e.Message}");
            }
            var targetKind = FileKinds.Of(target);
            if (targetKind != FileKind.Regular)
            {
                var what = targetKind == FileKind.Missing ? "nothing" : $"{FileKinds.Describe(targetKind)}";
                throw new FerryException($"{label} '{path}' is a symbolic link to {what} ('{target}'); Ferry follows a link only to a regular file");
            }
            (full, kind) = (target, targetKind);
        }
        switch (kind)
        {
            case FileKind.Missing:
                var directory = Path.GetDirectoryName(full)!;
                if (!Directory.Exists(directory))
                {
                    throw new FerryException($"directory '{directory}' does not exist");
                }
                return full;
            case FileKind.Regular:
                return overwrite ? full : throw new FerryException($"'{path}' already exists; use --force to overwrite it");
            case FileKind.Directory:
                throw new FerryException($"{label} '{path}' is a directory");
            default:
                var hint = label == "-o" ? " (to write into it, use -o - and redirect stdout)" : "";
                throw new FerryException($"{label} '{path}' is {FileKinds.Describe(kind)}, not a regular file: Ferry writes only regular files, with or without --force{hint}");
        }
    }

    /// <summary>
    /// Checks a file that is appended to (<c>--log-file</c>): missing (it is created) or a regular file,
    /// or a link to one. A named pipe with no reader would block every request; a device is not a log.
    /// </summary>
    public static void CheckAppend(string path, string label) => Resolve(path, overwrite: true, label);
}
