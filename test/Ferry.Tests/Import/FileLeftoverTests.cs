using System.Diagnostics;
using Ferry.Import;
using Ferry.IO;

namespace Ferry.Tests.Import;

/// <summary>
/// What an import that was killed leaves in a store's imported/ directory, and what the next run removes:
/// files of runs that are gone, never those of a run that still holds its lock (held here by another
/// process through flock(1), as a running Ferry holds it).
/// </summary>
public sealed class FileLeftoverTests : IDisposable
{
    private const string RunA = "0123456789abcdef0123456789abcdef";
    private const string RunB = "fedcba9876543210fedcba9876543210";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-leftovers-").FullName;
    private readonly List<Process> _holders = [];

    public void Dispose()
    {
        foreach (var holder in _holders)
        {
            holder.Kill();
            holder.WaitForExit();
            holder.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private string Write(string name, int bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, new byte[bytes]);
        return path;
    }

    /// <summary>Another process that holds <paramref name="path"/> locked (flock -x, or -s as .NET locks a file it writes with FileShare.Read).</summary>
    private void Hold(string path, bool shared = false)
    {
        var ready = path + ".held";
        var holder = Process.Start("flock", [shared ? "-s" : "-x", path, "sh", "-c", $"touch '{ready}'; exec sleep 60"]);
        _holders.Add(holder);
        for (var i = 0; i < 100 && !File.Exists(ready); i++)
        {
            Thread.Sleep(50);
        }
        Assert.True(File.Exists(ready), "flock did not take the lock");
        File.Delete(ready);
    }

    [Fact]
    public void Files_of_a_run_that_is_gone_are_removed_with_its_lock_file()
    {
        Write($".ferry-{RunA}.lock", 0);
        Write($".ferry-{RunA}-0011223344556677.partial", 1000);
        Write($".ferry-{RunA}-8899aabbccddeeff.partial", 24);

        var (removed, bytes, held) = FileImport.RemoveAbandoned(_dir);

        Assert.Equal((2, 1024L, 0), (removed, bytes, held));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Files_of_a_run_that_still_holds_its_lock_are_left_alone()
    {
        var lockFile = Write($".ferry-{RunA}.lock", 0);
        var live = Write($".ferry-{RunA}-0011223344556677.partial", 100);
        Write($".ferry-{RunB}.lock", 0);
        var dead = Write($".ferry-{RunB}-0011223344556677.partial", 10);
        Hold(lockFile);

        var (removed, bytes, held) = FileImport.RemoveAbandoned(_dir);

        Assert.Equal((1, 10L, 1), (removed, bytes, held));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(lockFile));
        Assert.False(File.Exists(dead));
    }

    [Fact]
    public void Files_of_an_older_ferry_without_lock_files_go_unless_they_are_being_written()
    {
        var abandoned = Write(".ferry-0011223344556677.partial", 7);
        var writing = Write(".ferry-8899aabbccddeeff.partial", 5);
        Hold(writing, shared: true);

        var (removed, bytes, held) = FileImport.RemoveAbandoned(_dir);

        Assert.Equal((1, 7L, 1), (removed, bytes, held));
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(writing));
    }

    [Fact]
    public void A_lock_file_alone_is_removed_and_other_files_are_never_touched()
    {
        Write($".ferry-{RunA}.lock", 0);
        string[] others = ["3f2a0000000000000000000000000000.jpg", ".ferry-notes.txt", ".ferry-0011.partial", $".ferry-{RunB}-0011223344556677.partial.jpg"];
        foreach (var name in others)
        {
            Write(name, 3);
        }

        var (removed, _, held) = FileImport.RemoveAbandoned(_dir);

        Assert.Equal((0, 0), (removed, held));
        Assert.Equal(others.Order(StringComparer.Ordinal), Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_named_pipe_with_a_temporary_name_is_neither_opened_nor_removed()
    {
        var fifo = Path.Combine(_dir, ".ferry-0011223344556677.partial");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var (removed, _, held) = FileImport.RemoveAbandoned(_dir);

        Assert.Equal((0, 0), (removed, held));
        Assert.Equal(FileKind.NamedPipe, FileKinds.Of(fifo));
    }

    [Fact]
    public void A_new_locked_file_is_never_taken_by_a_sweeper()
    {
        using var stream = PartialFiles.CreateLocked(_dir, () => $".ferry-{RunA}.lock", NewFile.Options(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var (removed, _, _) = FileImport.RemoveAbandoned(_dir);

        Assert.Equal(0, removed);
        Assert.True(File.Exists(Path.Combine(_dir, $".ferry-{RunA}.lock")));
        Assert.Null(PartialFiles.TryRemoveAbandoned(stream.Name));
    }
}
