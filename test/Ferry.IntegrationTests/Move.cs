using Ferry.Testing;
using Ferry.Engines;
using Ferry.Export;
using Ferry.Import;
using Ferry.Postgres;
using Ferry.Reporting;
using Ferry.Sqlite;

namespace Ferry.IntegrationTests;

/// <summary>Export and import through the library entry points, as the CLI does.</summary>
public static class Move
{
    public const string Password = "correct horse battery staple";

    public static readonly EngineRegistry Engines = new([new SqliteEngineFactory(), new PostgresEngineFactory(), new MariaDb.MariaDbEngineFactory()]);

    public static async Task<byte[]> ExportAsync(TestDb source, string ids = "2", bool encrypt = true, string[]? exclude = null, (string, string)[]? follow = null, Profiles.Profile? profile = null, string root = "groups")
    {
        var options = new ExportOptions(source.ConnectionString, root, ids.Split(','), exclude ?? [], follow ?? [], encrypt ? Password.ToCharArray() : null, profile);
        using var output = new MemoryStream();
        await new Exporter(Engines.Create(source.ConnectionString), SilentProgress.Instance).ExportAsync(options, output, CancellationToken.None);
        return output.ToArray();
    }

    public static async Task<ImportReport> ImportAsync(TestDb target, byte[] archive, bool dryRun = false, string password = Password, bool allowPlaintext = false, params string[] match)
    {
        var rules = (match.Length == 0 ? ["users:email"] : match).Where(m => m.Length > 0).Select(MatchRule.Parse).ToList();
        var options = new ImportOptions(target.ConnectionString, rules, dryRun, () => password.ToCharArray(),
            Reading: new Archive.ArchiveReadOptions { AllowPlaintext = allowPlaintext });
        using var input = new MemoryStream(archive);
        return await new Importer(Engines.Create(target.ConnectionString), SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }

    /// <summary>Imports with a profile written as YAML (loaded as <c>--profile</c> would; empty: none), and <c>--map</c> files.</summary>
    public static async Task<ImportReport> ImportAsync(TestDb target, byte[] archive, string profileYaml, IReadOnlyDictionary<string, string>? maps = null, bool dryRun = false, params string[] match)
    {
        var profile = profileYaml.Length == 0 ? null : Profiles.ProfileLoader.Parse(profileYaml, "app.yaml");
        var options = new ImportOptions(target.ConnectionString, match.Select(MatchRule.Parse).ToList(), dryRun, () => Password.ToCharArray(), profile, maps);
        using var input = new MemoryStream(archive);
        return await new Importer(Engines.Create(target.ConnectionString), SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }

    /// <summary>Imports with <c>--update</c> (and <c>--prefer</c>, <c>--sync</c>), matching users by email.</summary>
    public static async Task<ImportReport> UpdateAsync(TestDb target, byte[] archive, Prefer prefer = Prefer.None, bool dryRun = false, bool sync = false, Profiles.Profile? profile = null, string match = "users:email")
    {
        var options = new ImportOptions(target.ConnectionString, match.Length == 0 ? [] : [MatchRule.Parse(match)], dryRun, () => Password.ToCharArray(), profile)
        {
            Update = true,
            Prefer = prefer,
            Sync = sync,
        };
        using var input = new MemoryStream(archive);
        return await new Importer(Engines.Create(target.ConnectionString), SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }

    /// <summary>Imports with a profile (<c>--profile</c>), matching users by email.</summary>
    public static async Task<ImportReport> ImportWithProfileAsync(TestDb target, byte[] archive, Profiles.Profile profile, bool dryRun = false)
    {
        var options = new ImportOptions(target.ConnectionString, [MatchRule.Parse("users:email")], dryRun, () => Password.ToCharArray(), profile);
        using var input = new MemoryStream(archive);
        return await new Importer(Engines.Create(target.ConnectionString), SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }
}
