using System.Text;
using Ferry.Archive;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary><c>--profile</c> on export, import and serve: the profile stands in for flags, and every mistake stops before anything is written.</summary>
public sealed class ProfileCliTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-profile-").FullName;
    private TestDb _source = null!;
    private TestDb _target = null!;

    public async Task InitializeAsync()
    {
        _source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        _target = await TestDb.CreateAsync("sqlite", CommunityFixture.TargetData);
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Archive => Path.Combine(_dir, "beta.tar.gz");

    private string Profile(string yaml, string name = "community.yaml")
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private Task<CliRun> ExportAsync(params string[] extra) =>
        CliRun.RunAsync(["export", "--from", _source.ConnectionString, "--ids", "2", "--no-encrypt", "-o", Archive, .. extra]);

    private Task<CliRun> ImportAsync(params string[] extra) =>
        CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--match", "users:email", .. extra]);

    [Fact]
    public async Task A_profile_root_exclude_and_follow_give_the_same_archive_as_the_flags()
    {
        var flags = await ExportAsync("--root", "groups", "--exclude", "notes", "--follow", "conversations.latest_message_id");
        Assert.True(flags.ExitCode == 0, flags.Stderr);
        var expected = await ContentAsync(Archive);
        File.Delete(Archive);
        var profile = Profile("""
            root: {table: groups, key: id}
            follow: [conversations.latest_message_id]
            exclude:
              - {table: notes, reason: "private to the group"}
            """);

        var run = await ExportAsync("--profile", profile);

        Assert.True(run.ExitCode == 0, run.Stderr);
        var content = await ContentAsync(Archive);
        Assert.Equal(expected, content);
        Assert.Contains("excluded: notes", content, StringComparison.Ordinal);
        Assert.Contains("followed: conversations.latest_message_id", content, StringComparison.Ordinal);
        Assert.DoesNotContain("table notes", content, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("root: groups\nexclude: [notes\n", "profile bad.yaml:3: not valid YAML")]
    [InlineData("root: groups\nexclude:\n  - nosuch\n", "profile bad.yaml:3: unknown table nosuch: the source has no table of that name")]
    [InlineData("root: groups\nexlude: [notes]\n", "profile bad.yaml:2: unknown key 'exlude' in the profile")]
    [InlineData("exclude: [notes]\n", "--root is required unless the profile names a root")]
    [InlineData("root: groups\nrelations:\n  - {from: notes.title, to: users, path: '$.people[?(@.id)].id'}\n", "profile bad.yaml:3: path is not a JSON path Ferry follows: JSON path '$.people[?(@.id)].id' has a bracket at position 8 that is neither [*] nor [N]")]
    [InlineData("root: groups\nshared: [{table: nosuch, reason: lookups}]\nidentities: [{table: nosuch, key: name}]\n", "profile bad.yaml:2: unknown table nosuch")]
    [InlineData("root: groups\nshared: [{table: users, reason: people}]\n", "profile bad.yaml:2: shared rows of users are matched on the target by an identity, and the profile has none for users")]
    [InlineData("root: groups\nfiles: [{store: photos, table: notes, column: title}]\n", "profile bad.yaml:2: file store photos has no directory on the source: give --files photos=DIR")]
    public async Task A_bad_profile_is_one_usage_error_and_no_archive(string yaml, string text)
    {
        var run = await ExportAsync("--profile", Profile(yaml, "bad.yaml"));

        run.AssertFails(ExitCodes.Usage, text);
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public async Task All_profile_mistakes_are_listed_in_one_error_line()
    {
        var run = await ExportAsync("--profile", Profile("root: groupz\nfollow: [users.nope]\nignore: [gone]\n", "bad.yaml"));

        run.AssertFails(ExitCodes.Usage, "3 mistakes in the profile: profile bad.yaml:1: unknown table groupz");
        Assert.Contains("profile bad.yaml:2: unknown column users.nope", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.Contains("profile bad.yaml:3: unknown table gone", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.False(File.Exists(Archive));
    }

    [Theory]
    [InlineData(new[] { "--profile", "/nonexistent/app.yaml" }, "cannot read profile /nonexistent/app.yaml")]
    [InlineData(new[] { "--root", "groups", "--files", "photos" }, "--files 'photos': expected NAME=DIR")]
    [InlineData(new[] { "--root", "groups", "--files", "a=/x", "--files", "a=/y" }, "--files: a is given twice")]
    public async Task Profile_options_with_bad_syntax_are_usage_errors(string[] options, string text)
    {
        var run = await ExportAsync(options);

        run.AssertFails(ExitCodes.Usage, text);
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public async Task Source_requirements_gate_the_export()
    {
        var passing = Profile("root: groups\nrequires:\n  - {on: source, sql: \"SELECT COUNT(*) >= 3 FROM groups\", message: \"needs three groups\"}\n", "ok.yaml");
        var ok = await ExportAsync("--profile", passing);
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        File.Delete(Archive);

        var failing = Profile("""
            root: groups
            requires:
              - {on: source, sql: "SELECT 1", message: "never shown"}
              - {on: target, sql: "SELECT 0", message: "not checked on export"}
              - {on: source, sql: "SELECT MAX(id) >= 63 FROM groups", message: "schema revision must be at least 63"}
            """);
        var run = await ExportAsync("--profile", failing);

        run.AssertFails(ExitCodes.Failure, "schema revision must be at least 63 (profile community.yaml:5)");
        Assert.False(File.Exists(Archive));
    }

    [Fact]
    public async Task A_requirement_whose_SQL_fails_names_its_line()
    {
        var run = await ExportAsync("--profile", Profile("root: groups\nrequires:\n  - {on: source, sql: \"SELECT revision FROM schema_version\", message: m}\n"));

        run.AssertFails(ExitCodes.Failure, "profile community.yaml:3: the requirement's SQL failed on the source: ");
        Assert.Contains("schema_version", run.ErrorLines[0], StringComparison.Ordinal);
        Assert.False(File.Exists(Archive));
    }

    private static async Task<string> ContentAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var reader = await ArchiveReader.OpenAsync(file, () => null, new ArchiveReadOptions { AllowPlaintext = true }, CancellationToken.None);
        var m = reader.Manifest;
        var text = new StringBuilder($"root: {m.Root.Table} {string.Join(",", m.Root.Ids)}\nexcluded: {string.Join(",", m.Excluded)}\nfollowed: {string.Join(",", m.Followed)}\n");
        foreach (var table in m.Tables)
        {
            text.Append($"table {table.Name} {table.Role}\n");
            await foreach (var row in reader.ReadTableAsync(table, CancellationToken.None))
            {
                text.AppendJoin('|', row.Select(v => v is byte[] b ? Convert.ToHexString(b) : Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))).Append('\n');
            }
        }
        return text.ToString();
    }
}
