using System.CommandLine;
using Ferry.Export;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry export</c>: one tenant from a source database into an archive.</summary>
public sealed class ExportCommand : FerryCommand
{
    private readonly DatabaseOptions _from = new("from", "Source");
    private readonly Option<string> _root = new("--root") { Description = "Table holding the root rows (e.g. groups), or TABLE.COLUMN to select them by another unique column (stores.id); default: the profile's root" };
    private readonly Option<string[]> _ids = new("--ids") { Description = "Root keys, comma-separated", Required = true };
    private readonly Option<string[]> _exclude = new("--exclude") { Description = "Tables never exported, comma-separated; references into them are cut" };
    private readonly Option<string[]> _follow = new("--follow") { Description = "A nullable foreign key to follow (TABLE.COLUMN): rows pointing into the tenant through it are exported too" };
    private readonly Option<string> _output = new("--output", "-o") { Description = "Archive path, or - for stdout (default ./export.tar.gpg, or ./export.tar.gz with --no-encrypt)" };
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD; else, on a terminal, one is generated and shown once)" };
    private readonly Option<bool> _noEncrypt = new("--no-encrypt") { Description = "Write a plain compressed tar (.tar.gz) instead of an encrypted archive" };
    private readonly Option<bool> _force = new("--force") { Description = "Overwrite an existing archive file" };
    private readonly Option<string> _profile = ProfileOptions.Profile();
    private readonly Option<string[]> _files = ProfileOptions.Files("source");
    private readonly Option<string> _since = new("--since") { Description = "Incremental export: rows changed since an earlier archive of the tenant (ARCHIVE) or a time (ISO 8601 with a zone, e.g. 2026-12-01T00:00:00Z) are written whole, the others of tables with a changed-at column (profile: changed) as their key only; import it with --update into a target holding its base" };

    public ExportCommand(CliContext context)
        : base("export", "Export one tenant into an archive (compressed, encrypted with OpenPGP)", context)
    {
        foreach (var option in new Option[] { _from.Connection, _from.PasswordFile, _root, _ids, _exclude, _follow, _output, _passwordFile, _noEncrypt, _force, _profile, _files, _since })
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var noEncrypt = parseResult.GetValue(_noEncrypt);
        var passwordFile = parseResult.GetValue(_passwordFile);
        if (noEncrypt && passwordFile is not null)
        {
            throw new FerryException("--no-encrypt and --password-file contradict each other", ExitCodes.Usage);
        }
        var follow = SplitList(parseResult.GetValue(_follow)).Select(ParseFollow).ToList();
        var stores = ProfileOptions.Pairs(parseResult.GetValue(_files), "--files", "NAME=DIR, e.g. photos=/srv/app/media");
        var profile = ProfileOptions.Load(parseResult.GetValue(_profile));
        var root = parseResult.GetValue(_root) ?? profile?.Root?.Table
            ?? throw new FerryException("--root is required unless the profile names a root", ExitCodes.Usage);
        var output = parseResult.GetValue(_output) ?? (noEncrypt ? "export.tar.gz" : "export.tar.gpg");
        var toStdout = output == "-";
        CheckName(output, noEncrypt);
        var force = parseResult.GetValue(_force);
        // Checked before the source is read: only a regular file is replaced, never a device or a pipe.
        var written = toStdout ? null : AtomicFile.Check(output, force);
        var (source, _, engine) = _from.Open(parseResult, Context);

        var password = noEncrypt ? null : Passwords.FromFileOrEnvironment(passwordFile, Context.Console);
        var generated = !noEncrypt && password is null;
        if (generated)
        {
            // Shown once, so only where a person reads it: never into a log file or a pipe (as gpg, which asks
            // for a passphrase on the terminal and fails without one in batch mode).
            if (!Context.Console.ErrorIsTerminal)
            {
                throw new FerryException(
                    "no archive password: give --password-file FILE or FERRY_PASSWORD (a generated password is only shown on a terminal, " +
                    "never written into a log); e.g. head -c 24 /dev/urandom | base64 > pw.txt && chmod 600 pw.txt", ExitCodes.Usage);
            }
            password = Passwords.Generate();
        }
        var since = parseResult.GetValue(_since) is { } sinceText
            ? await ExportSinceOption.ReadAsync(sinceText, generated ? null : password, noEncrypt, cancellationToken)
            : null;
        var options = new ExportOptions(
            source,
            root,
            SplitList(parseResult.GetValue(_ids)),
            SplitList(parseResult.GetValue(_exclude)),
            follow,
            password,
            profile,
            stores,
            since);

        var ui = Context.Interaction;
        var result = await ui.WithProgressAsync(async progress =>
        {
            var exporter = new Exporter(engine, progress);
            if (toStdout)
            {
                var r = await exporter.ExportAsync(options, Context.Console.Out, cancellationToken);
                await Context.Console.Out.FlushAsync(cancellationToken);
                return r;
            }
            return await AtomicFile.WriteAsync(output, force, stream => exporter.ExportAsync(options, stream, cancellationToken), progress.Info);
        });

        if (since is null)
        {
            ui.Table(
                ["table", "role", "rows", "set NULL"],
                result.Tables.Select(t => (IReadOnlyList<string>)[t.Name, t.Role, t.Rows.ToString("N0"), t.NulledReferences.Values.Sum().ToString("N0")]).ToList());
        }
        else
        {
            ui.Table(
                ["table", "role", "rows", "keys only", "set NULL"],
                result.Tables.Select(t => (IReadOnlyList<string>)[t.Name, t.Role, t.Rows.ToString("N0"), t.Keys?.ToString("N0") ?? "-", t.NulledReferences.Values.Sum().ToString("N0")]).ToList());
        }
        if (result.Files is { } files)
        {
            ui.Line($"files: {files.Files:N0} referenced, {files.Contents:N0} distinct contents ({files.Bytes:N0} bytes) in the archive" +
                    (files.Missing > 0 ? $", {files.Missing:N0} missing (exported without them)" : ""));
        }
        var where = written is null ? "stdout" : $"{output} ({new FileInfo(written).Length:N0} bytes)";
        ui.Line($"Export complete{(since is null ? "" : $" (incremental since {Archive.ArchiveFormat.Instant(since.At)})")}: {result.TotalRows:N0} rows from {result.Tables.Count} tables in {result.Elapsed.TotalSeconds:0.0} s → {where}");
        if (generated)
        {
            // Even with --quiet: without it the archive cannot be opened.
            var error = Context.Console.Error;
            error.WriteLine($"password: {new string(password!)}");
            error.WriteLine("warning: this password is shown once and stored nowhere; send it separately from the archive");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// A plain archive under an encrypted archive's name (<c>.gpg</c>, <c>.pgp</c>, <c>.asc</c>) is refused: the
    /// name would tell everyone who handles the file that the personal data in it is encrypted.
    /// An encrypted archive named like a plain one (<c>.tar.gz</c>, <c>.tgz</c>) is only confusing: refused too,
    /// since tar -xzf would fail on it.
    /// </summary>
    internal static void CheckName(string output, bool noEncrypt)
    {
        if (output == "-")
        {
            return;
        }
        string[] encrypted = [".gpg", ".pgp", ".asc"];
        string[] plain = [".tar.gz", ".tgz", ".gz"];
        if (noEncrypt && encrypted.Any(e => output.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            throw new FerryException($"--no-encrypt writes a plain .tar.gz, but '{output}' is named like an encrypted archive: name it .tar.gz, or leave out --no-encrypt", ExitCodes.Usage);
        }
        if (!noEncrypt && plain.Any(e => output.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            throw new FerryException($"'{output}' is named like a plain .tar.gz, but the archive is encrypted (OpenPGP): name it .tar.gpg, or add --no-encrypt", ExitCodes.Usage);
        }
    }

    internal static (string Table, string Column) ParseFollow(string text)
    {
        var dot = text.LastIndexOf('.');
        if (dot <= 0 || dot == text.Length - 1)
        {
            throw new FerryException($"--follow '{text}': expected TABLE.COLUMN, e.g. users.current_group_id", ExitCodes.Usage);
        }
        return (text[..dot], text[(dot + 1)..]);
    }
}
