using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Ferry.Cli.Remote;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// The server cannot be held (issue 11, points 4 and 8): a client that trickles or stalls its upload is
/// cut with "upload too slow", the slot is freed and the next push goes through; a busy server answers
/// 409 with Retry-After, push exits 4 on it and, with --retry, tries again.
/// </summary>
public sealed class ServeLimitTests : IAsyncLifetime
{
    private const string Password = "limits-pass";
    private static readonly string[] Quick = ["--min-upload-rate", "1K", "--rate-window", "3s"];
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-limits-").FullName;
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
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<ServeHost> ServeAsync(params string[] extra) => ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32", extra);

    private static Task<CliRun> PushAsync(ServeHost serve, string archive, byte[]? stdin = null, params string[] extra) =>
        CliRun.RunAsync(["push", archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint, "--match", "users:email", .. extra], stdin,
            new() { ["FERRY_PASSWORD"] = Password });

    private static async Task<string> LogAsync(ServeHost serve, string text)
    {
        for (var i = 0; i < 300; i++)
        {
            if (File.Exists(serve.LogFile) && await File.ReadAllTextAsync(serve.LogFile) is var log && log.Contains(text, StringComparison.Ordinal))
            {
                return log;
            }
            await Task.Delay(100);
        }
        return File.Exists(serve.LogFile) ? await File.ReadAllTextAsync(serve.LogFile) : "";
    }

    [Fact]
    public async Task A_client_trickling_below_the_minimum_rate_is_cut_and_the_next_push_goes_through()
    {
        await using var serve = await ServeAsync(Quick);
        // 100 bytes every 0.5 s: 200 bytes/s against a minimum of 1 KiB/s over 3 s of waiting.
        var trickle = new TrickleClient(serve.Port, _archive, Password, 100, TimeSpan.FromMilliseconds(500));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var response = await trickle.RunAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Contains("upload too slow: less than 1 KiB/s arrived over 3 s of waiting (--min-upload-rate)", response, StringComparison.Ordinal);
        Assert.True(trickle.Sent < _archive.Length, "the whole archive went up: the test proves nothing");
        Assert.InRange(trickle.Held, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(20));
        var log = await LogAsync(serve, "upload too slow");
        Assert.Contains("status=200 outcome=\"failed: upload too slow: less than 1 KiB/s", log, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong password", log, StringComparison.Ordinal);
        Assert.Equal(_before, await _target.DumpAsync());

        var push = await PushAsync(serve, Archive);

        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }

    [Fact]
    public async Task A_client_that_sends_headers_and_then_nothing_gets_408_after_one_window()
    {
        await using var serve = await ServeAsync(Quick);
        var stalled = new TrickleClient(serve.Port, _archive, Password, 0, TimeSpan.FromMilliseconds(200));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var response = await stalled.RunAsync(timeout.Token);

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        Assert.Contains("upload too slow: less than 1 KiB/s arrived over 3 s of waiting (--min-upload-rate); 0 bytes received", response, StringComparison.Ordinal);
        Assert.InRange(stalled.Held, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(20));
        Assert.Contains("status=408 outcome=\"failed: upload too slow", await LogAsync(serve, "status=408"), StringComparison.Ordinal);
        var push = await PushAsync(serve, Archive, null, "--dry-run");
        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Equal(_before, await _target.DumpAsync());
    }

    [Fact]
    public async Task An_upload_fast_enough_but_too_long_is_cut_at_the_upload_timeout()
    {
        await using var serve = await ServeAsync("--upload-timeout", "3s", "--min-upload-rate", "0");
        // 50 bytes every 0.1 s: at this pace the archive would take far longer than 3 s.
        Assert.True(_archive.Length > 3000, $"the fixture archive is {_archive.Length} bytes");
        var slow = new TrickleClient(serve.Port, _archive, Password, 50, TimeSpan.FromMilliseconds(100));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var response = await slow.RunAsync(timeout.Token);

        Assert.Contains("upload too slow: the archive had not arrived after 3 s of waiting (--upload-timeout)", response, StringComparison.Ordinal);
        Assert.InRange(slow.Held, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(20));
        Assert.Equal(_before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Over_http2_a_stalled_upload_is_reported_to_the_client_not_just_cut()
    {
        await using var serve = await ServeAsync(Quick);
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        var stalls = new StallingContent(_archive, 200);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{serve.Url}{RemoteProtocol.Path}") { Content = stalls, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Token);
        request.Headers.Add(RemoteProtocol.PasswordHeader, RemoteProtocol.EncodePassword(Password.ToCharArray()));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var events = await response.Content.ReadAsStringAsync(timeout.Token);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains("\"event\":\"report\",\"exitCode\":1,\"error\":\"upload too slow: less than 1 KiB/s", events, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(20));
        stalls.Release.TrySetResult();
        var push = await PushAsync(serve, Archive, null, "--dry-run");
        Assert.True(push.ExitCode == 0, push.Stderr);
    }

    [Fact]
    public async Task Push_from_a_stdin_that_stalls_fails_with_upload_too_slow()
    {
        await using var serve = await ServeAsync(Quick);
        using var stdin = new StallingStream(_archive, 200);
        var error = new StringWriter();
        var console = new CliConsole(stdin, new MemoryStream(), error, false, false, name => name == "FERRY_PASSWORD" ? Password : null);
        var clock = Stopwatch.StartNew();

        var code = await FerryApp.RunAsync(["push", "-", "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint, "--match", "users:email"],
            console, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var run = new CliRun(code, [], error.ToString());
        run.AssertFails(ExitCodes.Failure, "upload too slow: less than 1 KiB/s arrived over 3 s of waiting (--min-upload-rate)");
        Assert.Contains("nothing was written", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(30));
        Assert.Equal(_before, await _target.DumpAsync());
    }

    [Fact]
    public async Task A_busy_server_answers_409_with_retry_after_and_push_exits_4()
    {
        await using var serve = await ServeAsync();
        await using var held = await HoldAsync(serve);

        var push = await PushAsync(serve, Archive);
        using var client = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        using var probe = new HttpRequestMessage(HttpMethod.Post, $"{serve.Url}{RemoteProtocol.Path}") { Content = new ByteArrayContent([1]) };
        probe.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Token);
        using var busy = await client.SendAsync(probe);

        push.AssertFails(ExitCodes.Busy, "is busy with another import into this target (409); nothing was sent or written: try again later, or push with --retry N");
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
        Assert.InRange(busy.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), ImportEndpoint.MaxRetryAfter);
        Assert.Contains("retry after", await busy.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(_before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData("file")]
    [InlineData("stdin")]
    public async Task Push_with_retry_waits_for_a_busy_server_and_then_imports(string from)
    {
        await using var serve = await ServeAsync();
        var held = await HoldAsync(serve);

        var push = PushAsync(serve, from == "file" ? Archive : "-", from == "file" ? null : _archive, "--retry", "20");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(push.IsCompleted, "push did not wait for the busy server");
        await held.DisposeAsync();
        var result = await push.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("is busy with another import (409); trying again in", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Import complete", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }

    [Fact]
    public async Task Push_gives_up_with_exit_4_when_the_server_stays_busy()
    {
        await using var serve = await ServeAsync();
        await using var held = await HoldAsync(serve);

        var push = await PushAsync(serve, Archive, null, "--retry", "1");

        push.AssertFails(ExitCodes.Busy, "was still busy with another import into this target after 1 retry (409); nothing was written: try again later");
        Assert.Contains("retry 1 of 1", push.Stderr, StringComparison.Ordinal);
        Assert.Equal(_before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData(new[] { "--upload-timeout", "soon" }, "--upload-timeout 'soon'")]
    [InlineData(new[] { "--min-upload-rate", "fast" }, "--min-upload-rate 'fast'")]
    [InlineData(new[] { "--rate-window", "0s" }, "--rate-window '0s'")]
    public async Task Bad_limits_are_usage_errors(string[] extra, string message)
    {
        var token = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(token, ServeHost.Token + "\n");

        var run = await CliRun.RunAsync(["serve", "--to", _target.ConnectionString, "--listen", "127.0.0.1:9", "--token-file", token, "--allow", "127.0.0.1", .. extra]);

        run.AssertFails(ExitCodes.Usage, message);
    }

    [Fact]
    public async Task Push_refuses_a_negative_retry_count_and_an_empty_stdin()
    {
        await using var serve = await ServeAsync();

        var negative = await PushAsync(serve, Archive, null, "--retry", "-1");
        var empty = await PushAsync(serve, "-", []);

        negative.AssertFails(ExitCodes.Usage, "--retry -1: expected 0 or more");
        empty.AssertFails(ExitCodes.Failure, "stdin is empty: there is no archive to push");
        await serve.StopAsync();
        Assert.DoesNotContain("status=", serve.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Starts a dry-run import that holds the slot until disposed (its first bytes sent, the rest held back).</summary>
    private async Task<HeldImport> HoldAsync(ServeHost serve)
    {
        var client = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        var content = new StallingContent(_archive, 64);
        var request = new HttpRequestMessage(HttpMethod.Post, $"{serve.Url}{RemoteProtocol.Path}") { Content = content, Version = HttpVersion.Version20 };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Token);
        request.Headers.Add(RemoteProtocol.PasswordHeader, RemoteProtocol.EncodePassword(Password.ToCharArray()));
        request.Headers.Add(RemoteProtocol.DryRunHeader, "true");
        request.Headers.Add(RemoteProtocol.MatchHeader, "users:email");
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HeldImport(client, request, response, content);
    }

    private sealed class HeldImport(HttpClient client, HttpRequestMessage request, HttpResponseMessage response, StallingContent content) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            content.Release.TrySetResult();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var events = await response.Content.ReadAsStringAsync(timeout.Token);
            Assert.Contains("\"event\":\"report\",\"exitCode\":0", events, StringComparison.Ordinal);
            response.Dispose();
            request.Dispose();
            client.Dispose();
        }
    }

    /// <summary>A stdin whose first <paramref name="first"/> bytes come at once, and then nothing (a producer that hangs).</summary>
    private sealed class StallingStream(byte[] archive, int first) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= first)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            var n = Math.Min(buffer.Length, first - _position);
            archive.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A chunked body that sends its first <paramref name="first"/> bytes, then nothing until released.</summary>
    private sealed class StallingContent(byte[] archive, int first) : HttpContent
    {
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(archive.AsMemory(0, first));
            await stream.FlushAsync();
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(120));
            await stream.WriteAsync(archive.AsMemory(first));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
