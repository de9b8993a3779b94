using System.Net;
using System.Net.Http.Headers;
using Ferry.Cli.Remote;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>Every refusal of <c>ferry serve</c> and <c>ferry push</c>: one clear error line, and the target unchanged.</summary>
public sealed class RemoteRefusalTests : IAsyncLifetime
{
    private const string Password = "remote-pass";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-remote-").FullName;
    private TestDb _target = null!;
    private byte[] _archive = null!;
    private string _before = null!;

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    public async Task InitializeAsync()
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive],
            environment: new() { ["FERRY_PASSWORD"] = Password });
        Assert.True(export.ExitCode == 0, export.Stderr);
        _archive = await File.ReadAllBytesAsync(Archive);
        _before = await _target.DumpAsync();
    }

    public async Task DisposeAsync()
    {
        Assert.Equal(_before, await _target.DumpAsync());
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<ServeHost> ServeAsync(string allow = "127.0.0.1/32", params string[] extra) => ServeHost.StartAsync(_dir, _target.ConnectionString, allow, extra);

    private static Task<CliRun> PushAsync(ServeHost serve, string archive, string[] trust, byte[]? stdin = null, string? tokenFile = null) =>
        CliRun.RunAsync(["push", archive, "--url", serve.Url, "--token-file", tokenFile ?? serve.TokenFile, "--match", "users:email", .. trust], stdin,
            new() { ["FERRY_PASSWORD"] = Password });

    [Fact]
    public async Task An_address_outside_the_allowlist_gets_403()
    {
        await using var serve = await ServeAsync(allow: "192.0.2.0/24");

        var push = await PushAsync(serve, Archive, ["--pin", serve.Fingerprint]);

        push.AssertFails(ExitCodes.Failure, "403");
        Assert.Contains("--allow", push.ErrorLines[0], StringComparison.Ordinal);
        await serve.StopAsync();
        Assert.Contains("client=127.0.0.1 import=", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("status=403", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_gets_401()
    {
        await using var serve = await ServeAsync();
        var wrong = Path.Combine(_dir, "wrong-token");
        await File.WriteAllTextAsync(wrong, "not-the-right-token-at-all\n");

        var push = await PushAsync(serve, Archive, ["--pin", serve.Fingerprint], tokenFile: wrong);

        push.AssertFails(ExitCodes.Failure, "refused the token (401)");
    }

    [Theory]
    [InlineData("pin")]
    [InlineData("system")]
    public async Task A_certificate_that_does_not_match_is_refused_by_the_client(string trust)
    {
        await using var serve = await ServeAsync();
        string[] options = trust == "pin" ? ["--pin", new string('0', 64)] : [];

        var push = await PushAsync(serve, Archive, options);

        push.AssertFails(ExitCodes.Failure, trust == "pin" ? "the server's certificate does not match --pin" : "not trusted by this system");
        await serve.StopAsync();
        Assert.DoesNotContain("status=", serve.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_upload_fails_and_writes_nothing()
    {
        await using var serve = await ServeAsync();
        var half = Path.Combine(_dir, "half.tar.gpg");
        await File.WriteAllBytesAsync(half, _archive[..(_archive.Length / 2)]);

        var push = await PushAsync(serve, half, ["--pin", serve.Fingerprint]);

        push.AssertFails(ExitCodes.Failure, "");
    }

    [Fact]
    public async Task An_oversized_archive_gets_413_declared_or_chunked()
    {
        await using var serve = await ServeAsync("127.0.0.1/32", "--max-size", "1K");
        Assert.True(_archive.Length > 1024, "the fixture archive is larger than the limit");

        var declared = await PushAsync(serve, Archive, ["--pin", serve.Fingerprint]);
        var chunked = await PushAsync(serve, "-", ["--pin", serve.Fingerprint], _archive);

        declared.AssertFails(ExitCodes.Failure, "too large (413");
        chunked.AssertFails(ExitCodes.Failure, "exceeds the server's --max-size");
    }

    [Fact]
    public async Task A_second_push_while_one_runs_gets_409()
    {
        await using var serve = await ServeAsync();
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        var held = new HeldContent(_archive);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{serve.Url}/import") { Content = held, Version = HttpVersion.Version20 };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Token);
        request.Headers.Add(RemoteProtocol.PasswordHeader, RemoteProtocol.EncodePassword(Password.ToCharArray()));
        request.Headers.Add(RemoteProtocol.MatchHeader, "users:email");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The server answers 200 once the first bytes arrived: the first import holds the target.
        using var first = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var second = await PushAsync(serve, Archive, ["--pin", serve.Fingerprint]);

        second.AssertFails(ExitCodes.Busy, "(409)");
        Assert.Equal(_before, await _target.DumpAsync());
        held.Release.SetResult();
        var events = await first.Content.ReadAsStringAsync(timeout.Token);
        Assert.Contains("\"event\":\"report\",\"exitCode\":0", events, StringComparison.Ordinal);
        // The first import went through: the target now holds it, which DisposeAsync must not refuse.
        _before = await _target.DumpAsync();
        Assert.Contains("beta", _before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_goes_away_mid_stream_leaves_the_target_unchanged()
    {
        await using var serve = await ServeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await TrickleClient.HangUpAsync(serve.Port, _archive, Password, 64, timeout.Token);

        for (var i = 0; i < 300 && !(File.Exists(serve.LogFile) && (await File.ReadAllTextAsync(serve.LogFile)).Contains("cancelled", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
        }
        Assert.Contains("outcome=\"cancelled: the client went away\"", await File.ReadAllTextAsync(serve.LogFile), StringComparison.Ordinal);
    }

    /// <summary>A chunked body that sends its first bytes, then waits for the test before sending the rest.</summary>
    private sealed class HeldContent(byte[] archive) : HttpContent
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(archive.AsMemory(0, 64));
            await stream.FlushAsync();
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await stream.WriteAsync(archive.AsMemory(64));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
