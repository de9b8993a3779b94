using Ferry.Export;
using Ferry.Import;
using Ferry.Planning;
using Ferry.Profiles;
using Ferry.Reporting;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// Plan, export and import of any root through the library entry points, as the CLI does, keeping
/// what export said (its warnings and plan lines), for tests on schemas of their own.
/// </summary>
public static class Trip
{
    public static Task<PlanReport> PlanAsync(
        TestDb source, string root, string ids, string[]? exclude = null, (string, string)[]? follow = null, Profile? profile = null) =>
        new ScopePlanner(Move.Engines.Create(source.ConnectionString))
            .PlanAsync(new PlanOptions(source.ConnectionString, root, ids.Split(','), exclude ?? [], follow ?? [], profile), CancellationToken.None);

    public static async Task<Exported> ExportAsync(
        TestDb source, string root, string ids, string[]? exclude = null, (string, string)[]? follow = null, Profile? profile = null)
    {
        var options = new ExportOptions(source.ConnectionString, root, ids.Split(','), exclude ?? [], follow ?? [], Move.Password.ToCharArray(), profile);
        var progress = new RecordingProgress();
        using var output = new MemoryStream();
        var result = await new Exporter(Move.Engines.Create(source.ConnectionString), progress).ExportAsync(options, output, CancellationToken.None);
        return new Exported(output.ToArray(), result, progress.Lines, progress.Warnings);
    }

    public static async Task<ImportReport> ImportAsync(TestDb target, byte[] archive, Profile? profile = null, bool dryRun = false, params string[] match)
    {
        var options = new ImportOptions(target.ConnectionString, match.Select(MatchRule.Parse).ToList(), dryRun, () => Move.Password.ToCharArray(), profile);
        using var input = new MemoryStream(archive);
        return await new Importer(Move.Engines.Create(target.ConnectionString), SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }

    /// <summary>A profile from YAML, as <c>--profile</c> loads it.</summary>
    public static Profile Profile(string yaml) => ProfileLoader.Parse(yaml, "app.yaml");

    /// <summary>The first column of every row, NULL as <c>NULL</c>.</summary>
    public static async Task<string[]> Column(TestDb db, string sql) => (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL").ToArray();

    /// <summary>An archive and what export said while writing it.</summary>
    public sealed record Exported(byte[] Archive, ExportResult Result, IReadOnlyList<string> Lines, IReadOnlyList<string> Warnings);

    private sealed class RecordingProgress : IProgressSink
    {
        public List<string> Lines { get; } = [];

        public List<string> Warnings { get; } = [];

        public void Info(string text) => Lines.Add(text);

        public void Warning(string text) => Warnings.Add(text);

        public IProgressTask Start(string description, long? total) => SilentProgress.Instance.Start(description, total);
    }
}
