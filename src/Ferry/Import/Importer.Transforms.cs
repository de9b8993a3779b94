using Ferry.Profiles;

namespace Ferry.Import;

// A profile's transforms, run against the staged rows inside the import transaction.
public sealed partial class Importer
{
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
