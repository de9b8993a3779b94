using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Ferry.Engines;
using Ferry.Import;
using Microsoft.AspNetCore.Http;

namespace Ferry.Cli.Remote;

/// <summary>
/// <c>POST /import</c>: checks the client's address (403, before the body is read), its bearer
/// token (401, constant time), the declared size (413) and that no other import runs (409 with
/// <c>Retry-After</c>), then streams the body straight into the same <see cref="Importer"/> as
/// <c>ferry import</c>, within the server's <see cref="UploadLimits"/>.
/// </summary>
public sealed class ImportEndpoint(ServeSettings settings, EngineRegistry engines, RequestLog log, CancellationToken stopping)
{
    /// <summary>The longest Retry-After a busy server asks for.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly SemaphoreSlim _busy = new(1, 1);
    private long _importStarted;

    public async Task HandleAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var client = context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Connection.RemoteIpAddress;
        context.Response.Headers[RemoteProtocol.ImportIdHeader] = id;
        var (status, outcome, rows) = await RouteAsync(context, client, id);
        log.Write(client, id, status, outcome, rows, clock.Elapsed);
    }

    private async Task<(int Status, string Outcome, long Rows)> RouteAsync(HttpContext context, IPAddress? client, string id)
    {
        var request = context.Request;
        if (client is null || !settings.Allow.Any(n => n.Contains(client)))
        {
            return await RefuseAsync(context, StatusCodes.Status403Forbidden, $"{client} is not in the server's --allow list");
        }
        if (request.Path != RemoteProtocol.Path || !HttpMethods.IsPost(request.Method))
        {
            return await RefuseAsync(context, StatusCodes.Status404NotFound, $"only POST {RemoteProtocol.Path} exists here");
        }
        if (!TokenMatches(request.Headers.Authorization.ToString()))
        {
            return await RefuseAsync(context, StatusCodes.Status401Unauthorized, "missing or wrong bearer token");
        }
        if (request.ContentLength > settings.MaxSize)
        {
            return await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"the archive ({request.ContentLength:N0} bytes) exceeds --max-size ({settings.MaxSize:N0} bytes)");
        }
        ImportOptions options;
        try
        {
            options = ReadOptions(request);
        }
        catch (Exception e) when (e is FerryException or FormatException)
        {
            return await RefuseAsync(context, StatusCodes.Status400BadRequest, e.Message);
        }
        if (!await _busy.WaitAsync(0, context.RequestAborted))
        {
            var retry = RetryAfter(Stopwatch.GetElapsedTime(Interlocked.Read(ref _importStarted)));
            context.Response.Headers.RetryAfter = ((int)retry.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await RefuseAsync(context, StatusCodes.Status409Conflict, $"another import into this target is running; retry after {retry.TotalSeconds:0} s");
        }
        Interlocked.Exchange(ref _importStarted, Stopwatch.GetTimestamp());
        var held = 1;
        void Release()
        {
            if (Interlocked.Exchange(ref held, 0) == 1)
            {
                _busy.Release();
            }
        }
        try
        {
            return await new RemoteImport(engines.Create(settings.Target), settings.MaxSize, settings.Upload).RunAsync(context, options, id, Release, stopping);
        }
        finally
        {
            Release();
            // An import may have held two large members and a long row: give that memory back to the system
            // now, not whenever the next import makes the runtime collect (a server runs for months).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>
    /// What a busy server asks a client to wait: as long as the running import has run so far, between 1 s
    /// and <see cref="MaxRetryAfter"/>. Nobody knows when an import ends; this way a client that keeps
    /// retrying backs off about twice as long each time, and is never told to wait more than a minute.
    /// </summary>
    public static TimeSpan RetryAfter(TimeSpan running) =>
        TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(running.TotalSeconds), 1, MaxRetryAfter.TotalSeconds));

    private ImportOptions ReadOptions(HttpRequest request)
    {
        var match = request.Headers[RemoteProtocol.MatchHeader].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        var dryRun = request.Headers[RemoteProtocol.DryRunHeader].ToString() is var d && d.Length > 0
            ? bool.TryParse(d, out var flag) ? flag : throw new FormatException($"{RemoteProtocol.DryRunHeader}: expected true or false")
            : false;
        var header = request.Headers[RemoteProtocol.PasswordHeader].ToString();
        var password = header.Length > 0 ? RemoteProtocol.DecodePassword(header) : null;
        return new ImportOptions(settings.Target, match.Select(MatchRule.Parse).ToList(), dryRun, () => password, settings.Profile,
            FileStores: settings.FileStores, Reading: settings.Reading with { MaxExpandedBytes = settings.MaxSize });
    }

    private bool TokenMatches(string authorization)
    {
        const string scheme = "Bearer ";
        var token = authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? authorization[scheme.Length..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), settings.TokenHash);
    }

    /// <summary>Answers <paramref name="status"/> with one line of text, without reading the body; returns what the log says.</summary>
    internal static async Task<(int Status, string Outcome, long Rows)> RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        // The body is never read: close the connection rather than drain an archive nobody wants.
        if (HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }
        await context.Response.WriteAsync(message + "\n", context.RequestAborted);
        return (status, $"refused: {message}", 0);
    }
}
