using System.CommandLine;

namespace Ferry.Cli.Commands;

/// <summary>
/// <c>ferry completion bash|zsh|fish</c>: a script that completes ferry's commands, options and values in
/// that shell. The script asks <c>ferry complete</c>, which answers from the same definitions as help
/// (System.CommandLine's completions), so it never goes out of date.
/// </summary>
public sealed class CompletionCommand : FerryCommand
{
    private readonly Argument<string> _shell = new("shell") { Description = "bash, zsh or fish" };

    public CompletionCommand(CliContext context)
        : base("completion", "Print a shell completion script: eval \"$(ferry completion bash)\", or save it where your shell loads completions", context)
    {
        _shell.AcceptOnlyFromAmong("bash", "zsh", "fish");
        Arguments.Add(_shell);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var script = parseResult.GetRequiredValue(_shell) switch
        {
            "bash" => Bash,
            "zsh" => "autoload -U +X bashcompinit && bashcompinit\n" + Bash,
            _ => Fish,
        };
        await parseResult.InvocationConfiguration.Output.WriteAsync(script);
        return ExitCodes.Success;
    }

    private const string Bash = """
        # ferry completion (bash): eval "$(ferry completion bash)"
        _ferry_complete() {
          local IFS=$'\n'
          COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" complete --position "$COMP_POINT" "$COMP_LINE" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _ferry_complete ferry ./ferry

        """;

    private const string Fish = """
        # ferry completion (fish): ferry completion fish > ~/.config/fish/completions/ferry.fish
        complete -c ferry -f -a '(ferry complete --position (string length -- (commandline -cp)) (commandline -cp))'

        """;
}

/// <summary>
/// <c>ferry complete --position N LINE</c> (hidden): the completions for a command line with the cursor at
/// <c>N</c>, one per line, for the completion scripts.
/// </summary>
public sealed class CompleteCommand : FerryCommand
{
    private readonly Argument<string> _line = new("line") { Description = "The whole command line, starting with the program's name" };
    private readonly Option<int?> _position = new("--position") { Description = "The cursor's position in the line (default: its end)" };

    public CompleteCommand(CliContext context)
        : base("complete", "Completions for a command line (used by the completion scripts)", context)
    {
        Hidden = true;
        Arguments.Add(_line);
        Options.Add(_position);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var line = parseResult.GetRequiredValue(_line);
        var position = Math.Clamp(parseResult.GetValue(_position) ?? line.Length, 0, line.Length);
        // The first word is the program however it was called (ferry, ./ferry, ~/bin/ferry): completions start after it.
        var start = line.TrimStart();
        var skipped = line.Length - start.Length;
        var space = start.IndexOf(' ', StringComparison.Ordinal);
        var rest = space < 0 ? "" : start[(space + 1)..];
        var cursor = Math.Max(0, position - skipped - (space < 0 ? start.Length : space + 1));
        var root = Parents.OfType<Command>().First();
        var completions = root.Parse(rest).GetCompletions(cursor);
        var output = parseResult.InvocationConfiguration.Output;
        foreach (var item in completions.Where(c => !c.Label.StartsWith('[')))
        {
            await output.WriteLineAsync(item.Label);
        }
        return ExitCodes.Success;
    }
}
