using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>A command: its options, and one method that runs it and returns the exit code.</summary>
public abstract class FerryCommand : Command
{
    protected FerryCommand(string name, string description, CliContext context)
        : base(name, description)
    {
        Context = context;
        SetAction(ExecuteAsync);
    }

    protected CliContext Context { get; }

    /// <summary>Runs the command. Failures are thrown as <see cref="FerryException"/>; the app turns them into one error line.</summary>
    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken);

    /// <summary>Splits comma-separated values given once or several times (<c>--ids 1,2 --ids 3</c>).</summary>
    protected static IReadOnlyList<string> SplitList(IEnumerable<string>? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
}
