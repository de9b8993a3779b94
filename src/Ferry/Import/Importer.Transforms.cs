using Ferry.Profiles;

namespace Ferry.Import;

// A profile's transforms, run against the staged rows inside the import transaction.
public sealed partial class Importer
{
    /// <summary>
    /// Refuses, before anything is staged, the transforms the target's engine cannot run: a <c>fill</c> pairs each staged
    /// row with its computed value by the engine's row address, which InnoDB does not have.
    /// </summary>
    private void CheckTransformsRun(TransformPlan plan, Profile? profile)
    {
        if (engine.Dialect.HasRowLocator || plan.Updates.OfType<FillUpdate>().FirstOrDefault() is not { } fill)
        {
            return;
        }
        var where = profile?.Where(fill.Line) ?? $"transform at line {fill.Line}";
        throw new FerryException($"{where}: a fill transform cannot run on this target ({engine.Description}) yet: it pairs each staged row with its value " +
                                 "by a row address, which MariaDB's InnoDB does not have; nothing was written. Use set or map, or give the column a DEFAULT in the target", ExitCodes.Usage);
    }

    /// <summary>
    /// Makes the planned changes to the staged rows in profile order. A statement the database
    /// refuses fails the import naming its profile line; the transaction is never committed then.
    /// </summary>
    private static async Task TransformAsync(TransformPlan plan, IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run, Profile? profile)
    {
        foreach (var update in plan.Updates)
        {
            var statement = sql.Transform(update, merges);
            try
            {
                await run.Execute(statement);
            }
            catch (FerryException e)
            {
                var where = profile?.Where(update.Line) ?? $"transform at line {update.Line}";
                throw new FerryException($"{where}: the transform failed on the target: {e.Message}", ExitCodes.Failure, e);
            }
        }
    }
}
