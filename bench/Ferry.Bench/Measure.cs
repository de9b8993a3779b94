namespace Ferry.Bench;

/// <summary>Every run of one engine at one size; medians are computed from the runs.</summary>
internal sealed record Result(string Engine, long Size, long Rows, long ArchiveBytes,
    List<double> Export, List<double> Import, List<long> ExportRssKb, List<long> ImportRssKb,
    List<double> BaselineCopy, List<double> BaselineDump,
    List<double>? Pipe = null, List<long>? PipeRssKb = null,
    Dictionary<string, List<double>>? ImportSteps = null, Dictionary<string, List<double>>? PipeSteps = null,
    List<double>? Exclusive = null, Dictionary<string, List<double>>? ExclusiveSteps = null,
    List<double>? Bare = null, Dictionary<string, List<double>>? BareSteps = null, List<double>? BarePipe = null, int? Tenant = null)
{
    /// <summary>How the report names the row's tenant: nothing for group 1 (the usual one, and every result measured before <c>--tenant</c>).</summary>
    public string TenantLabel => Tenant is { } g ? $" (group {g})" : "";

    public double? ExclusiveS => Exclusive is { Count: > 0 } ? Median(Exclusive) : null;
    /// <summary>The import with <c>--exclusive --no-ledger</c>, and the pipe with it (PostgreSQL; null in results measured before).</summary>
    public double? BareS => Bare is { Count: > 0 } ? Median(Bare) : null;
    public double? BarePipeS => BarePipe is { Count: > 0 } ? Median(BarePipe) : null;
    /// <summary>Results saved before the pipe and the steps were measured have none (null).</summary>
    public double? PipeS => Pipe is { Count: > 0 } ? Median(Pipe) : null;
    public double? PipeRssMb => PipeRssKb is { Count: > 0 } ? Median(PipeRssKb.Select(k => k / 1024.0).ToList()) : null;

    public double ExportS => Median(Export);
    public double ImportS => Median(Import);
    public double TotalS => Median(Export.Zip(Import, (e, i) => e + i).ToList());
    public double PeakRssMb => Math.Max(Median(ExportRssKb.Zip(ImportRssKb, Math.Max).Select(k => k / 1024.0).ToList()), PipeRssMb ?? 0);
    public double ExportRssMb => Median(ExportRssKb.Select(k => k / 1024.0).ToList());
    public double ImportRssMb => Median(ImportRssKb.Select(k => k / 1024.0).ToList());
    public double BaselineCopyS => Median(BaselineCopy);
    public double? BaselineDumpS => BaselineDump.Count == 0 ? null : Median(BaselineDump);

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

/// <summary>Generates the data of one engine and size, then times Ferry and the baselines, run after run.</summary>
internal static class Measure
{
    public static Result Run(IScenario scenario, FerryRunner ferry, long size, int runs, int groups)
    {
        var scale = Generator.ScaleFor(size);
        Log($"{scenario.Engine} N={size}: generating the source ({groups} groups of scale {scale}) and the target");
        scenario.CreateSource(scale, groups);
        scenario.CreateTargetTemplate(scale);
        var result = new Result(scenario.Engine, size, 0, 0, [], [], [], [], [], [], [], [], [], [], [], [], [], [], [], Scope.Group == 1 ? null : Scope.Group);
        for (var run = 1; run <= runs; run++)
        {
            var target = scenario.FreshTarget();
            scenario.Settle();
            var (exportS, exportRss, rows) = ferry.Export(scenario.SourceUrl);
            scenario.Settle();
            var (importS, importRss, importSteps) = ferry.Import(target);
            result = result with { Rows = rows, ArchiveBytes = new FileInfo(ferry.Archive).Length };
            result.Export.Add(exportS);
            result.Import.Add(importS);
            result.ExportRssKb.Add(exportRss);
            result.ImportRssKb.Add(importRss);
            result.BaselineCopy.Add(scenario.BaselineCopy());
            if (scenario.BaselineDump() is { } dump)
            {
                result.BaselineDump.Add(dump);
            }
            // The same move as users stream it: export and import at once, through a pipe, into another fresh target.
            target = scenario.FreshTarget();
            scenario.Settle();
            var (pipeS, pipeRss, pipeSteps) = ferry.Pipe(scenario.SourceUrl, target);
            result.Pipe!.Add(pipeS);
            result.PipeRssKb!.Add(pipeRss);
            Add(result.ImportSteps!, importSteps);
            // PostgreSQL: the same import with --exclusive (foreign keys checked once per table or per key), into another fresh target.
            if (scenario.Engine == "PostgreSQL")
            {
                target = scenario.FreshTarget();
                scenario.Settle();
                var (exclusiveS, _, exclusiveSteps) = ferry.Import(target, "--exclusive");
                result.Exclusive!.Add(exclusiveS);
                Add(result.ExclusiveSteps!, exclusiveSteps);
                Log($"  run {run}: import --exclusive {exclusiveS:0.00} s (" + string.Join(", ", exclusiveSteps.Select(s => $"{s.Key} {s.Value:0.00}")) + ")");
                // The hand pipeline's job: sole access to the target, nothing recorded for a later re-import
                // (--exclusive --no-ledger), alone and through a pipe, each into another fresh target.
                const string Bare = "--exclusive --no-ledger";
                target = scenario.FreshTarget();
                scenario.Settle();
                var (bareS, _, bareSteps) = ferry.Import(target, Bare);
                result.Bare!.Add(bareS);
                Add(result.BareSteps!, bareSteps);
                target = scenario.FreshTarget();
                scenario.Settle();
                var (barePipeS, barePipeRss, _) = ferry.Pipe(scenario.SourceUrl, target, Bare);
                result.BarePipe!.Add(barePipeS);
                Log($"  run {run}: import {Bare} {bareS:0.00} s (" + string.Join(", ", bareSteps.Select(s => $"{s.Key} {s.Value:0.00}")) + $"), pipe {barePipeS:0.00} s ({barePipeRss / 1024} MB)");
            }
            Add(result.PipeSteps!, pipeSteps);
            Log($"  run {run}: {rows} rows, export {exportS:0.00} s ({exportRss / 1024} MB), import {importS:0.00} s ({importRss / 1024} MB; "
                + string.Join(", ", importSteps.Select(s => $"{s.Key} {s.Value:0.00}")) + $"), pipe {pipeS:0.00} s ({pipeRss / 1024} MB), "
                + $"baseline (a) {result.BaselineCopy[^1]:0.00} s ({scenario.CopiedRows} rows)" + (result.BaselineDump.Count > 0 ? $", (b) {result.BaselineDump[^1]:0.00} s" : ""));
        }
        return result;
    }

    private static void Add(Dictionary<string, List<double>> steps, Dictionary<string, double> run)
    {
        foreach (var (step, seconds) in run)
        {
            (steps.TryGetValue(step, out var list) ? list : steps[step] = []).Add(seconds);
        }
    }

    /// <summary>The fourth target: a 10,000-row tenant exported from a PostgreSQL database of 10M rows.</summary>
    public static List<double> Big(Postgres postgres, FerryRunner ferry, int runs)
    {
        Log("PostgreSQL --big: generating 1,000 groups of 10,000 rows (10M rows)");
        postgres.CreateSource(Generator.ScaleFor(10_000), 1000);
        var times = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            postgres.Settle();
            times.Add(ferry.Export(postgres.SourceUrl).Seconds);
            Log($"  run {run}: export {times[^1]:0.00} s");
        }
        return times;
    }

    public static void Log(string line) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {line}");
}
