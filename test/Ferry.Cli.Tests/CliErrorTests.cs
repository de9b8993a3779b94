using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>Every bad input: one clear <c>error:</c> line, a non-zero exit code, and nothing changed.</summary>
public sealed class CliErrorTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-cli-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;
    private string _passwordFile = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
        _passwordFile = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(_passwordFile, "s3cret-pass\n");
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Archive => Path.Combine(_dir, "beta.tar.gpg");

    private Task<CliRun> ExportAsync(params string[] extra) =>
        CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile, .. extra]);

    private Task<CliRun> ImportAsync(params string[] extra) =>
        CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", .. extra]);

    [Theory]
    [InlineData(new[] { "export", "--root", "groups", "--ids", "2" }, "--from")]
    [InlineData(new[] { "export", "--from", "sqlite:x.db", "--root", "groups", "--ids", "2", "--bogus" }, "--bogus")]
    [InlineData(new[] { "import", "--to", "sqlite:x.db" }, "Required argument missing for command: 'import'")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public async Task Command_line_mistakes_are_usage_errors(string[] args, string named)
    {
        var run = await CliRun.RunAsync(args);
        run.AssertFails(ExitCodes.Usage, named);
    }

    [Theory]
    [InlineData("oracle://u@h/db", 2, "unsupported connection string")]
    [InlineData("postgres://user:pw@host:port/db", 2, "postgres://")]
    [InlineData("sqlite:/nonexistent/dir/source.db", 1, "does not exist")]
    public async Task A_bad_source_is_named(string source, int code, string text)
    {
        var run = await CliRun.RunAsync(["export", "--from", source, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", _passwordFile]);
        run.AssertFails(code, text);
        Assert.False(File.Exists(Archive));
        Assert.DoesNotContain("pw", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--root", "nosuch" }, 2, "nosuch")]
    [InlineData(new[] { "--ids", "2,99" }, 1, "99")]
    [InlineData(new[] { "--ids", "two" }, 2, "'two' is not an integer")]
    [InlineData(new[] { "--exclude", "nosuch" }, 2, "nosuch")]
    [InlineData(new[] { "--follow", "users" }, 2, "TABLE.COLUMN")]
    [InlineData(new[] { "--follow", "users.name" }, 2, "users.name")]
    [InlineData(new[] { "--exclude", "users" }, 1, "memberships.user_id")]
    [InlineData(new[] { "--no-encrypt" }, 2, "--no-encrypt and --password-file")]
    public async Task Export_mistakes_write_no_archive(string[] options, int code, string text)
    {
        var args = new List<string> { "export", "--from", _source.ConnectionString, "-o", Archive, "--password-file", _passwordFile };
        var given = options.Where((_, i) => i % 2 == 0).ToHashSet();
        args.AddRange(options);
        if (!given.Contains("--root")) { args.AddRange(["--root", "groups"]); }
        if (!given.Contains("--ids")) { args.AddRange(["--ids", "2"]); }
        var before = await _source.DumpAsync();

        var run = await CliRun.RunAsync([.. args]);

        run.AssertFails(code, text);
        Assert.False(File.Exists(Archive));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
        Assert.Equal(before, await _source.DumpAsync());
    }

    [Fact]
    public async Task An_existing_archive_is_not_overwritten_without_force()
    {
        await File.WriteAllTextAsync(Archive, "keep me");

        var run = await ExportAsync();

        run.AssertFails(1, "--force");
        Assert.Equal("keep me", await File.ReadAllTextAsync(Archive));
        Assert.Equal(0, (await ExportAsync("--force")).ExitCode);
        Assert.NotEqual("keep me", await File.ReadAllTextAsync(Archive));
    }

    [Theory]
    [InlineData("wrong-password", "error: wrong password")]
    [InlineData(null, "encrypted")]
    public async Task A_wrong_or_missing_password_leaves_the_target_unchanged(string? password, string text)
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);
        var before = await _target.DumpAsync();
        var args = new List<string> { "import", Archive, "--to", _target.ConnectionString };
        if (password is not null)
        {
            var file = Path.Combine(_dir, "wrong");
            await File.WriteAllTextAsync(file, password);
            args.AddRange(["--password-file", file]);
        }

        var run = await CliRun.RunAsync([.. args]);

        run.AssertFails(1, text);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData("truncate")]
    [InlineData("flip")]
    [InlineData("garbage")]
    public async Task A_damaged_archive_leaves_the_target_unchanged(string damage)
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);
        var bytes = await File.ReadAllBytesAsync(Archive);
        bytes = damage switch
        {
            "truncate" => bytes[..(bytes.Length * 3 / 4)],
            "flip" => Flip(bytes, bytes.Length * 2 / 3),
            _ => "this is not an archive"u8.ToArray(),
        };
        await File.WriteAllBytesAsync(Archive, bytes);
        var before = await _target.DumpAsync();

        var run = await ImportAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData(new[] { "--match", "users" }, 2, "TABLE:COLUMN")]
    [InlineData(new[] { "--match", "nosuch:email" }, 1, "nosuch")]
    [InlineData(new[] { "--match", "users:nosuch" }, 1, "users.nosuch")]
    [InlineData(new[] { "--match", "users:email/x" }, 2, "optionally ending in /i")]
    [InlineData(new[] { "--match", "users:email/i/i" }, 2, "optionally ending in /i")]
    public async Task Import_mistakes_leave_the_target_unchanged(string[] options, int code, string text)
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);
        var before = await _target.DumpAsync();

        var run = await CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, .. options]);

        run.AssertFails(code, text);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task A_missing_target_database_is_not_created()
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);
        var missing = Path.Combine(_dir, "missing.db");

        var run = await CliRun.RunAsync(["import", Archive, "--to", $"sqlite:{missing}", "--password-file", _passwordFile]);

        run.AssertFails(1, "does not exist");
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task A_missing_archive_is_named()
    {
        var run = await ImportAsync();
        run.AssertFails(1, "beta.tar.gpg");
    }

    [Fact]
    public async Task Conflicts_exit_3_list_every_conflict_and_write_the_report()
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);
        Assert.Equal(0, (await ImportAsync()).ExitCode);
        var before = await _target.DumpAsync();
        var report = Path.Combine(_dir, "report.json");

        var run = await ImportAsync("--report", report);

        run.AssertFails(ExitCodes.Conflicts, "conflict");
        Assert.Contains("conflict: groups", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(beta) already exists in the target", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("\"conflictCount\"", await File.ReadAllTextAsync(report), StringComparison.Ordinal);
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("empty", "is empty")]
    public async Task A_bad_password_file_is_named_before_anything_is_written(string kind, string text)
    {
        var file = Path.Combine(_dir, "pw-" + kind);
        if (kind == "empty")
        {
            await File.WriteAllTextAsync(file, "\n");
        }

        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "-o", Archive, "--password-file", file]);

        export.AssertFails(1, text);
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public async Task Inspect_names_a_wrong_password_and_a_missing_archive()
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);
        var wrong = Path.Combine(_dir, "wrong");
        await File.WriteAllTextAsync(wrong, "nope");

        (await CliRun.RunAsync(["inspect", Archive, "--password-file", wrong])).AssertFails(1, "error: wrong password");
        (await CliRun.RunAsync(["inspect", Path.Combine(_dir, "none.tar.gpg")])).AssertFails(1, "does not exist");
    }

    [Fact]
    public async Task An_unreachable_postgres_target_is_named_without_its_password()
    {
        Assert.Equal(0, (await ExportAsync()).ExitCode);

        var run = await CliRun.RunAsync(["import", Archive, "--to", "postgres://ferry:topsecret@127.0.0.1:1/app", "--password-file", _passwordFile]);

        run.AssertFails(1, "cannot connect to PostgreSQL at 127.0.0.1:1");
        Assert.DoesNotContain("topsecret", run.Stderr, StringComparison.Ordinal);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0x5a;
        return copy;
    }
}
