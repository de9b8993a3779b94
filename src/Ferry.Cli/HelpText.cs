using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Ferry.Cli;

/// <summary>
/// The help text: System.CommandLine's own, from the command definitions, with the exit codes and the
/// environment variables after the root's. <c>--help</c>, <c>ferry help COMMAND</c> and the man page
/// (<see cref="ManPage"/>) all come from here.
/// </summary>
public static class HelpText
{
    /// <summary>Help is laid out for this width whatever the terminal, so that it reads the same in a file.</summary>
    public const int Width = 100;

    /// <summary>The environment variables Ferry reads, and what for.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> Environment =
    [
        ("FERRY_PASSWORD", "The archive password (export, import, inspect, push), instead of --password-file"),
        ("FERRY_FROM", "The source connection string when --from is not given"),
        ("FERRY_TO", "The target connection string when --to is not given"),
        ("FERRY_FROM_PASSWORD", "The source database's password, instead of --from-password-file"),
        ("FERRY_TO_PASSWORD", "The target database's password, instead of --to-password-file"),
        ("PGPASSWORD, PGPASSFILE", "PostgreSQL passwords as libpq reads them (else ~/.pgpass, which must be mode 0600)"),
        ("PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR", "A PostgreSQL service from ~/.pg_service.conf or pg_service.conf, as libpq reads it"),
        ("PGHOST, PGPORT, PGUSER, PGDATABASE", "PostgreSQL defaults for what a postgres:// URL leaves out, as libpq"),
        ("MYSQL_PWD", "A MariaDB/MySQL password, as the mysql client reads it, when no other is given"),
        ("FERRY_PROGRESS_INTERVAL", "Seconds between progress lines in a log on long steps (default 5)"),
        ("XDG_STATE_HOME", "Where serve keeps its self-signed certificate (default ~/.local/state/ferry)"),
    ];

    /// <summary>The action of every <c>--help</c>: System.CommandLine's help, then, for ferry itself, exit codes and environment.</summary>
    public static SynchronousCommandLineAction Action() => new RootHelpAction();

    /// <summary>True when <paramref name="action"/> is the help's.</summary>
    public static bool IsHelp(CommandLineAction? action) => action is RootHelpAction;

    /// <summary>The help of the command at <paramref name="path"/> under <paramref name="root"/>, as <c>--help</c> prints it.</summary>
    public static string For(Command root, IEnumerable<string> path)
    {
        using var writer = new StringWriter();
        root.Parse([.. path, "--help"]).Invoke(new InvocationConfiguration { Output = writer, Error = writer });
        return writer.ToString();
    }

    private sealed class RootHelpAction : SynchronousCommandLineAction
    {
        private readonly HelpAction _help = new() { MaxWidth = Width };

        public override int Invoke(ParseResult parseResult)
        {
            try
            {
                _help.Invoke(parseResult);
                if (!parseResult.CommandResult.Command.Parents.Any())
                {
                    var output = parseResult.InvocationConfiguration.Output;
                    ExitCodesSection(output);
                    output.WriteLine();
                    EnvironmentSection(output);
                }
            }
            catch (IOException e) when (e.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase))
            {
                // ferry --help | head: the reader has read what it wanted.
            }
            return ExitCodes.Success;
        }
    }

    private static void ExitCodesSection(TextWriter output)
    {
        output.WriteLine("Exit codes:");
        foreach (var (code, meaning) in FerryApp.ExitCodeMeanings)
        {
            output.WriteLine($"  {code}  {meaning}");
        }
    }

    private static void EnvironmentSection(TextWriter output)
    {
        output.WriteLine("Environment:");
        var width = Environment.Max(e => e.Name.Length);
        foreach (var (name, meaning) in Environment)
        {
            output.WriteLine($"  {name.PadRight(width)}  {meaning}");
        }
        output.WriteLine();
        output.WriteLine("Run 'ferry help COMMAND' for a command's options; 'ferry completion bash' for shell completion.");
    }
}
