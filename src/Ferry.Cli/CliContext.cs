using Ferry.Cli.Output;
using Ferry.Engines;

namespace Ferry.Cli;

/// <summary>How much a run tells people on stderr: <c>--quiet</c>, the default, or <c>--verbose</c>.</summary>
public enum Verbosity
{
    /// <summary>Errors only (and what would otherwise be lost: a generated password, a report that could not be written).</summary>
    Quiet,
    Normal,
    /// <summary>Also which database, where its password came from, and the causes behind a failure.</summary>
    Verbose,
}

/// <summary>What every command gets: the console, the engines, and how to talk to people.</summary>
public sealed class CliContext(CliConsole console, EngineRegistry engines)
{
    private IInteraction? _interaction;

    public CliConsole Console { get; } = console;

    public EngineRegistry Engines { get; } = engines;

    /// <summary>Set from the global options once the command line is parsed, before the command runs.</summary>
    public Verbosity Verbosity { get; set; } = Verbosity.Normal;

    public IInteraction Interaction => _interaction ??= Verbosity == Verbosity.Quiet
        ? new QuietInteraction()
        : Console.ErrorIsTerminal
            ? new SpectreInteraction(Console.Error)
            : new PlainInteraction(Console.Error, ProgressInterval());

    /// <summary>A line for <c>--verbose</c> only.</summary>
    public void Detail(string text)
    {
        if (Verbosity == Verbosity.Verbose)
        {
            Interaction.Line(text);
        }
    }

    // How often a log gets a line about a step still running (FERRY_PROGRESS_INTERVAL seconds, default 5).
    private TimeSpan ProgressInterval() =>
        double.TryParse(Console.Environment("FERRY_PROGRESS_INTERVAL"), System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : PlainInteraction.DefaultInterval;
}
