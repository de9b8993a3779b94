using Ferry.Reporting;

namespace Ferry.Cli.Output;

/// <summary>
/// How commands talk to people, on stderr: a Spectre.Console live display on a terminal, plain
/// lines otherwise (logs, pipes, tests), nothing with <c>--quiet</c>.
/// </summary>
public interface IInteraction
{
    /// <summary>Runs <paramref name="work"/> with a progress sink that shows steps as they go.</summary>
    Task<T> WithProgressAsync<T>(Func<IProgressSink, Task<T>> work);

    /// <summary>A line for people.</summary>
    void Line(string text);

    /// <summary>A table for people (header first).</summary>
    void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows);
}

/// <summary><c>--quiet</c>: nothing but errors, which the app prints itself.</summary>
public sealed class QuietInteraction : IInteraction
{
    public Task<T> WithProgressAsync<T>(Func<IProgressSink, Task<T>> work) => work(SilentProgress.Instance);

    public void Line(string text)
    {
    }

    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
    }
}
