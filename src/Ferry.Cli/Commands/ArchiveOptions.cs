using System.CommandLine;
using Ferry.Archive;
using Ferry.Cli.Remote;

namespace Ferry.Cli.Commands;

/// <summary>What a command that reads archives accepts from them: <c>--allow-plaintext</c>, <c>--max-row-size</c>.</summary>
public sealed class ArchiveOptions
{
    private readonly Option<bool> _allowPlaintext;
    private readonly Option<string> _maxRowSize = new("--max-row-size")
    {
        Description = "Largest row accepted from an archive: bytes, or with K, M, G (default 32M); rows are held in memory",
    };

    private readonly Option<long?> _maxFiles = new("--max-files")
    {
        Description = "Most files an archive may carry (file index lines; default 1000000); each is held in memory until the import commits",
    };

    /// <param name="plaintext">What <c>--allow-plaintext</c> says it allows, for the help text.</param>
    public ArchiveOptions(string plaintext) =>
        _allowPlaintext = new("--allow-plaintext") { Description = plaintext };

    /// <summary>The options, to add to a command.</summary>
    public IEnumerable<Option> All => [_allowPlaintext, _maxRowSize, _maxFiles];

    /// <summary>The reading options given; <paramref name="maxExpanded"/> limits what the archive may expand to.</summary>
    public ArchiveReadOptions Read(ParseResult parseResult, long? maxExpanded = null) => new()
    {
        AllowPlaintext = parseResult.GetValue(_allowPlaintext),
        MaxRowBytes = parseResult.GetValue(_maxRowSize) is { } size ? ServeSettings.ParseSize(size, "--max-row-size") : ArchiveReadOptions.DefaultMaxRowBytes,
        MaxExpandedBytes = maxExpanded,
        MaxFileReferences = parseResult.GetValue(_maxFiles) is { } files
            ? files > 0 ? files : throw new FerryException($"--max-files {files}: expected a positive number", ExitCodes.Usage)
            : 1_000_000,
    };
}
