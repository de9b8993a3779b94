using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary><c>ferry serve</c> and <c>ferry push</c> end to end on 127.0.0.1: a whole move, and every refusal leaves the target unchanged.</summary>
public sealed class RemoteTests : IAsyncLifetime
{
    private const string Password = "remote-pass";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-remote-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;
    private string _passwordFile = null!;

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, Password + "\n");
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile]);
        Assert.True(export.ExitCode == 0, export.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<ServeHost> ServeAsync(string allow = "127.0.0.1/32", params string[] extra) => ServeHost.StartAsync(_dir, _target.ConnectionString, allow, extra);

    private static Task<CliRun> PushAsync(ServeHost serve, string archive, byte[]? stdin = null, params string[] extra) =>
        CliRun.RunAsync(["push", archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint, .. extra], stdin,
            new() { ["FERRY_PASSWORD"] = Password });

    [Fact]
    public async Task Push_moves_the_group_through_serve()
    {
        await using var serve = await ServeAsync();

        var push = await PushAsync(serve, Archive, null, "--match", "users:email");

        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Contains("stage messages: 3 rows", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("Import complete", push.Stderr, StringComparison.Ordinal);
        Assert.Empty(push.Stdout);
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
        Assert.Equal("1", await _target.ScalarAsync("SELECT COUNT(*) FROM users WHERE email = 'bob@example.org'"));
        Assert.Equal(0, await serve.StopAsync());
        Assert.Contains($"fingerprint: {serve.Fingerprint}", serve.Stderr, StringComparison.Ordinal);
        // The documented defaults (README, docs/security.md) are the ones in force.
        Assert.Contains($"uploads: up to 4 GiB, {Remote.UploadLimits.Default}", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("uploads: up to 4 GiB, at least 16 KiB/s over any 1 min of waiting, 1 h of waiting in all", serve.Stderr, StringComparison.Ordinal);
        var log = Assert.Single(File.ReadAllLines(serve.LogFile));
        Assert.Contains("client=127.0.0.1", log, StringComparison.Ordinal);
        Assert.Contains("status=200 outcome=\"imported\"", log, StringComparison.Ordinal);
        Assert.Contains(log, serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, serve.Stderr + log, StringComparison.Ordinal);
        Assert.DoesNotContain(ServeHost.Token, serve.Stderr + log, StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(serve.StateDir), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task An_export_on_stdin_is_pushed_chunked_and_a_dry_run_writes_nothing()
    {
        await using var serve = await ServeAsync();
        var before = await _target.DumpAsync();

        var push = await PushAsync(serve, "-", await File.ReadAllBytesAsync(Archive), "--match", "users:email", "--dry-run");

        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Contains("Dry run complete", push.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Conflicts_exit_3_with_the_servers_list()
    {
        await using var serve = await ServeAsync();
        Assert.Equal(0, (await PushAsync(serve, Archive, null, "--match", "users:email")).ExitCode);
        var before = await _target.DumpAsync();

        var again = await PushAsync(serve, Archive, null, "--match", "users:email");

        again.AssertFails(ExitCodes.Conflicts, "conflict(s)");
        Assert.Contains("conflict: groups", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await _target.DumpAsync());
    }
}
