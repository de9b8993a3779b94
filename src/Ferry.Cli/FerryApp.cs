using System.CommandLine;
using System.CommandLine.Help;
using Ferry.Cli.Commands;
using Ferry.Cli.Demo;
using Ferry.Engines;
using Ferry.Postgres;
using Ferry.Sqlite;

namespace Ferry.Cli;

/// <summary>The command line: parses, runs one command, and turns every failure into one <c>error:</c> line and an exit code.</summary>
public static class FerryApp
{
    public static readonly Option<bool> Verbose = new("--verbose") { Description = "Show details of failures (stack traces)", Recursive = true };

    public static EngineRegistry DefaultEngines() => new([new SqliteEngineFactory(), new PostgresEngineFactory()]);

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var context = new CliContext(console, DefaultEngines());
        // A named root rather than RootCommand, whose name is the assembly's: help says "ferry export".
        var root = new Command("ferry", "Ferry moves one tenant of an application's database to another running instance.")
        {
            new HelpOption(),
            new VersionOption(),
            new ExportCommand(context),
            new ImportCommand(context),
            new PlanCommand(context),
            new InspectCommand(context),
            new ServeCommand(context),
            new PushCommand(context),
            new DemoCommand(context),
        };
        root.Options.Add(Verbose);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            var command = parse.CommandResult.Command == root ? "ferry" : $"ferry {parse.CommandResult.Command.Name}";
            console.Error.WriteLine($"error: {string.Join(" ", parse.Errors.Select(e => e.Message))} (see {command} --help)");
            return ExitCodes.Usage;
        }
        var output = new StreamWriter(console.Out, leaveOpen: true) { AutoFlush = true };
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = console.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e) when (Describe(e) is { } failure)
        {
            console.Error.WriteLine($"error: {failure.Message}");
            if (parse.GetValue(Verbose))
            {
                console.Error.WriteLine(e.ToString());
            }
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
        _ => ($"unexpected {e.GetType().Name}: {e.Message} (run with --verbose for details)", ExitCodes.Failure),
    };
}
