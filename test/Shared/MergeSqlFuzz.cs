using System.Text;
using System.Text.Json;
using CsCheck;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Import;
using Ferry.Testing;

namespace Ferry.Tests.Shared;

/// <summary>
/// Fuzzes the import's SQL building with one engine's dialect (linked into each engine's test project, which can
/// see the core's internals): for every generated manifest that passes the reader's checks and fits its target,
/// every statement of the import is built, and nothing but Ferry's own refusals may come out.
/// </summary>
internal static class MergeSqlFuzz
{
    public static (long Inputs, long Built) Run(ISqlDialect dialect)
    {
        long inputs = 0, built = 0;
        FuzzManifests.Manifests.Sample(json =>
        {
            Interlocked.Increment(ref inputs);
            IReadOnlyList<TableMerge> merges;
            try
            {
                var manifest = ArchiveJson.DeserializeManifest(Encoding.UTF8.GetBytes(json));
                ManifestCheck.Validate(manifest);
                merges = MergePlan.Build(TransformPlan.None(manifest), FuzzManifests.TargetFor(manifest), []);
            }
            catch (Exception e) when (e is FerryException or JsonException)
            {
                return;
            }

            Interlocked.Increment(ref built);
            var sql = new MergeSql(dialect);
            foreach (var merge in merges)
            {
                sql.CreateStage(merge);
                if (merge.HasMap)
                {
                    sql.CreateMap(merge);
                    sql.MapRemaining(merge);
                    sql.RedrawFromGenerator(merge);
                }

                sql.Insert(merge);
                if (merge.Deferred.Count > 0)
                {
                    sql.UpdateDeferred(merge);
                }

                foreach (var column in merge.Remapped.Keys)
                {
                    sql.CountDangling(merge, column);
                }

                foreach (var (key, parent) in merge.Rewrites)
                {
                    sql.RewriteReferences(merge, key, parent);
                    if (key.Reference!.Kind == "column")
                    {
                        sql.CountDanglingPolymorphic(merge, key, parent);
                    }
                    else
                    {
                        sql.CountUnmappedElements(merge, key, parent);
                    }
                }

                foreach (var unique in merge.Target.Uniques)
                {
                    sql.ExistingConflicts(merge, unique, 20);
                    sql.DuplicateConflicts(merge, unique, 20);
                }
            }
        }, time: FuzzManifests.Seconds);
        return (inputs, built);
    }
}
