using Ferry.Import;
using Ferry.Profiles;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// The profile's files: the photos of the exported places travel in the archive and land in the
/// target's store under new names, the column pointing at them; nothing is left behind when the
/// import does not commit.
/// </summary>
public sealed class FileTests : IDisposable
{
    private readonly FileFixture _files = new();

    public static TheoryData<string> Engines => TestEngines.Each;

    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Files_travel_with_their_rows_and_the_column_points_at_the_new_copy(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, FileFixture.Schema, FileFixture.TargetData);

        var (archive, exported) = await _files.ExportAsync(source);
        var report = await _files.ImportAsync(target, archive);

        // Three paths, two of them with the same content: stored once in the archive, one file per path on the target.
        Assert.Equal(new Ferry.Export.ExportedFiles(3, 2, FileFixture.Sunrise.Length + FileFixture.Plan.Length, 0), exported.Files);
        Assert.Equal("imported", report.Outcome);
        Assert.Equal(3, report.Files);
        var rows = await target.QueryAsync("SELECT p.name, p.photo FROM places p JOIN groups g ON g.id = p.group_id WHERE g.name = 'two' ORDER BY p.name");
        Assert.Equal(["Garden", "Hall", "Hall again", "Porch", "Shed"], rows.Select(r => r[0]));
        var photos = rows.ToDictionary(r => r[0]!, r => r[1]);
        Assert.Null(photos["Shed"]);
        Assert.Matches("^imported/[0-9a-f]{32}\\.jpg$", photos["Hall"]);
        Assert.Matches("^imported/[0-9a-f]{32}\\.JPG$", photos["Garden"]);
        Assert.Matches("^imported/[0-9a-f]{32}$", photos["Porch"]);
        Assert.Equal(photos["Hall"], photos["Hall again"]);
        Assert.NotEqual(photos["Hall"], photos["Garden"]);
        Assert.Equal(FileFixture.Sunrise, File.ReadAllBytes(Path.Combine(_files.Target, photos["Hall"]!)));
        Assert.Equal(FileFixture.Sunrise, File.ReadAllBytes(Path.Combine(_files.Target, photos["Garden"]!)));
        Assert.Equal(FileFixture.Plan, File.ReadAllBytes(Path.Combine(_files.Target, photos["Porch"]!)));
        // Only those three arrived (not group one's photo, no temporary file), and the target's own file is untouched.
        Assert.Equal(
            new[] { "existing.jpg", "imported", photos["Garden"], photos["Hall"], photos["Porch"] }.Order(StringComparer.Ordinal),
            Directory.EnumerateFileSystemEntries(_files.Target, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(_files.Target, p).Replace('\\', '/')).Order(StringComparer.Ordinal));
        Assert.Equal("the target's own photo", File.ReadAllText(Path.Combine(_files.Target, "existing.jpg")));
        Assert.Equal("existing.jpg", await target.ScalarAsync("SELECT photo FROM places WHERE name = 'A1'"));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                File.GetUnixFileMode(Path.Combine(_files.Target, photos["Hall"]!)));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_refused_import_leaves_the_store_and_the_target_as_they_were(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.TargetData);
        var (archive, _) = await _files.ExportAsync(source);
        await _files.ImportAsync(target, archive);
        var listing = FileFixture.Listing(_files.Target);
        var dump = await target.DumpAsync();

        // The second import collides on groups.name: exit 3, and every file it had written is gone.
        var refused = await Assert.ThrowsAsync<ConflictException>(() => _files.ImportAsync(target, archive));

        Assert.Equal(3, refused.ExitCode);
        Assert.Equal(listing, FileFixture.Listing(_files.Target));
        Assert.Equal(dump, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_dry_run_leaves_the_store_as_it_was(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.TargetData);
        var listing = FileFixture.Listing(_files.Target);
        var dump = await target.DumpAsync();
        var (archive, _) = await _files.ExportAsync(source);

        var report = await _files.ImportAsync(target, archive, dryRun: true);

        Assert.Equal("dry run", report.Outcome);
        Assert.Equal(3, report.Files);
        Assert.Equal(listing, FileFixture.Listing(_files.Target));
        Assert.Equal(dump, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_cancelled_import_leaves_the_store_and_the_target_as_they_were(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.TargetData);
        var (archive, _) = await _files.ExportAsync(source);
        var listing = FileFixture.Listing(_files.Target);
        var dump = await target.DumpAsync();
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _files.ImportAsync(target, archive, progress: new FileFixture.CancelAfterFirstFile(cancel), cancellationToken: cancel.Token));

        Assert.Equal(listing, FileFixture.Listing(_files.Target));
        Assert.Equal(dump, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_damaged_file_in_the_archive_fails_the_import_and_leaves_the_store_as_it_was(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.TargetData);
        var (archive, _) = await _files.ExportAsync(source);
        var listing = FileFixture.Listing(_files.Target);
        var dump = await target.DumpAsync();
        // Flip one bit near the end of the encrypted message: inside the last content (or the MDC).
        archive[^200] ^= 1;

        var error = await Assert.ThrowsAnyAsync<FerryException>(() => _files.ImportAsync(target, archive));

        Assert.Contains("archive", error.Message);
        Assert.Equal(listing, FileFixture.Listing(_files.Target));
        Assert.Equal(dump, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_missing_file_fails_the_export_naming_table_column_and_path(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        File.Delete(Path.Combine(_files.Source, "plan"));

        var error = await Assert.ThrowsAsync<FerryException>(() => _files.ExportAsync(source));

        Assert.Equal(1, error.ExitCode);
        Assert.Contains("1 file(s) are missing from their store: places.photo 'plan'", error.Message);
        Assert.Contains("missing: warn", error.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task With_missing_warn_a_missing_file_is_warned_about_and_its_row_keeps_the_path(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.TargetData);
        File.Delete(Path.Combine(_files.Source, "plan"));
        var profile = FileFixture.Profile(MissingFile.Warn);

        var (archive, exported) = await _files.ExportAsync(source, profile);
        var report = await _files.ImportAsync(target, archive, profile: profile);

        Assert.Equal(1, exported.Files!.Missing);
        Assert.Contains(exported.Warnings, w => w.Contains("file places.photo 'plan' is missing from store uploads", StringComparison.Ordinal));
        Assert.Equal(2, report.Files);
        Assert.Equal("plan", await target.ScalarAsync("SELECT photo FROM places WHERE name = 'Porch'"));
        Assert.Matches("^imported/", await target.ScalarAsync("SELECT photo FROM places WHERE name = 'Hall'"));
    }

    [Theory]
    [InlineData("/etc/passwd", "places.photo '/etc/passwd' is absolute")]
    [InlineData("../outside.jpg", "places.photo '../outside.jpg' leaves the store directory")]
    [InlineData("2024/../../outside.jpg", "places.photo '2024/../../outside.jpg' leaves the store directory")]
    [InlineData("link/outside.jpg", "places.photo 'link/outside.jpg' leaves the store directory through a symbolic link")]
    public async Task A_path_leaving_the_store_is_refused(string path, string message)
    {
        File.WriteAllText(Path.Combine(_files.Root, "outside.jpg"), "secret");
        Directory.CreateSymbolicLink(Path.Combine(_files.Source, "link"), _files.Root);
        await using var source = await TestDb.CreateAsync("sqlite", FileFixture.Schema, FileFixture.SourceData);
        await source.ExecuteAsync($"UPDATE places SET photo = '{path}' WHERE name = 'Shed'");

        var error = await Assert.ThrowsAsync<FerryException>(() => _files.ExportAsync(source));

        Assert.Equal($"1 file path(s) cannot be exported: {message}", error.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_archive_without_files_is_refused_by_an_import_whose_profile_has_file_rules(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, FileFixture.Schema, FileFixture.TargetData);
        var archive = await Move.ExportAsync(source);
        var dump = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<FerryException>(() => _files.ImportAsync(target, archive));

        Assert.StartsWith("the archive holds no files for places.photo (store uploads): it was exported without them", error.Message);
        Assert.Equal(dump, await target.DumpAsync());
        Assert.Equal(["existing.jpg " + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("the target's own photo"u8))],
            FileFixture.Listing(_files.Target));
    }

    public void Dispose() => _files.Dispose();
}
