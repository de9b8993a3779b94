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
            Console.OpenStandardOutput(),
            error,
            !Console.IsInputRedirected,
            !Console.IsErrorRedirected,
            global::System.Environment.GetEnvironmentVariable);
    }
}
