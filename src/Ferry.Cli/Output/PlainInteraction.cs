using System.Diagnostics;
using System.Globalization;
using Ferry.Reporting;

namespace Ferry.Cli.Output;

/// <summary>
/// Plain lines on a writer: what logs and pipes get. Each step says when it ends, with its rows and
/// duration; a step that runs longer than <paramref name="interval"/> also gets a line every interval
/// (rows done, rows/s, elapsed), so that a log never goes silent on a long table.
/// </summary>
public sealed class PlainInteraction(TextWriter error, TimeSpan interval) : IInteraction, IProgressSink, IByteProgress
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    // Lines come from the command and from the heartbeat timer: one writer, one line at a time.
    private readonly Lock _lock = new();
    private readonly List<PlainTask> _running = [];

    public async Task<T> WithProgressAsync<T>(Func<IProgressSink, Task<T>> work)
    {
        // A thread of its own rather than a pool timer: the pool is busiest (archive reading, compression) exactly
        // when a log most needs to hear that a step is still going.
        using var stop = new ManualResetEventSlim();
        var heartbeat = new Thread(() =>
        {
            while (!stop.Wait(interval))
            {
                Heartbeat();
            }
        }) { IsBackground = true, Name = "ferry progress" };
        heartbeat.Start();
        try
        {
            return await work(this);
        }
        finally
        {
            stop.Set();
            heartbeat.Join();
        }
    }

    // Names and values in lines may come from an archive: control characters are shown escaped.
    public void Line(string text)
    {
        lock (_lock)
        {
            error.WriteLine(Archive.ArchiveText.Clean(text));
        }
    }

    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        rows = rows.Select(r => (IReadOnlyList<string>)r.Select(Archive.ArchiveText.Clean).ToList()).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToList();
        string Format(IReadOnlyList<string> cells) =>
            string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        lock (_lock)
        {
            error.WriteLine(Format(header));
            foreach (var row in rows)
            {
                error.WriteLine(Format(row));
            }
        }
    }

    public void Info(string text) => Line(text);

    public void Warning(string text) => Line($"warning: {text}");

    public IProgressTask Start(string description, long? total) => Start(description, total, ProgressUnit.Rows);

    public IProgressTask StartBytes(string description, long? total) => Start(description, total, ProgressUnit.Bytes);

    private PlainTask Start(string description, long? total, ProgressUnit unit)
    {
        var task = new PlainTask(this, Archive.ArchiveText.Clean(description), total, unit);
        lock (_lock)
        {
            _running.Add(task);
        }
        return task;
    }

    private void Heartbeat()
    {
        lock (_lock)
        {
            foreach (var task in _running.Where(t => t.Elapsed >= interval))
            {
                error.WriteLine(task.Describe(done: false));
            }
        }
    }

    private void End(PlainTask task)
    {
        lock (_lock)
        {
            _running.Remove(task);
            error.WriteLine(task.Describe(done: true));
        }
    }

    private sealed class PlainTask(PlainInteraction owner, string description, long? total, ProgressUnit unit) : IProgressTask
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        private long _rows;

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

        public void Increment(long rows) => Interlocked.Add(ref _rows, rows);

        public void Dispose() => owner.End(this);

        // "stage messages: 1,234,567 rows in 11.52 s" at the end; while running
        // "stage messages: 600,000 of 1,500,000 rows, 52,100 rows/s, 11.5 s elapsed" (the count only for steps that count rows as they go).
        public string Describe(bool done)
        {
            var rows = Interlocked.Read(ref _rows);
            var seconds = Elapsed.TotalSeconds;
            if (unit == ProgressUnit.Bytes)
            {
                var of = total is > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {total / 1e6:N1}") : "";
                return done
                    ? string.Create(CultureInfo.InvariantCulture, $"{description}: {rows / 1e6:N1} MB in {seconds:0.00} s")
                    : string.Create(CultureInfo.InvariantCulture, $"{description}: {rows / 1e6:N1}{of} MB, {rows / 1e6 / seconds:N1} MB/s, {seconds:0.0} s elapsed");
            }
            if (done)
            {
                // The duration tells a log reader which step a slow run spent its time in.
                return string.Create(CultureInfo.InvariantCulture, $"{description}: {rows:N0} rows in {seconds:0.00} s");
            }
            if (rows == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{description}: running, {seconds:0.0} s elapsed");
            }
            var ofRows = total is > 0 ? string.Create(CultureInfo.InvariantCulture, $" of {total:N0}") : "";
            return string.Create(CultureInfo.InvariantCulture, $"{description}: {rows:N0}{ofRows} rows, {rows / seconds:N0} rows/s, {seconds:0.0} s elapsed");
        }
    }
}
