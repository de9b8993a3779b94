using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>Requirements read each engine's truth values: PostgreSQL booleans, SQLite integers.</summary>
public sealed class ProfileRequirementTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-profile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Requirements_gate_export_and_import_on_both_engines(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var archive = Path.Combine(_dir, "beta.tar.gz");
        var profile = Path.Combine(_dir, "app.yaml");
        await File.WriteAllTextAsync(profile, """
            root: groups
            requires:
              - {on: source, sql: "SELECT COUNT(*) = 3 FROM groups", message: "the source has three groups"}
              - {on: target, sql: "SELECT COUNT(*) > 2 FROM groups", message: "the target needs three groups"}
            """);

        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "2", "--no-encrypt", "-o", archive]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var before = await target.DumpAsync();

        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--match", "users:email", "--profile", profile, "--allow-plaintext"]);

        import.AssertFails(ExitCodes.Failure, "the target needs three groups (profile app.yaml:4)");
        Assert.Equal(before, await target.DumpAsync());
        await target.ExecuteAsync("INSERT INTO groups (id, slug, name, created_at) VALUES (9, 'zeta', 'Zeta', '2024-01-01 00:00:00')");
        var again = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--match", "users:email", "--profile", profile, "--allow-plaintext"]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM groups WHERE slug = 'beta'"));
    }
}
