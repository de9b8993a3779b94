namespace Ferry.IO;

/// <summary>
/// Temporary files that a process killed mid-write (kill -9, a power cut) leaves behind, and how a later
/// run removes them without ever removing one that a running Ferry still writes.
/// <para>A writer holds an exclusive lock on its temporary file (or on a lock file of its run) from the
/// moment it exists until it is renamed or removed: <see cref="FileShare.None"/>, which .NET takes on Unix
/// as <c>flock(LOCK_EX)</c>; a file that .NET opens for writing with any other sharing gets
/// <c>flock(LOCK_SH)</c>, so files of earlier Ferry versions count as held while they are written. Such
/// locks vanish with the process, however it dies. A later run removes a file only while it holds that
/// lock itself, so a file whose writer is alive is never touched.</para>
/// <para>With <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> set, .NET takes no locks: nothing is then
/// removed (see <see cref="LockingDisabled"/>).</para>
/// </summary>
public static class PartialFiles
{
    /// <summary>True when .NET was told not to lock files: then no file can be proven abandoned.</summary>
    public static bool LockingDisabled =>
        AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) ? disabled
        : Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true";

    /// <summary>
    /// Creates a new file named by <paramref name="name"/> in <paramref name="directory"/> and returns it
    /// open, exclusively locked until disposed. Between creating a file and locking it a sweeping run may
    /// lock and remove it: the name is then checked after the lock, and another name drawn.
    /// </summary>
    public static FileStream CreateLocked(string directory, Func<string> name, FileStreamOptions options)
    {
        options.Share = FileShare.None;
        const int attempts = 4;
        for (var attempt = 1; ; attempt++)
        {
            var path = Path.Combine(directory, name());
            FileStream stream;
            try
            {
                stream = new FileStream(path, options);
            }
            catch (IOException e) when (e is not DirectoryNotFoundException && attempt < attempts)
            {
                // The name was taken, or a sweeper held the new file's lock for a moment: draw another.
                continue;
            }
            if (File.Exists(path))
            {
                return stream;
            }
            stream.Dispose();
            if (attempt == attempts)
            {
                throw new IOException($"cannot create a temporary file in {directory}: it was removed as soon as it was created");
            }
        }
    }

    /// <summary>
    /// Removes the regular file <paramref name="path"/> if no process holds a lock on it: returns its size
    /// when removed, null when it is held (being written), not a regular file, gone, or not ours to open.
    /// </summary>
    public static long? TryRemoveAbandoned(string path)
    {
        if (LockingDisabled || FileKinds.Of(path) != FileKind.Regular)
        {
            return null;
        }
        try
        {
            using var held = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            var size = held.Length;
            // Removed while the lock is held: no writer can have taken it over in between.
            File.Delete(path);
            return size;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="whileHeld"/> with the lock file <paramref name="lockPath"/> exclusively locked,
    /// then removes the lock file; returns false, without running it, when another process holds the lock.
    /// </summary>
    public static bool TryWithAbandonedLock(string lockPath, Action whileHeld)
    {
        if (LockingDisabled || FileKinds.Of(lockPath) != FileKind.Regular)
        {
            return false;
        }
        try
        {
            using var held = new FileStream(lockPath, FileMode.Open, FileAccess.Read, FileShare.None);
            whileHeld();
            File.Delete(lockPath);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
