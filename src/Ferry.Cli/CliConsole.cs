using Ferry.Cli.Output;

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
        var closed = OperatingSystem.IsWindows() ? new HashSet<int>() : new[] { 0, 1, 2 }.Where(DescriptorStream.ClosedAtStart).ToHashSet();
        var error = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        return new CliConsole(
            Console.OpenStandardInput(),
            closed.Contains(1) ? DescriptorStream.Closed() : StandardOutput(),
            error,
            !Console.IsInputRedirected,
            !Console.IsErrorRedirected,
            global::System.Environment.GetEnvironmentVariable);
    }

    /// <summary>
    /// stdout as plain <c>write(2)</c> calls on descriptor 1 (see <see cref="DescriptorStream"/>): every byte
    /// after what the file already holds, in order, and "Broken pipe" when the reader has gone.
    /// </summary>
    private static Stream StandardOutput() =>
        OperatingSystem.IsWindows() ? Console.OpenStandardOutput() : new DescriptorStream(1);
}
