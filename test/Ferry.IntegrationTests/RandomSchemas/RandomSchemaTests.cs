using Ferry.Planning;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RandomSchemas;

/// <summary>
/// The class of bug behind "unexpected KeyNotFoundException": on random schemas (keys of every kind,
/// cycles, self-references, tables without a primary key, composite keys, follows and exclusions),
/// plan, export and import either work or fail with a <see cref="FerryException"/> of one line,
/// leaving the target as it was; export succeeds whenever plan did (it never fails for a reason plan
/// did not show), a <c>--follow</c> hint is right about whether following works, and an import that
/// succeeds leaves every foreign key holding and every row counted.
/// </summary>
public sealed class RandomSchemaTests
{
    public static TheoryData<int> SqliteSeeds => [.. Enumerable.Range(1, 60)];

    public static TheoryData<int> PostgresSeeds => [.. Enumerable.Range(1, 12)];

    [Theory]
    [MemberData(nameof(SqliteSeeds))]
    public Task Sqlite_random_schemas_plan_export_and_import_or_fail_cleanly(int seed) => RunAsync("sqlite", seed);

    [Theory]
    [MemberData(nameof(PostgresSeeds))]
    public Task Postgres_random_schemas_plan_export_and_import_or_fail_cleanly(int seed) => RunAsync("postgres", seed);

    private static async Task RunAsync(string engine, int seed)
    {
        var schema = new RandomSchema(seed);
        var random = new Random(seed * 7919);
        await using var source = await TestDb.CreateAsync(engine, p => schema.Database(p, "src", seed), _ => "SELECT 1");
        await using var target = await TestDb.CreateAsync(engine, p => schema.Database(p, "tgt", seed + 1000), _ => "SELECT 1");
        var sourceBefore = await source.DumpAsync();
        var follow = schema.Tables.SelectMany(t => t.Fks.Where(f => f.Nullable && random.Next(4) == 0).Select(f => (t.Name, f.Columns[0]))).ToArray();
        string[] exclude = random.Next(5) == 0 ? [schema.Tables[1 + random.Next(schema.Tables.Count - 1)].Name] : [];
        var ids = random.Next(3) == 0 ? "1,2" : "1";
        var what = $"{schema}follow {string.Join(", ", follow.Select(f => $"{f.Item1}.{f.Item2}"))}; exclude {string.Join(", ", exclude)}; ids {ids}";

        var (report, planError) = await Attempt(() => PlanAsync(source, "t0", ids, exclude, follow), what);
        var (exported, exportError) = await Attempt(() => ExportAsync(source, "t0", ids, exclude, follow), what);
        Assert.True(sourceBefore == await source.DumpAsync(), what);
        if (report is null)
        {
            Assert.True(exportError?.Message == planError!.Message, $"plan failed ({planError.Message}), export: {exportError?.Message ?? "succeeded"}\n{what}");
            return;
        }
        Assert.True(exported is not null, $"plan succeeded but export failed: {exportError?.Message}\n{what}");
        Assert.Equal(report.TotalRows, exported!.Result.TotalRows);
        Assert.Equal(report.Warnings, exported.Warnings);

        // A hint says whether following works: check the first one.
        if (report.Edges.Select(e => e.Follow).FirstOrDefault(h => h is not null) is { } hint)
        {
            var (followed, followError) = await Attempt(() => ExportAsync(source, "t0", ids, exclude, [.. follow, (hint.Table, hint.Column)]), what);
            Assert.True(hint.Works == (followed is not null), $"hint {hint} but following gave: {followError?.Message ?? "success"}\n{what}");
        }

        var targetBefore = await target.DumpAsync();
        var counts = await CountsAsync(target, schema);
        var (imported, importError) = await Attempt(() => ImportAsync(target, exported.Archive), what);
        if (imported is null)
        {
            Assert.True(targetBefore == await target.DumpAsync(), $"import failed ({importError!.Message}) and changed the target\n{what}");
            return;
        }
        var after = await CountsAsync(target, schema);
        foreach (var table in imported.Tables)
        {
            Assert.True(counts[table.Name] + table.Inserted == after[table.Name], $"{table.Name}: {counts[table.Name]} + {table.Inserted} != {after[table.Name]}\n{what}");
        }
        if (engine == "sqlite")
        {
            Assert.True((await target.QueryAsync("SELECT * FROM pragma_foreign_key_check")).Count == 0, $"a foreign key does not hold\n{what}");
        }
    }

    // The call's result, or the FerryException it threw; any other exception fails the test, with the schema.
    private static async Task<(T? Result, FerryException? Error)> Attempt<T>(Func<Task<T>> call, string what) where T : class
    {
        try
        {
            return (await call(), null);
        }
        catch (FerryException e)
        {
            Assert.False(e.Message.Contains('\n', StringComparison.Ordinal), $"a message of several lines: {e.Message}\n{what}");
            return (null, e);
        }
        catch (Exception e)
        {
            Assert.Fail($"unexpected {e.GetType().Name}: {e.Message}\n{what}\n{e}");
            throw;
        }
    }

    private static async Task<Dictionary<string, long>> CountsAsync(TestDb db, RandomSchema schema)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in schema.Tables)
        {
            counts[table.Name] = long.Parse((await db.ScalarAsync($"SELECT COUNT(*) FROM {table.Name}"))!, System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }
}
