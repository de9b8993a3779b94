using System.CommandLine;
using System.Reflection;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry help [COMMAND]</c>: a command's help on stdout, as <c>--help</c>; <c>--man</c> writes the man page.</summary>
public sealed class HelpCommand : FerryCommand
{
    private readonly Argument<string[]> _command = new("command") { Description = "The command to describe (default: all of ferry)", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<bool> _man = new("--man") { Description = "Write the whole manual as a man page (roff) instead: ferry help --man > ferry.1" };

    public HelpCommand(CliContext context)
        : base("help", "Show the help of ferry or of one command", context)
    {
        Arguments.Add(_command);
        Options.Add(_man);
        _command.CompletionSources.Add(completion => Root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
    }

    private Command Root => Parents.OfType<Command>().First();

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (parseResult.GetValue(_man))
        {
            var version = typeof(HelpCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
            await output.WriteAsync(ManPage.Render(Root, version.Split('+')[0]));
            return ExitCodes.Success;
        }
        var command = Root;
        var path = parseResult.GetValue(_command) ?? [];
        foreach (var name in path)
        {
            command = command.Subcommands.FirstOrDefault(c => !c.Hidden && (c.Name == name || c.Aliases.Contains(name)))
                ?? throw new FerryException(
                    $"no command '{name}'" + (Suggestions.Nearest(name, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)) is { } best ? $" (did you mean {best}?)" : "") +
                    "; run ferry help for the list", ExitCodes.Usage);
        }
        await output.WriteAsync(HelpText.For(Root, path));
        return ExitCodes.Success;
    }
}
