using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Ferry.Cli.Remote;

/// <summary>Kestrel, HTTPS only (HTTP/2 or HTTP/1.1), serving one <see cref="ImportEndpoint"/>; stops when asked.</summary>
public sealed class ImportServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ImportServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where it listens, as HOST:PORT.</summary>
    public string Address { get; }

    public static async Task<ImportServer> StartAsync(ServeSettings settings, X509Certificate2 certificate, ImportEndpoint endpoint, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The endpoint counts the body itself and answers with a report; Kestrel's limit, with
            // slack for what it reads ahead, is the backstop (after it, a response cannot be finished).
            kestrel.Limits.MaxRequestBodySize = settings.MaxSize + (1 << 20);
            // The import's UploadGuard enforces --min-upload-rate and --upload-timeout instead: Kestrel's
            // rate averages over the whole body (a fast start buys a long stall) and, on HTTP/2, aborts the
            // whole connection, so the client would never learn why. Its default (240 bytes/s after 5 s) would
            // also cut a client that waits more than 5 s before its first bytes, before the guard could say so.
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Listen(settings.Host, settings.Port, listen =>
            {
                // HTTP/2 lets push read progress while it is still sending; HTTP/1.1 for other clients.
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(certificate);
            });
        });
        var app = builder.Build();
        app.Run(endpoint.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new FerryException($"cannot listen on {settings.Host}:{settings.Port}: {e.Message}");
        }
        var host = settings.Host.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{settings.Host}]" : settings.Host.ToString();
        return new ImportServer(app, $"{host}:{settings.Port}");
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled (Ctrl+C), then stops; running imports are cancelled and roll back.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop: that is the normal end.
        }
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(grace.Token);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
