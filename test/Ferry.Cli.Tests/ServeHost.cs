using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Ferry.Cli.Remote;

namespace Ferry.Cli.Tests;

/// <summary><c>ferry serve</c> run in-process on 127.0.0.1 and a free port, stopped through its cancellation token.</summary>
public sealed class ServeHost : IAsyncDisposable
{
    public const string Token = "a-token-of-at-least-16-chars";

    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _stderr = new();
    private readonly Task<int> _run;

    private ServeHost(string dir, string target, string allow, string[] extra)
    {
        Port = FreePort();
        StateDir = Path.Combine(dir, "state");
        TokenFile = Path.Combine(dir, "token");
        LogFile = Path.Combine(dir, "serve.log");
        File.WriteAllText(TokenFile, Token + "\n");
        var console = new CliConsole(new MemoryStream(), new MemoryStream(), TextWriter.Synchronized(_stderr), false, false, _ => null);
        string[] args = ["serve", "--to", target, "--listen", $"127.0.0.1:{Port}", "--token-file", TokenFile, "--allow", allow,
            "--state-dir", StateDir, "--log-file", LogFile, .. extra];
        _run = Task.Run(() => FerryApp.RunAsync(args, console, _stop.Token));
    }

    public int Port { get; }

    public string StateDir { get; }

    public string TokenFile { get; }

    public string LogFile { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>What serve printed; complete once it has stopped.</summary>
    public string Stderr => _stderr.ToString();

    /// <summary>The fingerprint of the certificate serve created in its state directory.</summary>
    public string Fingerprint
    {
        get
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(StateDir, "serve-127.0.0.1.crt.pem")));
            return ServerCertificate.Fingerprint(certificate);
        }
    }

    /// <summary>Starts serve and waits (at most 30 s) until it accepts connections.</summary>
    public static async Task<ServeHost> StartAsync(string dir, string target, string allow = "127.0.0.1/32", params string[] extra)
    {
        var host = new ServeHost(dir, target, allow, extra);
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (host._run.IsCompleted)
            {
                throw new InvalidOperationException($"serve exited with {await host._run}:\n{host.Stderr}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, host.Port);
                return host;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        await host.DisposeAsync();
        throw new TimeoutException("serve did not start listening within 30 s");
    }

    /// <summary>Stops serve and returns its exit code (at most 30 s).</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }
        _stop.Dispose();
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
