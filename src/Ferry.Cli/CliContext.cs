using Ferry.Cli.Output;
using Ferry.Engines;

namespace Ferry.Cli;

/// <summary>What every command gets: the console, the engines, and how to talk to people.</summary>
public sealed class CliContext(CliConsole console, EngineRegistry engines)
{
    public CliConsole Console { get; } = console;

    public EngineRegistry Engines { get; } = engines;

    public IInteraction Interaction { get; } =
        console.ErrorIsTerminal ? new SpectreInteraction(console.Error) : new PlainInteraction(console.Error);
}
