using Ferry.Engines;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// How the target writes the NOT NULL keys that are not DEFERRABLE among its cycles (<see cref="TableMerge.UncheckedKeys"/>):
    /// the statements that switch its checks off and on around the inserts of their tables
    /// (<see cref="ISqlDialect.ForeignKeyChecks"/>), or null when there are none or <c>--exclusive</c> takes them off
    /// (<see cref="ISqlDialect.SuspendForeignKey"/>). A target that can do neither is refused before anything is written.
    /// </summary>
    private (string Off, string On)? UncheckedWrites(IReadOnlyList<TableMerge> merges, bool exclusive)
    {
        var keys = merges.SelectMany(m => m.UncheckedKeys).ToList();
        if (keys.Count == 0 || (exclusive && keys.All(k => engine.Dialect.SuspendForeignKey(k) is not null)))
        {
            return null;
        }
        if (engine.Dialect.ForeignKeyChecks is { } checks)
        {
            return checks;
        }
        var key = keys.First(k => !exclusive || engine.Dialect.SuspendForeignKey(k) is null);
        var cycle = string.Join(", ", new[] { key.Table, key.RefTable }.Distinct().Order(StringComparer.Ordinal));
        var advice = engine.Dialect.SuspendForeignKey(key) is not null
            ? "import with --exclusive (it takes the tables' foreign keys off during the inserts and checks them all before the commit), " +
              $"or make the constraint DEFERRABLE (ALTER TABLE {key.Table} ALTER CONSTRAINT {key.Name} DEFERRABLE)"
            : $"make the constraint DEFERRABLE (ALTER TABLE {key.Table} ALTER CONSTRAINT {key.Name} DEFERRABLE)";
        throw new FerryException(
            $"the target's foreign key {key.Name} ({key}) is NOT NULL and not DEFERRABLE, and closes a cycle of the tables written (through {cycle}): the target " +
            $"checks it as each row is written, so no row of the cycle can be written first; {advice}. Nothing was written");
    }

    /// <summary>
    /// Checks, with one query each, the NOT NULL keys of cycles written before the rows they point at (deferred, or
    /// written unchecked), before the commit: a row pointing at no row fails the import with the key's name, dry runs
    /// included, rather than the commit with the engine's own words (SQLite names no key).
    /// </summary>
    /// <remarks>
    /// With <paramref name="checksWereOff"/> (the engine's checks were switched off around the inserts of the tables that
    /// hold such keys, <see cref="ISqlDialect.ForeignKeyChecks"/>), every other foreign key of those tables is checked too:
    /// the switch stopped the engine from checking any key of their rows, and switching it back on checks nothing.
    /// </remarks>
    private static async Task CheckBrokenKeysAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run, bool checksWereOff)
    {
        foreach (var merge in merges)
        {
            var others = checksWereOff && merge.UncheckedKeys.Count > 0 ? merge.Target.ForeignKeys : [];
            foreach (var key in merge.DeferredKeys.Concat(merge.UncheckedKeys).Concat(others).DistinctBy(k => (k.Table, k.Name)))
            {
                await CheckKeyAsync(merge, key, sql.DanglingKey(merge, key), run);
            }
        }
    }
}
