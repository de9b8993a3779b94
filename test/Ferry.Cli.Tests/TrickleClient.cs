using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Ferry.Cli.Remote;

namespace Ferry.Cli.Tests;

/// <summary>
/// A raw HTTP/1.1 client over TLS that sends a push's headers at once and then trickles the archive,
/// <paramref name="chunk"/> bytes every <paramref name="interval"/> (or nothing at all with a chunk of 0),
/// until the server has answered in full or closed the connection.
/// </summary>
public sealed class TrickleClient(int port, byte[] archive, string password, int chunk, TimeSpan interval)
{
    /// <summary>Bytes of the archive sent.</summary>
    public int Sent { get; private set; }

    /// <summary>From the first byte of the body until the server's answer was complete.</summary>
    public TimeSpan Held { get; private set; }

    /// <summary>
    /// Sends the headers and the first <paramref name="bytes"/> of the archive, waits for the server's
    /// 200 (the import has started), then closes the connection: a client that really goes away.
    /// </summary>
    public static async Task HangUpAsync(int port, byte[] archive, string password, int bytes, CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        await using var tls = await SendHeadAsync(tcp, port, archive.Length, password, cancellationToken);
        await tls.WriteAsync(archive.AsMemory(0, bytes), cancellationToken);
        await tls.FlushAsync(cancellationToken);
        var buffer = new byte[4096];
        var text = "";
        while (!text.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await tls.ReadAsync(buffer, cancellationToken);
            Assert.True(read > 0, $"the server closed first: {text}");
            text += Encoding.ASCII.GetString(buffer, 0, read);
        }
        Assert.StartsWith("HTTP/1.1 200", text, StringComparison.Ordinal);
        tcp.Client.Close(0);
    }

    private static async Task<SslStream> SendHeadAsync(TcpClient tcp, int port, long length, string password, CancellationToken cancellationToken)
    {
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "127.0.0.1",
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        }, cancellationToken);
        var head = $"POST {RemoteProtocol.Path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {ServeHost.Token}\r\n" +
                   $"{RemoteProtocol.PasswordHeader}: {RemoteProtocol.EncodePassword(password.ToCharArray())}\r\n" +
                   $"Content-Type: application/octet-stream\r\nContent-Length: {length}\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken);
        await tls.FlushAsync(cancellationToken);
        return tls;
    }

    /// <summary>Sends and returns the server's whole response as text.</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        await using var tls = await SendHeadAsync(tcp, port, archive.Length, password, cancellationToken);
        var clock = Stopwatch.StartNew();
        var response = ReadAllAsync(tls, cancellationToken);
        while (!response.IsCompleted && Sent < archive.Length)
        {
            if (chunk > 0)
            {
                var n = Math.Min(chunk, archive.Length - Sent);
                try
                {
                    await tls.WriteAsync(archive.AsMemory(Sent, n), cancellationToken);
                    await tls.FlushAsync(cancellationToken);
                }
                catch (IOException)
                {
                    // The server closed the connection: its answer is what counts.
                    break;
                }
                Sent += n;
            }
            await Task.WhenAny(response, Task.Delay(interval, cancellationToken));
        }
        var text = await response;
        Held = clock.Elapsed;
        return text;
    }

    /// <summary>Reads until the server closes, or until its chunked answer ends (it may keep the connection for a moment).</summary>
    private static async Task<string> ReadAllAsync(SslStream tls, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await tls.ReadAsync(buffer, cancellationToken)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                // The end of a chunked body: the answer is complete even if the connection stays open.
                if (text.ToString().EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Closed mid-way: what arrived is the answer.
        }
        return text.ToString();
    }
}
