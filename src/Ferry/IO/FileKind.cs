using System.Runtime.InteropServices;

namespace Ferry.IO;

/// <summary>What a path names in the file system, as <c>lstat</c> says (a symbolic link is not followed).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    NamedPipe,
    Socket,
}

/// <summary>
/// Reads a path's <see cref="FileKind"/>. .NET tells a regular file from a device or a named pipe nowhere
/// (<see cref="FileSystemInfo.Attributes"/> says <c>Normal</c> for <c>/dev/null</c>), so on Linux this asks
/// the kernel through <c>statx(2)</c>, whose layout is the same on every architecture. Elsewhere it knows
/// only missing, directory, symbolic link and regular.
/// </summary>
public static class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int ModeOffset = 28;
    private const int Enoent = 2;
    private const int Enotdir = 20;

    /// <summary>The kind of <paramref name="path"/> itself (a link is reported as a link).</summary>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            var buffer = new byte[StatxSize];
            if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                return errno is Enoent or Enotdir
                    ? FileKind.Missing
                    : throw new IOException($"cannot read what '{path}' is: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            return (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
            {
                0x8000 => FileKind.Regular,
                0x4000 => FileKind.Directory,
                0xA000 => FileKind.SymbolicLink,
                0x2000 => FileKind.CharacterDevice,
                0x6000 => FileKind.BlockDevice,
                0x1000 => FileKind.NamedPipe,
                _ => FileKind.Socket,
            };
        }
        var info = new FileInfo(path);
        return info.LinkTarget is not null ? FileKind.SymbolicLink
            : Directory.Exists(path) ? FileKind.Directory
            : info.Exists ? FileKind.Regular
            : FileKind.Missing;
    }

    /// <summary>How people call <paramref name="kind"/>: "a character device", "a named pipe".</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.NamedPipe => "a named pipe",
        FileKind.Socket => "a socket",
        _ => "missing",
    };

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
}
