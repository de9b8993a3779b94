namespace Ferry.Files;

/// <summary>
/// The paths a file column holds, relative to the directory of a file store: which are safe to read
/// (never absolute, never leaving the store, not even through a symbolic link) and where they lead.
/// </summary>
public static class StorePath
{
    /// <summary>
    /// Why <paramref name="relative"/> cannot be a path inside a store (<c>"is absolute"</c>, <c>"leaves
    /// the store directory"</c>, …), or null when it can. Pure: the file system is not looked at.
    /// Both <c>/</c> and <c>\</c> count as separators, so a path is judged the same on every system.
    /// </summary>
    public static string? Problem(string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.Length == 0)
        {
            return "is empty";
        }

        if (relative.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character";
        }

        if (relative[0] is '/' or '\\' || Path.IsPathRooted(relative) || (relative.Length >= 2 && relative[1] == ':' && char.IsAsciiLetter(relative[0])))
        {
            return "is absolute";
        }

        var segments = relative.Split('/', '\\');
        if (segments.Any(s => s == ".."))
        {
            return "leaves the store directory";
        }

        return segments.All(s => s.Length == 0 || s == ".") ? "names no file" : null;
    }

    /// <summary>
    /// The full path of <paramref name="relative"/> (which <see cref="Problem"/> accepted) inside
    /// <paramref name="store"/>; null when a symbolic link on the way leads out of the store's
    /// directory. The file need not exist.
    /// </summary>
    public static string? Resolve(string store, string relative)
    {
        var root = RealPath(Path.GetFullPath(store));
        var full = Path.GetFullPath(Path.Combine(root, relative));
        if (!Inside(root, full))
        {
            return null;
        }

        return Inside(root, RealPath(full)) ? full : null;
    }

    private static bool Inside(string root, string path) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // The path with every symbolic link resolved, component by component (as far as the components exist).
    private static string RealPath(string path)
    {
        var root = Path.GetPathRoot(path) ?? "/";
        var real = root;
        var rest = new Queue<string>(path[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        var hops = 0;
        while (rest.TryDequeue(out var part))
        {
            var next = Path.Combine(real, part);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target && hops++ < 40)
            {
                var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(real, target));
                // Re-walk the link's target, then what was left after the link.
                var remaining = rest.ToList();
                var targetRoot = Path.GetPathRoot(resolved) ?? "/";
                rest = new Queue<string>(resolved[targetRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(remaining));
                real = targetRoot;
                continue;
            }

            real = next;
        }

        return real;
    }
}
