using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// <c>transforms:</c> on import: every mistake is found against the archive and the target before
/// anything is written, reported with its profile line as one usage error (exit 2).
/// </summary>
public sealed class ProfileTransformTests : IAsyncLifetime
{
    private const string Password = "transform-pass";
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-transform-").FullName;
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

    private Task<CliRun> ImportAsync(string transforms)
    {
        var profile = Path.Combine(_dir, "community.yaml");
        File.WriteAllText(profile, "transforms:\n" + transforms);
        return CliRun.RunAsync(["import", Archive, "--to", _target.ConnectionString, "--password-file", _passwordFile, "--match", "users:email", "--profile", profile]);
    }

    [Theory]
    [InlineData("  - {rename_table: group, to: teams}\n",
        "profile community.yaml:2: unknown table group: the archive has no table of that name")]
    [InlineData("  - {rename_table: places, to: venues}\n",
        "profile community.yaml:2: cannot rename table places to venues: the target has no table venues")]
    [InlineData("  - {rename_table: places, to: groups}\n",
        "profile community.yaml:2: cannot rename table places to groups: the archive already has a table groups")]
    [InlineData("  - {rename_column: users.name, to: email}\n",
        "profile community.yaml:2: cannot rename users.name to email: users already has a column email")]
    [InlineData("  - {rename_column: users.nick, to: handle}\n",
        "profile community.yaml:2: unknown column users.nick: the archive's users has no column nick")]
    [InlineData("  - {drop_column: groups.id}\n",
        "profile community.yaml:2: cannot drop groups.id: it is part of the primary key")]
    [InlineData("  - {drop_column: notes.title}\n  - {map: notes.title, values: {a: b}}\n",
        "profile community.yaml:3: unknown column notes.title: the archive's notes has no column title; it was dropped at line 2")]
    [InlineData("  - {set: notes.big, value: lots}\n",
        "profile community.yaml:2: value 'lots' does not fit notes.big (type int)")]
    [InlineData("  - {set: groups.visibility, value: public}\n",
        "profile community.yaml:2: cannot set groups.visibility: the target's groups has no column visibility")]
    [InlineData("  - {map: memberships.role, values: {member: 1.5}}\n  - {map: notes.flag, values: {'1': maybe}}\n",
        "profile community.yaml:3: the new value of '1' 'maybe' does not fit notes.flag (type bool)")]
    [InlineData("  - {fill: groups.name, sql: \"'x'\"}\n",
        "profile community.yaml:2: cannot fill groups.name: the archive's groups has that column; fill is for a column the archive lacks: use set or map for one it has")]
    [InlineData("  - {fill: groups.visibility, sql: \"'x'\"}\n",
        "profile community.yaml:2: cannot fill groups.visibility: the target's groups has no column visibility")]
    [InlineData("  - {sql: \"UPDATE {venues} SET name = trim(name)\"}\n",
        "profile community.yaml:2: unknown table venues (in {venues}): the archive has no table of that name")]
    public async Task Each_kind_of_transform_mistake_is_a_usage_error_and_writes_nothing(string transforms, string text)
    {
        var before = await _target.DumpAsync();

        var run = await ImportAsync(transforms);

        run.AssertFails(ExitCodes.Usage, text);
        Assert.Equal(before, await _target.DumpAsync());
    }

    /// <summary>
    /// A <c>sql</c> transform that leaves a value its target column does not take (SQLite would store the text in an
    /// INTEGER column as it is): one error line naming table and column, exit 1, the target unchanged.
    /// </summary>
    [Theory]
    [InlineData("  - {sql: \"UPDATE {notes} SET big = 'lots'\"}\n", "table notes, column big (INTEGER), as the profile's transforms left it: 'lots' is not a whole number")]
    [InlineData("  - {sql: \"UPDATE {notes} SET amount = 'ten'\"}\n", "table notes, column amount (DECIMAL(40, 10)), as the profile's transforms left it: 'ten' is not a decimal number")]
    [InlineData("  - {sql: \"UPDATE {notes} SET ratio = 'half'\"}\n", "table notes, column ratio (DOUBLE), as the profile's transforms left it: 'half' is not a number")]
    public async Task A_value_a_transform_leaves_that_the_column_does_not_take_is_one_error_and_writes_nothing(string transforms, string text)
    {
        var before = await _target.DumpAsync();

        var run = await ImportAsync(transforms);

        run.AssertFails(ExitCodes.Failure, $"error: a value does not fit the target: {text}; nothing was written");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Every_transform_mistake_is_reported_at_once_naming_tables_after_earlier_renames()
    {
        var before = await _target.DumpAsync();

        var run = await ImportAsync("""
              - {rename_table: places, to: venues}
              - {rename_column: users.name, to: full_name}
              - {map: users.name, values: {a: b}}
              - {sql: "UPDATE {places} SET name = trim(name)"}
            """ + "\n");

        run.AssertFails(ExitCodes.Usage, "4 mistakes in the profile: " +
            "profile community.yaml:2: cannot rename table places to venues: the target has no table venues; " +
            "profile community.yaml:3: cannot rename users.name to full_name: the target's users has no column full_name; " +
            "profile community.yaml:4: unknown column users.name: the archive's users has no column name; it was renamed to full_name at line 3; " +
            "profile community.yaml:5: unknown table places (in {places}): the archive has no table of that name; it was renamed to venues at line 2");
        Assert.Equal(before, await _target.DumpAsync());
    }

    [Fact]
    public async Task Set_map_and_sql_transforms_change_the_rows_written()
    {
        var run = await ImportAsync("""
              - {map: memberships.role, values: {member: participant}}
              - {set: notes.flag, value: false}
              - {set: notes.big, value: 7}
              - {sql: "UPDATE {places} SET name = upper(name) WHERE name <> 'it''s'"}
            """ + "\n");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var beta = await _target.ScalarAsync("SELECT id FROM groups WHERE slug = 'beta'");
        Assert.Equal("organizer,participant,participant", await _target.ScalarAsync(
            $"SELECT group_concat(role, ',') FROM (SELECT role FROM memberships WHERE group_id = {beta} ORDER BY role)"));
        Assert.Equal("0:7,0:7", await _target.ScalarAsync(
            $"SELECT group_concat(flag || ':' || big, ',') FROM (SELECT flag, big FROM notes WHERE group_id = {beta} ORDER BY id)"));
        Assert.Equal("GARDEN,HALL", await _target.ScalarAsync(
            $"SELECT group_concat(name, ',') FROM (SELECT name FROM places WHERE group_id = {beta} ORDER BY name)"));
    }

    [Fact]
    public async Task Serve_applies_its_profile_transforms_to_every_push()
    {
        var profile = Path.Combine(_dir, "community.yaml");
        await File.WriteAllTextAsync(profile, "transforms:\n  - {map: memberships.role, values: {member: participant}}\n");
        await using var serve = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32", "--profile", profile);

        var push = await CliRun.RunAsync(["push", Archive, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint, "--match", "users:email"],
            environment: new() { ["FERRY_PASSWORD"] = Password });

        Assert.True(push.ExitCode == 0, push.Stderr);
        Assert.Equal("organizer,participant,participant", await _target.ScalarAsync(
            "SELECT group_concat(role, ',') FROM (SELECT m.role FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'beta' ORDER BY m.role)"));
    }
}
