namespace Ferry.Reporting;

/// <summary>
/// Where long operations tell people what they are doing (stderr in the CLI). Implementations
/// decide the form: a live progress display on a terminal, plain lines otherwise.
/// </summary>
public interface IProgressSink
{
    /// <summary>An informational line.</summary>
    void Info(string text);

    /// <summary>Something the user should look at; the operation goes on.</summary>
    void Warning(string text);

    /// <summary>Starts a unit of work (a table) with an expected number of rows when known.</summary>
    IProgressTask Start(string description, long? total);
}

/// <summary>One unit of work; dispose when it is done.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Adds <paramref name="rows"/> to the work done.</summary>
    void Increment(long rows);
}

/// <summary>A sink that says nothing (library callers, tests).</summary>
public sealed class SilentProgress : IProgressSink
{
    public static readonly SilentProgress Instance = new();

    public void Info(string text) { }

    public void Warning(string text) { }

    public IProgressTask Start(string description, long? total) => NoTask.Instance;

    private sealed class NoTask : IProgressTask
    {
        public static readonly NoTask Instance = new();

        public void Increment(long rows) { }

        public void Dispose() { }
    }
}

/// <summary>Counts rows into a progress task as they stream by, in batches to stay cheap.</summary>
public static class ProgressStreams
{
    public static async IAsyncEnumerable<object?[]> Counted(
        this IAsyncEnumerable<object?[]> rows,
        IProgressTask task,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var pending = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return row;
            if (++pending == 4096)
            {
                task.Increment(pending);
                pending = 0;
            }
        }
        task.Increment(pending);
    }
}
