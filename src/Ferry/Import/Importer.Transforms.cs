using Ferry.Profiles;

namespace Ferry.Import;

// A profile's transforms, run against the staged rows inside the import transaction.
public sealed partial class Importer
{
    /// <summary>
    /// Marks the tables whose staged rows statements pair with values computed from them: those a <c>fill</c>
    /// completes, and those whose documents Ferry rewrites (<see cref="TableMerge.NumberedRows"/>).
    /// </summary>
    private static void NumberRows(TransformPlan plan, IReadOnlyList<TableMerge> merges, MergeSql sql)
    {
        foreach (var fill in plan.Updates.OfType<FillUpdate>())
        {
            merges[fill.Table].NumberedRows = true;
        }
        foreach (var merge in merges.Where(m => m.Rewrites.Any(r => sql.ByDocument(m, r.Key))))
        {
            merge.NumberedRows = true;
        }
        foreach (var merge in merges.Where(m => m.NumberedRows))
        {
            sql.CheckStageRow(merge);
        }
    }

    /// <summary>
    /// Makes the planned changes to the staged rows in profile order. A statement the database
    /// refuses fails the import naming its profile line; the transaction is never committed then.
    /// </summary>
    private static async Task TransformAsync(TransformPlan plan, IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run, Profile? profile)
    {
        foreach (var update in plan.Updates)
        {
            try
            {
                foreach (var statement in sql.Transform(update, merges))
                {
                    await run.Execute(statement);
                }
            }
            catch (FerryException e)
            {
                var where = profile?.Where(update.Line) ?? $"transform at line {update.Line}";
                throw new FerryException($"{where}: the transform failed on the target: {e.Message}", ExitCodes.Failure, e);
            }
        }
        // The operator's own SQL may delete staged rows or add some: the tables it names are counted again.
        foreach (var table in plan.Updates.OfType<SqlUpdate>().SelectMany(u => u.Tables.Values).Distinct())
        {
            merges[table].Staged = await run.Count(sql.CountStaged(merges[table]));
        }
    }
}
