using Ferry.Reporting;
using Spectre.Console;

namespace Ferry.Cli.Output;

/// <summary>
/// A live progress display and tables on a terminal's stderr, through Spectre.Console: a bar per step with
/// its rows, rows/s, and the time left when the step's size is known (its elapsed time otherwise).
/// </summary>
public sealed class SpectreInteraction(TextWriter error) : IInteraction
{
    private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(error),
        Interactive = InteractionSupport.Yes,
    });

    public async Task<T> WithProgressAsync<T>(Func<IProgressSink, Task<T>> work)
    {
        T result = default!;
        var counters = new ProgressCounters();
        await _console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(counters), new TimeLeftColumn(counters), new SpinnerColumn())
            .StartAsync(async context => result = await work(new Sink(_console, context, counters)));
        return result;
    }

    public void Line(string text) => _console.MarkupLine(Markup.Escape(Archive.ArchiveText.Clean(text)));

    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var table = new Spectre.Console.Table().Border(TableBorder.Simple);
        foreach (var (h, i) in header.Select((h, i) => (h, i)))
        {
            table.AddColumn(new TableColumn(Markup.Escape(h)) { Alignment = i == 0 ? Justify.Left : Justify.Right });
        }
        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => Markup.Escape(Archive.ArchiveText.Clean(c))).ToArray());
        }
        _console.Write(table);
    }

    private sealed class Sink(IAnsiConsole console, ProgressContext context, ProgressCounters counters) : IProgressSink, IByteProgress
    {
        public void Info(string text) => console.MarkupLine(Markup.Escape(Archive.ArchiveText.Clean(text)));

        public void Warning(string text) => console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(Archive.ArchiveText.Clean(text))}");

        public IProgressTask Start(string description, long? total) => Start(description, total, ProgressUnit.Rows);

        public IProgressTask StartBytes(string description, long? total) => Start(description, total, ProgressUnit.Bytes);

        private Task Start(string description, long? total, ProgressUnit unit)
        {
            var task = context.AddTask(Markup.Escape(Archive.ArchiveText.Clean(description)), maxValue: total is > 0 ? total.Value : 1);
            task.IsIndeterminate = total is null;
            var counter = new ProgressCounter(unit, total);
            counters.Add(task, counter);
            return new Task(task, counter);
        }

        private sealed class Task(ProgressTask task, ProgressCounter counter) : IProgressTask
        {
            public void Increment(long rows)
            {
                counter.Add(rows);
                if (!task.IsIndeterminate)
                {
                    task.Value = Math.Min(task.MaxValue, counter.Done);
                }
            }

            public void Dispose()
            {
                counter.Stop();
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }
    }
}
