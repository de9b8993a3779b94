using System.Globalization;
using System.Text.Json;
using Ferry.Bench;

// bench/run.sh [--sizes 100k,1M,5M] [--runs 3] [--engines postgres,sqlite,mariadb] [--tenant G] [--big] [--log-slow MS] [--pg URL] [--mariadb URL]
// --tenant G moves group G (1 to 10) instead of group 1, whose rows have the lowest ids of every table; its results are kept
// beside group 1's, and the targets and the chart are group 1's.
// bench/run.sh --prepare --sizes 1M --engines postgres: generates the source and the target template of that size and
// leaves them (and a fresh target) for measuring by hand; prints where they are; measures nothing.
// Results are merged into docs/benchmarks.json (by engine and size), then docs/benchmarks.md and .svg are written from it.
var options = new Dictionary<string, string>();
for (var i = 0; i < args.Length; i++)
{
    options[args[i].TrimStart('-')] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
}
string Option(string name, string fallback) => options.GetValueOrDefault(name, fallback);

var repo = Path.GetFullPath(Option("repo", "."));
var sizes = Option("sizes", "100k,1M").Split(",", StringSplitOptions.RemoveEmptyEntries).Where(s => s != "none").Select(ParseSize).ToList();
var runs = int.Parse(Option("runs", "3"), CultureInfo.InvariantCulture);
var engines = Option("engines", "postgres,sqlite").Split(',');
Scope.Group = int.Parse(Option("tenant", "1"), CultureInfo.InvariantCulture);
if (Scope.Group is < 1 or > 10)
{
    throw new ArgumentException("--tenant: a group of the generated source, 1 to 10");
}
var pg = Option("pg", "postgres://ferry:ferry@127.0.0.1:55432/postgres");
var work = Directory.CreateTempSubdirectory("ferry-bench.").FullName;
var jsonFile = Path.Combine(repo, "docs/benchmarks.json");
var saved = File.Exists(jsonFile) ? JsonSerializer.Deserialize<Saved>(File.ReadAllText(jsonFile))! : new Saved([], null);
var ferry = new FerryRunner(repo, work);
var postgres = new Postgres(repo, work, pg) { LogSlowMs = options.TryGetValue("log-slow", out var ms) ? int.Parse(ms, CultureInfo.InvariantCulture) : null };
var sqlite = new Sqlite(repo, work);
var mariadb = new MariaDb(repo, work, Option("mariadb", "mysql://ferry:ferry@127.0.0.1:3306/mysql"));

void Save()
{
    File.WriteAllText(jsonFile, JsonSerializer.Serialize(saved, new JsonSerializerOptions { WriteIndented = true }));
    Report.Write(repo, saved.Results, saved.Big);
}

var prepare = options.ContainsKey("prepare");
try
{
    if (prepare)
    {
        foreach (IScenario scenario in engines.Select(Scenario))
        {
            var scale = Generator.ScaleFor(sizes.Count == 1 ? sizes[0] : throw new ArgumentException("--prepare: name one size (--sizes 1M)"));
            Measure.Log($"{scenario.Engine}: generating the source (10 groups of scale {scale}) and the target template");
            scenario.CreateSource(scale, groups: 10);
            scenario.CreateTargetTemplate(scale);
            Measure.Log($"  source {scenario.SourceUrl}");
            Measure.Log($"  fresh target {scenario.FreshTarget()}");
        }
        return;
    }
    foreach (var size in sizes)
    {
        foreach (IScenario scenario in engines.Select(Scenario))
        {
            var result = Measure.Run(scenario, ferry, size, runs, groups: 10);
            scenario.Drop();
            saved.Results.RemoveAll(r => r.Engine == result.Engine && r.Size == result.Size && r.Tenant == result.Tenant);
            saved.Results.Add(result);
            Save();
        }
    }
    if (options.ContainsKey("big"))
    {
        saved = saved with { Big = Measure.Big(postgres, ferry, runs) };
        Save();
    }
    Save();
    Measure.Log("wrote docs/benchmarks.md, docs/benchmarks.svg and docs/benchmarks.json");
}
finally
{
    if (prepare)
    {
        Measure.Log($"left in place: {work} and the databases named bench_*");
    }
    else
    {
        Cleanup();
    }
}

IScenario Scenario(string e) => e switch
{
    "sqlite" => sqlite,
    "postgres" => postgres,
    "mariadb" => mariadb,
    _ => throw new ArgumentException($"--engines: unknown engine {e} (postgres, sqlite, mariadb)"),
};

void Cleanup()
{
    postgres.Drop();
    sqlite.Drop();
    if (engines.Contains("mariadb"))
    {
        mariadb.Drop();
    }
    Directory.Delete(work, recursive: true);
}

static long ParseSize(string s) => s.ToUpperInvariant() switch
{
    var m when m.EndsWith('M') => long.Parse(m[..^1], CultureInfo.InvariantCulture) * 1_000_000,
    var k when k.EndsWith('K') => long.Parse(k[..^1], CultureInfo.InvariantCulture) * 1_000,
    var n => long.Parse(n, CultureInfo.InvariantCulture),
};

internal sealed record Saved(List<Result> Results, List<double>? Big);
