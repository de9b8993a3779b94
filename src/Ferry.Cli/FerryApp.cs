using System.CommandLine;
using System.CommandLine.Help;
using Ferry.Cli.Commands;
using Ferry.Cli.Demo;
using Ferry.Engines;
using Ferry.MariaDb;
using Ferry.Postgres;
using Ferry.Sqlite;

namespace Ferry.Cli;

/// <summary>The command line: parses, runs one command, and turns every failure into one <c>error:</c> line and an exit code.</summary>
public static class FerryApp
{
    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Print errors only", Recursive = true };

    public static readonly Option<bool> Verbose = new("--verbose", "-v") { Description = "Print more detail: which databases, where their passwords came from, the causes of a failure", Recursive = true };

    public static readonly Option<bool> Debug = new("--debug") { Description = "Print a stack trace with a failure (for bug reports)", Recursive = true };

    /// <summary>The exit codes, as <c>ferry --help</c> and the README list them.</summary>
    public static readonly IReadOnlyList<(int Code, string Meaning)> ExitCodeMeanings =
    [
        (ExitCodes.Success, "success"),
        (ExitCodes.Failure, "failure (one line error: ... says what and what to do); nothing was committed"),
        (ExitCodes.Usage, "usage error: a wrong option or value; nothing was done"),
        (ExitCodes.Conflicts, "conflicts: rows that already exist in the target; nothing was written"),
        (ExitCodes.Busy, "busy: the server is running another import; nothing was sent or written, try again later"),
    ];

    public static EngineRegistry DefaultEngines(Func<string, string?>? environment = null) =>
        new([
            new SqliteEngineFactory(),
            new PostgresEngineFactory(environment ?? Environment.GetEnvironmentVariable),
            new MariaDbEngineFactory(environment ?? Environment.GetEnvironmentVariable),
        ]);

    /// <summary>Every command and option: what runs, and what help, completion and the man page describe.</summary>
    public static Command BuildRoot(CliContext context)
    {
        // A named root rather than RootCommand, whose name is the assembly's: help says "ferry export".
        var root = new Command("ferry", "Ferry moves one tenant of an application's database to another running instance.")
        {
            new HelpOption { Action = HelpText.Action() },
            new VersionOption(),
            new ExportCommand(context),
            new ImportCommand(context),
            new ForgetCommand(context),
            new PlanCommand(context),
            new ProfileCommand(context),
            new InspectCommand(context),
            new ServeCommand(context),
            new PushCommand(context),
            new DemoCommand(context),
            new HelpCommand(context),
            new CompletionCommand(context),
            new CompleteCommand(context),
        };
        root.Options.Add(Quiet);
        root.Options.Add(Verbose);
        root.Options.Add(Debug);
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var context = new CliContext(console, DefaultEngines(console.Environment));
        var root = BuildRoot(context);
        // "ferry" alone is a question: the answer is the help, as with --help.
        var parse = root.Parse(args.Length == 0 ? ["--help"] : args);
        // "ferry import --help" has errors (no archive) but asks for help, which wins.
        if (parse.Errors.Count > 0 && !HelpText.IsHelp(parse.Action))
        {
            var command = parse.CommandResult.Command == root ? "ferry" : $"ferry {parse.CommandResult.Command.Name}";
            console.Error.WriteLine($"error: {Suggestions.Describe(parse)} (see {command} --help)");
            return ExitCodes.Usage;
        }
        if (parse.GetValue(Quiet) && parse.GetValue(Verbose))
        {
            console.Error.WriteLine("error: --quiet and --verbose contradict each other: give one");
            return ExitCodes.Usage;
        }
        context.Verbosity = parse.GetValue(Quiet) ? Verbosity.Quiet : parse.GetValue(Verbose) ? Verbosity.Verbose : Verbosity.Normal;
        var output = new StreamWriter(console.Out, leaveOpen: true) { AutoFlush = true };
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = console.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (Describe(e) is { } failure)
        {
            // Details first: the error line stays the last line, for people and for scripts that read it.
            if (parse.GetValue(Debug))
            {
                console.Error.WriteLine(e.ToString());
            }
            else if (context.Verbosity == Verbosity.Verbose)
            {
                for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
                {
                    console.Error.WriteLine($"cause: {inner.GetType().Name}: {Ferry.Archive.ArchiveText.Clean(inner.Message)}");
                }
            }
            // A message may quote an archive's names or values: control characters are shown escaped, never sent to the terminal.
            console.Error.WriteLine($"error: {Ferry.Archive.ArchiveText.Clean(failure.Message)}");
            return failure.Code;
        }
        finally
        {
            // Also after Ctrl+C: what was written still goes out.
            await output.FlushAsync(CancellationToken.None);
        }
    }

    private static (string Message, int Code)? Describe(Exception e) => e switch
    {
        FerryException f => (f.Message, f.ExitCode),
        OperationCanceledException => ("cancelled; nothing was committed", ExitCodes.Failure),
        IOException io when io.Message.Contains("Broken pipe", StringComparison.OrdinalIgnoreCase) => ("the output pipe was closed", ExitCodes.Failure),
        UnauthorizedAccessException u => (u.Message, ExitCodes.Failure),
        _ => ($"unexpected {e.GetType().Name}: {e.Message} (run with --debug for a stack trace to report)", ExitCodes.Failure),
    };
}
