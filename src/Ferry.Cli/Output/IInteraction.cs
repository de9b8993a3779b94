using System.Diagnostics;
using System.Globalization;
using Ferry.Reporting;

namespace Ferry.Cli.Output;

/// <summary>
/// How commands talk to people, on stderr: a Spectre.Console live display on a terminal, plain
/// lines otherwise (logs, pipes, tests).
/// </summary>
public interface IInteraction
{
    /// <summary>Runs <paramref name="work"/> with a progress sink that shows tables as they go.</summary>
    Task<T> WithProgressAsync<T>(Func<IProgressSink, Task<T>> work);

    /// <summary>A line for people.</summary>
    void Line(string text);

    /// <summary>A table for people (header first).</summary>
    void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows);
}

/// <summary>Plain lines on a writer: what logs and pipes get.</summary>
public sealed class PlainInteraction(TextWriter error) : IInteraction, IProgressSink
{
    public Task<T> WithProgressAsync<T>(Func<IProgressSink, Task<T>> work) => work(this);

    public void Line(string text) => error.WriteLine(text);

    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        string Format(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        error.WriteLine(Format(header));
        foreach (var row in rows)
        {
            error.WriteLine(Format(row));
        }
    }

    public void Info(string text) => error.WriteLine(text);

    public void Warning(string text) => error.WriteLine($"warning: {text}");

    public IProgressTask Start(string description, long? total) => new PlainTask(error, description);

    private sealed class PlainTask(TextWriter error, string description) : IProgressTask
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _rows;

        public void Increment(long rows) => _rows += rows;

        // The duration tells a log reader which step a slow run spent its time in.
        public void Dispose() =>
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{description}: {_rows:N0} rows in {Stopwatch.GetElapsedTime(_started).TotalSeconds:0.00} s"));
    }
}
