using System.Globalization;
using System.Net;

namespace Ferry.Cli.Remote;

/// <summary>The checked settings of <c>ferry serve</c>: every mistake is a usage error before anything listens.</summary>
/// <param name="Upload">How long an upload may keep the server waiting (<c>--upload-timeout</c>, <c>--min-upload-rate</c>, <c>--rate-window</c>).</param>
/// <param name="Profile">The application profile every import runs with (<c>--profile</c>); null: none.</param>
/// <param name="FileStores">The target's file store directories (<c>--files NAME=DIR</c>); null: none.</param>
public sealed record ServeSettings(
    string Target, IPAddress Host, int Port, byte[] TokenHash, IReadOnlyList<IPNetwork> Allow, long MaxSize, UploadLimits Upload, Profiles.Profile? Profile = null,
    IReadOnlyDictionary<string, string>? FileStores = null)
{
    /// <summary>
    /// What a pushed archive may be and hold (<c>--allow-plaintext</c>, <c>--max-row-size</c>); every import also
    /// limits what the archive expands to by <see cref="MaxSize"/>.
    /// </summary>
    public Archive.ArchiveReadOptions Reading { get; init; } = Archive.ArchiveReadOptions.Default;

    /// <summary>The minimum token length: a shorter one is guessable.</summary>
    public const int MinTokenLength = 16;

    /// <summary>Parses <c>HOST:PORT</c> (an IP address; IPv6 in brackets; <c>localhost</c> is 127.0.0.1).</summary>
    public static (IPAddress Host, int Port) ParseListen(string text)
    {
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon].Trim('[', ']') : "";
        if (host == "localhost")
        {
            host = "127.0.0.1";
        }
        if (!IPAddress.TryParse(host, out var address)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw Usage($"--listen '{text}': expected IP:PORT, e.g. 0.0.0.0:8443 or [::]:8443");
        }
        return (address, port);
    }

    /// <summary>Parses <c>CIDR[,CIDR...]</c>; a bare address is a /32 (or /128). Everyone must be spelled out: 0.0.0.0/0.</summary>
    public static IReadOnlyList<IPNetwork> ParseAllow(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            throw Usage("--allow is required: the client addresses allowed to import (CIDR, e.g. 10.0.0.0/8; 0.0.0.0/0 for everyone)");
        }
        return values.Select(v =>
            IPNetwork.TryParse(v, out var network) ? network
            : IPAddress.TryParse(v, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8)
            : throw Usage($"--allow '{v}': expected an address or CIDR range, e.g. 192.168.1.0/24")).ToList();
    }

    /// <summary>Parses a size: bytes, or a number with K, M, G or T (binary units).</summary>
    public static long ParseSize(string text, string option = "--max-size")
    {
        var unit = text.Length > 0 ? char.ToUpperInvariant(text[^1]) : ' ';
        var shift = unit switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        var digits = shift > 0 ? text[..^1] : text;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > long.MaxValue >> shift)
        {
            throw Usage($"{option} '{text}': expected bytes or a number with K, M, G or T, e.g. 500M");
        }
        return number << shift;
    }

    /// <summary>The token: the first line of the file, at least 16 characters.</summary>
    public static string ReadToken(string? file)
    {
        if (file is null)
        {
            throw Usage("--token-file is required: a file whose first line is the token clients must send");
        }
        if (!File.Exists(file))
        {
            throw Usage($"token file '{file}' does not exist");
        }
        var token = File.ReadAllText(file).Split('\n')[0].Trim();
        return token.Length >= MinTokenLength ? token : throw Usage($"token file '{file}': the token (first line) must have at least {MinTokenLength} characters");
    }

    private static FerryException Usage(string message) => new(message, ExitCodes.Usage);
}
