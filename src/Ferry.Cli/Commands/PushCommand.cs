using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ferry.Cli.Remote;
using Ferry.Import;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry push</c>: streams an archive to a <c>ferry serve</c> endpoint and prints its report, exiting like <c>ferry import</c>.</summary>
public sealed class PushCommand : FerryCommand
{
    private readonly Argument<string> _archive = new("archive") { Description = "Archive path, or - for stdin" };
    private readonly Option<string> _url = new("--url") { Description = "The server: https://HOST:PORT", Required = true };
    private readonly Option<string> _tokenFile = new("--token-file") { Description = "File whose first line is the server's token", Required = true };
    private readonly Option<string> _pin = new("--pin") { Description = "Trust only the certificate with this SHA-256 fingerprint (printed by ferry serve)" };
    private readonly Option<string> _ca = new("--ca") { Description = "Trust certificates issued by this CA (PEM) instead of the system's" };
    private readonly Option<string> _passwordFile = new("--password-file") { Description = "File whose first line is the archive password (else FERRY_PASSWORD)" };
    private readonly Option<string[]> _match = new("--match") { Description = "Reuse existing target rows with the same natural key: TABLE:COLUMN[+COLUMN...], /i at the end to ignore case (e.g. users:email/i)" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "The server does everything, conflict check included, then rolls back" };
    private readonly Option<int> _retry = new("--retry")
    {
        Description = "When the server is busy with another import (409), wait as it asks (at most 60 s) and try again, up to N times (stdin only while none of it was sent)",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>The longest push waits between two attempts, whatever the server's Retry-After says.</summary>
    public static readonly TimeSpan MaxRetryWait = TimeSpan.FromSeconds(60);

    /// <summary>What push waits when a busy server says nothing of when to come back.</summary>
    public static readonly TimeSpan DefaultRetryWait = TimeSpan.FromSeconds(5);

    public PushCommand(CliContext context)
        : base("push", "Stream an archive to a ferry serve endpoint, which imports it", context)
    {
        Arguments.Add(_archive);
        foreach (var option in new Option[] { _url, _tokenFile, _pin, _ca, _passwordFile, _match, _dryRun, _retry })
        {
            Options.Add(option);
        }
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var path = parseResult.GetRequiredValue(_archive);
        ImportCommand.CheckArchive(path, Context, "push");
        var retries = parseResult.GetValue(_retry);
        if (retries < 0)
        {
            throw new FerryException($"--retry {retries}: expected 0 or more", ExitCodes.Usage);
        }
        var url = ParseUrl(parseResult.GetRequiredValue(_url));
        var token = ServeSettings.ReadToken(parseResult.GetRequiredValue(_tokenFile));
        var match = (parseResult.GetValue(_match) ?? []).Select(MatchRule.Parse).ToList();
        var check = TrustFrom(parseResult.GetValue(_pin), parseResult.GetValue(_ca));
        var password = Passwords.FromFileOrEnvironment(parseResult.GetValue(_passwordFile), Context.Console);
        var body = await PushBody.OpenAsync(path, Context.Console.In, cancellationToken);

        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            Expect100ContinueTimeout = TimeSpan.FromSeconds(10),
            SslOptions = { RemoteCertificateValidationCallback = check.Validate },
        }) { Timeout = Timeout.InfiniteTimeSpan };
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            using var request = Request(url, body, token, match, parseResult.GetValue(_dryRun), password);
            try
            {
                var code = await new PushResponse(Context.Interaction, url, check).ReadAsync(client, request, cancellationToken);
                Context.Interaction.Line($"sent {body.Sent:N0} bytes in {clock.Elapsed.TotalSeconds:0.0} s");
                return code;
            }
            catch (ServerBusyException busy) when (retries > 0)
            {
                if (attempt == retries)
                {
                    throw new FerryException($"{url.Authority} was still busy with another import into this target after {retries} {(retries == 1 ? "retry" : "retries")} (409); nothing was written: try again later", ExitCodes.Busy);
                }
                if (!body.Replayable)
                {
                    throw new FerryException($"{url.Authority} is busy with another import into this target (409), and part of stdin was already sent, so the archive cannot be sent again: push a file to retry", ExitCodes.Busy);
                }
                var wait = busy.RetryAfter is { } asked ? TimeSpan.FromTicks(Math.Clamp(asked.Ticks, 0, MaxRetryWait.Ticks)) : DefaultRetryWait;
                Context.Interaction.Line($"{url.Authority} is busy with another import (409); trying again in {wait.TotalSeconds:0} s (retry {attempt + 1} of {retries})");
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private static HttpRequestMessage Request(Uri url, PushBody body, string token, IReadOnlyList<MatchRule> match, bool dryRun, char[]? password)
    {
        // HTTP/2 streams the server's progress back while the archive is still going up. A file's length
        // lets the server refuse an oversized archive before it is sent; stdin goes chunked.
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url, RemoteProtocol.Path))
        {
            Content = body.NewContent(),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // The server answers 401, 403, 409 or 413 before the archive is sent.
        request.Headers.ExpectContinue = true;
        if (match.Count > 0)
        {
            request.Headers.Add(RemoteProtocol.MatchHeader, string.Join(',', match));
        }
        if (dryRun)
        {
            request.Headers.Add(RemoteProtocol.DryRunHeader, "true");
        }
        if (password is not null)
        {
            request.Headers.Add(RemoteProtocol.PasswordHeader, RemoteProtocol.EncodePassword(password));
        }
        return request;
    }

    private static Uri ParseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? url
            : throw new FerryException($"--url '{text}': expected https://HOST:PORT", ExitCodes.Usage);

    private static CertificateCheck TrustFrom(string? pin, string? ca)
    {
        if (pin is not null && ca is not null)
        {
            throw new FerryException("--pin and --ca contradict each other: give one", ExitCodes.Usage);
        }
        var fingerprint = pin is null ? null
            : ServerCertificate.ParseFingerprint(pin) ?? throw new FerryException($"--pin '{pin}': expected a SHA-256 fingerprint (64 hex digits, colons optional)", ExitCodes.Usage);
        if (ca is not null && !File.Exists(ca))
        {
            throw new FerryException($"CA file '{ca}' does not exist");
        }
        var roots = ca is null ? null : LoadCa(ca);
        return new CertificateCheck(fingerprint, roots);
    }

    private static X509Certificate2Collection LoadCa(string file)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(file);
        return roots.Count > 0 ? roots : throw new FerryException($"CA file '{file}' holds no PEM certificate");
    }
}
