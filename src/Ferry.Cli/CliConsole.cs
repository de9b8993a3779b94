using Microsoft.Win32.SafeHandles;

namespace Ferry.Cli;

/// <summary>
/// The process's streams and environment, injected so that commands can be tested in-process.
/// stdout carries data only (archives with <c>-o -</c>, inspect output); people read stderr.
/// </summary>
public sealed record CliConsole(
    Stream In,
    Stream Out,
    TextWriter Error,
    bool InIsTerminal,
    bool ErrorIsTerminal,
    Func<string, string?> Environment)
{
    /// <summary>The real process console.</summary>
    public static CliConsole System()
    {
        var error = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        return new CliConsole(
            Console.OpenStandardInput(),
            StandardOutput(),
            error,
            !Console.IsInputRedirected,
            !Console.IsErrorRedirected,
            global::System.Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// stdout as a plain file stream: the console stream drops writes to a pipe whose reader has
    /// gone (EPIPE), so an export into <c>| head</c> would claim success; this one fails with "Broken pipe".
    /// </summary>
    private static Stream StandardOutput() =>
        OperatingSystem.IsWindows()
            ? Console.OpenStandardOutput()
            : new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
}
