using System.Security.Cryptography;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>--files NAME=DIR</c> with a profile's files rule, end to end: export, inspect, import and serve;
/// every bad input is one error line, a non-zero exit and an unchanged target.
/// </summary>
public sealed class FileCliTests : IAsyncLifetime
{
    private static readonly byte[] Photo = RandomNumberGenerator.GetBytes(100_000);
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-files-cli-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;

    private string Archive => Path.Combine(_dir, "two.tar.gz");

    private string SourceStore => Path.Combine(_dir, "source-uploads");

    private string TargetStore => Path.Combine(_dir, "target-uploads");

    private string ProfilePath => Path.Combine(_dir, "app.yaml");

    public async Task InitializeAsync()
    {
        const string schema = """
            CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TABLE places (id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id), name TEXT NOT NULL, photo TEXT);
            """;
        _source = await TestDb.CreateAsync("sqlite", _ => schema, _ => """
            INSERT INTO groups VALUES (2, 'two');
            INSERT INTO places VALUES (1, 2, 'Hall', 'hall/photo.jpg'), (2, 2, 'Porch', 'plan.txt'), (3, 2, 'Shed', NULL);
            """);
        _target = await TestDb.CreateAsync("sqlite", _ => schema, _ => "INSERT INTO groups VALUES (1, 'one');");
        Directory.CreateDirectory(Path.Combine(SourceStore, "hall"));
        Directory.CreateDirectory(TargetStore);
        await File.WriteAllBytesAsync(Path.Combine(SourceStore, "hall", "photo.jpg"), Photo);
        await File.WriteAllTextAsync(Path.Combine(SourceStore, "plan.txt"), "the plan");
        await File.WriteAllTextAsync(ProfilePath, Yaml("fail"));
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Yaml(string missing) => $"""
        root: groups
        files:
          - {"{"}store: uploads, table: places, column: photo, missing: {missing}{"}"}
        """;

    private Task<CliRun> ExportAsync(params string[] extra) =>
        CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", Archive, "--profile", ProfilePath, .. extra]);

    private Task<CliRun> ImportAsync(params string[] extra) =>
        CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--allow-plaintext", .. extra]);

    [Fact]
    public async Task Export_inspect_and_import_move_the_files_and_point_the_column_at_them()
    {
        var export = await ExportAsync("--files", $"uploads={SourceStore}");
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.Contains("files: 2 referenced, 2 distinct contents (100,008 bytes) in the archive", export.Stderr, StringComparison.Ordinal);

        var inspect = await CliRun.RunAsync(["inspect", Archive]);
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);
        Assert.Contains("archive:    format 2, NOT encrypted", inspect.StdoutText, StringComparison.Ordinal);
        Assert.Contains("files:      2 references, 2 distinct contents (100,008 bytes), in places.photo (store uploads)", inspect.StdoutText, StringComparison.Ordinal);

        var import = await ImportAsync("--profile", ProfilePath, "--files", $"uploads={TargetStore}");
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("2 files (100,008 bytes) written into the file stores", import.Stderr, StringComparison.Ordinal);
        var hall = await _target.ScalarAsync("SELECT photo FROM places WHERE name = 'Hall'");
        Assert.Matches("^imported/[0-9a-f]{32}\\.jpg$", hall);
        Assert.Equal(Photo, await File.ReadAllBytesAsync(Path.Combine(TargetStore, hall!)));
        var porch = await _target.ScalarAsync("SELECT photo FROM places WHERE name = 'Porch'");
        Assert.Equal("the plan", await File.ReadAllTextAsync(Path.Combine(TargetStore, porch!)));
        Assert.Null(await _target.ScalarAsync("SELECT photo FROM places WHERE name = 'Shed'"));
    }

    [Fact]
    public async Task A_missing_file_is_one_error_line_and_no_archive()
    {
        File.Delete(Path.Combine(SourceStore, "plan.txt"));

        var run = await ExportAsync("--files", $"uploads={SourceStore}");

        run.AssertFails(ExitCodes.Failure, "1 file(s) are missing from their store: places.photo 'plan.txt' (restore them, or give the files rule missing: warn to export without them)");
        Assert.False(File.Exists(Archive));
        Assert.Equal([ProfilePath], Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task With_missing_warn_a_missing_file_is_a_warning_and_the_export_goes_on()
    {
        File.Delete(Path.Combine(SourceStore, "plan.txt"));
        await File.WriteAllTextAsync(ProfilePath, Yaml("warn"));

        var run = await ExportAsync("--files", $"uploads={SourceStore}");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("warning: file places.photo 'plan.txt' is missing from store uploads", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 missing (exported without them)", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../secret.txt", "places.photo '../secret.txt' leaves the store directory")]
    [InlineData("/etc/hostname", "places.photo '/etc/hostname' is absolute")]
    public async Task A_path_leaving_the_store_is_one_error_line_and_no_archive(string path, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "secret.txt"), "secret");
        await _source.ExecuteAsync($"UPDATE places SET photo = '{path}' WHERE name = 'Shed'");

        var run = await ExportAsync("--files", $"uploads={SourceStore}");

        run.AssertFails(ExitCodes.Failure, $"1 file path(s) cannot be exported: {text}");
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public async Task An_archive_with_files_needs_the_targets_directory()
    {
        Assert.Equal(0, (await ExportAsync("--files", $"uploads={SourceStore}")).ExitCode);
        var before = await _target.DumpAsync();

        var run = await ImportAsync();

        run.AssertFails(ExitCodes.Usage, "the archive holds files of store uploads (places.photo): give --files uploads=DIR, the target's directory for them");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task An_archive_exported_without_files_is_refused_by_a_profile_with_files_rules()
    {
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--root", "groups", "--ids", "2", "--no-encrypt", "-o", Archive]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = await _target.DumpAsync();

        var run = await ImportAsync("--profile", ProfilePath, "--files", $"uploads={TargetStore}");

        run.AssertFails(ExitCodes.Failure, "the archive holds no files for places.photo (store uploads): it was exported without them; export it again with the profile and --files uploads=DIR");
        Assert.Equal(before, await _target.DumpAsync());
        Assert.Empty(Directory.EnumerateFileSystemEntries(TargetStore));
    }

    [Fact]
    public async Task A_refused_second_import_and_a_dry_run_leave_the_store_as_it_was()
    {
        Assert.Equal(0, (await ExportAsync("--files", $"uploads={SourceStore}")).ExitCode);
        var dryRun = await ImportAsync("--profile", ProfilePath, "--files", $"uploads={TargetStore}", "--dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.Stderr);
        Assert.Contains("2 files (100,008 bytes) were written into the file stores and removed again", dryRun.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(TargetStore));
        Assert.Equal(0, (await ImportAsync("--profile", ProfilePath, "--files", $"uploads={TargetStore}")).ExitCode);
        var files = Listing(TargetStore);
        var before = await _target.DumpAsync();

        var again = await ImportAsync("--profile", ProfilePath, "--files", $"uploads={TargetStore}");

        again.AssertFails(ExitCodes.Conflicts, "conflict(s) with rows in the target: nothing was written");
        Assert.Equal(files, Listing(TargetStore));
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Serve_imports_the_files_into_its_store()
    {
        var password = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(password, "files-pass\n");
        var archive = Path.Combine(_dir, "two.tar.gpg");
        var export = await CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--ids", "2", "-o", archive, "--password-file", password,
            "--profile", ProfilePath, "--files", $"uploads={SourceStore}"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        await using var serve = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32", "--profile", ProfilePath, "--files", $"uploads={TargetStore}");

        var push = await CliRun.RunAsync(["push", archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint],
            null, new() { ["FERRY_PASSWORD"] = "files-pass" });

        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Contains("2 files (100,008 bytes) written into the file stores", push.Stderr, StringComparison.Ordinal);
        var hall = await _target.ScalarAsync("SELECT photo FROM places WHERE name = 'Hall'");
        Assert.Equal(Photo, await File.ReadAllBytesAsync(Path.Combine(TargetStore, hall!)));
        Assert.Equal(0, await serve.StopAsync());
    }

    private static string[] Listing(string dir) =>
        Directory.EnumerateFileSystemEntries(dir, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(dir, p)} {(File.Exists(p) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p))) : "dir")}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
