using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ferry.Cli.Output;

/// <summary>What a progress step counts.</summary>
public enum ProgressUnit
{
    Rows,
    Bytes,
}

/// <summary>A progress sink that can also show a step counted in bytes (reading an archive of known size).</summary>
public interface IByteProgress
{
    Ferry.Reporting.IProgressTask StartBytes(string description, long? total);
}

/// <summary>
/// A step's own count, kept beside Spectre's task (whose value stops at its maximum, and means nothing for
/// a step of unknown size): rows or bytes done, the step's rate and the time left.
/// </summary>
public sealed class ProgressCounter(ProgressUnit unit, long? total)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _done;
    private long _stopped;

    public long Done => Interlocked.Read(ref _done);

    public ProgressUnit Unit => unit;

    public TimeSpan Elapsed => Interlocked.Read(ref _stopped) is var stopped and > 0
        ? Stopwatch.GetElapsedTime(_started, stopped)
        : Stopwatch.GetElapsedTime(_started);

    public void Add(long count) => Interlocked.Add(ref _done, count);

    public void Stop() => Interlocked.CompareExchange(ref _stopped, Stopwatch.GetTimestamp(), 0);

    /// <summary>Units per second so far; null before there is anything to measure.</summary>
    public double? Rate => Elapsed.TotalSeconds is var s and > 0.2 && Done > 0 ? Done / s : null;

    /// <summary>The time left at the rate so far, when the step's size is known.</summary>
    public TimeSpan? Left => total is > 0 && Rate is { } rate && Interlocked.Read(ref _stopped) == 0
        ? TimeSpan.FromSeconds(Math.Max(0, (total.Value - Done) / rate))
        : null;

    /// <summary>"12,345 rows, 4,567 rows/s" or "12.3 MB, 4.5 MB/s".</summary>
    public string Describe()
    {
        if (Done == 0)
        {
            // A step that is one statement (map keys, insert) counts its rows only when it ends.
            return "";
        }
        var rate = Rate;
        return unit == ProgressUnit.Rows
            ? string.Create(CultureInfo.InvariantCulture, $"{Done:N0} rows{(rate is { } r ? $", {r:N0} rows/s" : "")}")
            : string.Create(CultureInfo.InvariantCulture, $"{Done / 1e6:N1} MB{(rate is { } b ? $", {b / 1e6:N1} MB/s" : "")}");
    }
}

/// <summary>The counters of one progress display's steps, by Spectre task.</summary>
public sealed class ProgressCounters
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, ProgressCounter> _counters = new();

    public void Add(ProgressTask task, ProgressCounter counter) => _counters[task.Id] = counter;

    public ProgressCounter? For(ProgressTask task) => _counters.GetValueOrDefault(task.Id);
}

/// <summary>Rows (or bytes) done and the rate.</summary>
public sealed class RateColumn(ProgressCounters counters) : ProgressColumn
{
    protected override bool NoWrap => true;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        counters.For(task) is { } counter
            ? new Text(counter.Describe(), new Style(Color.Grey))
            : Text.Empty;
}

/// <summary>"ETA 0:01:12" while a step of known size runs; its elapsed time otherwise.</summary>
public sealed class TimeLeftColumn(ProgressCounters counters) : ProgressColumn
{
    protected override bool NoWrap => true;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        if (counters.For(task) is not { } counter)
        {
            return Text.Empty;
        }
        return counter.Left is { } left
            ? new Text($"ETA {Format(left)}", new Style(Color.Blue))
            : new Text(Format(counter.Elapsed), new Style(Color.Grey));
    }

    private static string Format(TimeSpan time) => time.ToString(time.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
