using System.CommandLine;
using System.Text;
using Ferry.Profiles;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry profile</c>: the commands about application profiles (today <c>init</c>).</summary>
public sealed class ProfileCommand : Command
{
    public ProfileCommand(CliContext context)
        : base("profile", "Application profiles (docs/profiles.md): draft one from a database")
    {
        Subcommands.Add(new ProfileInitCommand(context));
    }
}

/// <summary>
/// <c>ferry profile init</c>: a first profile drafted from a source's schema and data, for people to review: the
/// root in force, and commented suggestions (undeclared references with where they likely point and how many
/// values exist there, nullable keys worth following, identities, file columns, tables not reached).
/// </summary>
public sealed class ProfileInitCommand : FerryCommand
{
    private readonly DatabaseOptions _from = new("from", "Source");
    private readonly Option<string> _root = new("--root") { Description = "Table holding the root rows (e.g. groups)", Required = true };
    private readonly Option<string[]> _ids = new("--ids") { Description = "Root keys, comma-separated: counts are then the tenant's, as plan computes them (default: whole tables)" };
    private readonly Option<string> _output = new("--output", "-o") { Description = "Profile file to write (YAML), or - for stdout (the default)" };
    private readonly Option<bool> _force = new("--force") { Description = "Overwrite an existing profile file" };

    public ProfileInitCommand(CliContext context)
        : base("init", "Write a draft profile from a source database: the root, and suggestions to review (all commented out)", context)
    {
        foreach (var option in new Option[] { _from.Connection, _from.PasswordFile, _root, _ids, _output, _force })
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.GetValue(_output) ?? "-";
        var toStdout = output == "-";
        // Checked before the source is read: an existing profile is kept unless --force, and only a regular file is replaced.
        using var pending = toStdout ? null : AtomicFile.Reserve(output, parseResult.GetValue(_force), Context.Detail);
        var (_, _, engine) = _from.Open(parseResult, Context);
        var options = new ProfileInitOptions(parseResult.GetRequiredValue(_root), SplitList(parseResult.GetValue(_ids)));

        var draft = await new ProfileInit(engine).DraftAsync(options, cancellationToken);

        var bytes = Encoding.UTF8.GetBytes(draft.Yaml(toStdout ? "profile.yaml" : Path.GetFileName(output)));
        if (pending is null)
        {
            await Context.Console.Out.WriteAsync(bytes, cancellationToken);
            await Context.Console.Out.FlushAsync(cancellationToken);
        }
        else
        {
            await pending.CommitAsync(async stream =>
            {
                await stream.WriteAsync(bytes, cancellationToken);
                return true;
            });
        }
        var written = toStdout ? "the draft profile" : output;
        Context.Interaction.Line(
            $"wrote {written}: root {draft.Root}; to review: {draft.Undeclared.Count} undeclared reference(s), {draft.Follows.Count} follow(s), " +
            $"{draft.Identities.Count(i => !i.Doubtful)} identity(ies), {draft.Files.Count(f => !f.Absolute)} file column(s), {draft.NotReached.Count} table(s) not reached");
        return ExitCodes.Success;
    }
}
