using System.CommandLine;
using System.Text.Json;
using Ferry.Archive;
using Ferry.Cli.Output;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry inspect</c>: verifies an archive and prints its summary, without any database (text, or JSON for scripts).</summary>
public sealed class InspectCommand : FerryCommand
{
    private readonly Argument<string> _archive = new("archive") { Description = "Archive path, or - for stdin" };
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD, else a prompt)" };
    private readonly Option<string> _maxRowSize = new("--max-row-size") { Description = "Largest row accepted: bytes, or with K, M, G (default 32M)" };
    private readonly Option<string> _format = new("--format") { Description = "text (default) or json", DefaultValueFactory = _ => "text" };

    public InspectCommand(CliContext context)
        : base("inspect", "Verify an archive and print what it holds", context)
    {
        _format.AcceptOnlyFromAmong("text", "json");
        Arguments.Add(_archive);
        Options.Add(_passwordFile);
        Options.Add(_maxRowSize);
        Options.Add(_format);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = parseResult.GetRequiredValue(_archive);
        var fromStdin = path == "-";
        ImportCommand.CheckArchive(path, Context, "inspect");
        var password = Passwords.FromFileOrEnvironment(parseResult.GetValue(_passwordFile), Context.Console);
        await using var input = fromStdin ? Context.Console.In : File.OpenRead(path);
        // inspect writes nothing anywhere: it reads a plain archive too, and says that import would need --allow-plaintext.
        var reading = new ArchiveReadOptions
        {
            AllowPlaintext = true,
            MaxRowBytes = parseResult.GetValue(_maxRowSize) is { } size ? Remote.ServeSettings.ParseSize(size, "--max-row-size") : ArchiveReadOptions.DefaultMaxRowBytes,
        };
        await using var reader = await ArchiveReader.OpenAsync(input, () => password ?? Passwords.Prompt(Context.Console, fromStdin), reading, cancellationToken);
        var trailer = await reader.ReadToEndAsync(cancellationToken);
        var summary = ArchiveSummary.From(reader, trailer);

        if (parseResult.GetRequiredValue(_format) == "json")
        {
            await JsonSerializer.SerializeAsync(Context.Console.Out, summary, ReportJson.Options, cancellationToken);
            await Context.Console.Out.WriteAsync("\n"u8.ToArray(), cancellationToken);
            await Context.Console.Out.FlushAsync(cancellationToken);
            return ExitCodes.Success;
        }
        await using var output = new StreamWriter(Context.Console.Out, leaveOpen: true);
        // Names and values come from the archive: a control character in one is shown escaped, never sent to the terminal.
        foreach (var line in summary.Lines())
        {
            await output.WriteLineAsync(ArchiveText.Clean(line));
        }
        return ExitCodes.Success;
    }
}
