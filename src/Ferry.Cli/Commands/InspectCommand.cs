using System.CommandLine;
using Ferry.Archive;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry inspect</c>: verifies an archive and prints its summary, without any database.</summary>
public sealed class InspectCommand : FerryCommand
{
    private readonly Argument<string> _archive = new("archive") { Description = "Archive path, or - for stdin" };
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD, else a prompt)" };
    private readonly Option<string> _maxRowSize = new("--max-row-size") { Description = "Largest row accepted: bytes, or with K, M, G (default 32M)" };

    public InspectCommand(CliContext context)
        : base("inspect", "Verify an archive and print what it holds", context)
    {
        Arguments.Add(_archive);
        Options.Add(_passwordFile);
        Options.Add(_maxRowSize);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = parseResult.GetRequiredValue(_archive);
        var fromStdin = path == "-";
        if (!fromStdin && !File.Exists(path))
        {
            throw new FerryException($"archive '{path}' does not exist");
        }
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
        var m = reader.Manifest;

        await using var output = new StreamWriter(Context.Console.Out, leaveOpen: true);
        await output.WriteLineAsync($"archive:    format {m.FormatVersion}, {(reader.Encrypted ? $"encrypted (OpenPGP, {reader.Cipher}, integrity-protected)" : "NOT encrypted (no integrity protection; import needs --allow-plaintext)")}, verified ({trailer.Members.Count} data members, SHA-256 and row counts match)");
        await output.WriteLineAsync($"created:    {m.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC by {m.Tool}");
        await output.WriteLineAsync($"source:     {m.Source.Engine} {m.Source.Database}");
        await output.WriteLineAsync($"root:       {m.Root.Table} {string.Join(", ", m.Root.Ids)}");
        if (trailer.Files is { } files)
        {
            var contents = files.Where(f => f.References == 0).ToList();
            await output.WriteLineAsync($"files:      {files.Sum(f => f.References):N0} references, {contents.Count:N0} distinct contents ({contents.Sum(f => f.Bytes):N0} bytes), " +
                                        $"in {string.Join(", ", reader.FileColumns.Select(c => $"{c.Table}.{c.Column} (store {c.Store})"))}");
        }
        if (m.Excluded.Count > 0)
        {
            await output.WriteLineAsync($"excluded:   {string.Join(", ", m.Excluded)}");
        }
        if (m.Followed.Count > 0)
        {
            await output.WriteLineAsync($"followed:   {string.Join(", ", m.Followed)}");
        }
        if (m.CycleBreaks.Count > 0)
        {
            await output.WriteLineAsync($"cycles:     {string.Join(", ", m.CycleBreaks.Select(c => $"{c.Table}.{string.Join('+', c.Columns)} → {c.RefTable}"))}");
        }
        var width = Math.Max(5, m.Tables.Max(t => (int?)t.Name.Length) ?? 5);
        await output.WriteLineAsync($"{"table".PadRight(width)}  {"role",-10}  {"rows",12}  {"set NULL",8}");
        foreach (var table in m.Tables)
        {
            var totals = trailer.Tables.FirstOrDefault(t => t.Name == table.Name);
            await output.WriteLineAsync(
                $"{table.Name.PadRight(width)}  {table.Role,-10}  {totals?.Rows ?? 0,12:N0}  {totals?.NulledReferences.Values.Sum() ?? 0,8:N0}");
        }
        await output.WriteLineAsync($"{"total".PadRight(width)}  {"",-10}  {trailer.Tables.Sum(t => t.Rows),12:N0}");
        return ExitCodes.Success;
    }
}
