using System.Data.Common;
using Ferry.Engines;
using Ferry.Sql;

namespace Ferry.Import;

public sealed partial class Importer
{
    /// <summary>
    /// A table whose key the insert draws cannot write a reference to its own rows in the same INSERT with its final
    /// value: the ids are not known yet (and InnoDB checks each row as it goes). Where the target can write rows unchecked
    /// (<paramref name="unchecked"/>: <see cref="ISqlDialect.ForeignKeyChecks"/>), the reference is written with the
    /// provisional id while the target does not check it, set from the key map once the ids are known unless the insert
    /// drew exactly the provisional ids (<see cref="TableMerge.DrawnAsProvisional"/>: then the UPDATE of every row is
    /// saved), and every key of the table is checked before the commit. Else a nullable one is written NULL first and set
    /// once every row exists, like the nullable edges of a cycle, and a NOT NULL one is refused before anything is written.
    /// </summary>
    internal static void DeferSelfReferences(IReadOnlyList<TableMerge> merges, MergeSql sql, bool @unchecked)
    {
        foreach (var merge in merges.Where(m => sql.DrawnKey(m) is not null))
        {
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            foreach (var (column, remap) in merge.Remapped.Where(r => ReferenceEquals(r.Value.Parent, merge) && r.Value.Fresh is null && written.Contains(r.Key)))
            {
                if (merge.Target.GetColumn(column).Nullable && !@unchecked)
                {
                    merge.Deferred.Add(column);
                    continue;
                }
                if (!@unchecked)
                {
                    throw new FerryException($"{merge.Target.Name}.{column} is a NOT NULL reference to its own table, whose ids the target draws as the rows are " +
                                             "inserted (AUTO_INCREMENT): such a row cannot be written with its new id; make the column nullable. Nothing was written");
                }
                merge.Refreshed.Add(column);
                foreach (var key in merge.Target.ForeignKeys.Where(k => k.IsSelfReference && k.Columns.Contains(column) && !merge.UncheckedKeys.Contains(k)))
                {
                    merge.UncheckedKeys.Add(key);
                }
            }
        }
    }

    /// <summary>
    /// Draws the fresh ids of every table from its generator where the engine has an expression for it
    /// (<see cref="MergeSql.RedrawFromGenerator"/>), the generator first moved past the table's ids; under
    /// <paramref name="update"/>, a table that inserts no row leaves its generator alone (nothing at all is written).
    /// The ids drawn are the provisional ones of the key map unless another session drew from the sequence since the map
    /// was built (or the sequence steps by more than one). Then what took the provisional ids before follows, as after
    /// an insert that draws (<see cref="InsertDrawingAsync"/>): the key maps of tables whose own key holds a reference
    /// to the table take the drawn ids (<see cref="MergeSql.FollowDrawn"/>), and an import whose relations inside
    /// staged values (polymorphic, array, JSON) were already rewritten with the provisional ids stops, nothing written.
    /// </summary>
    internal static async Task RedrawAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, ISqlDialect dialect, bool update, Runner run)
    {
        foreach (var merge in merges)
        {
            var redraw = update && await CountInsertedAsync(merge, sql, run) == 0 ? [] : sql.RedrawFromGenerator(merge);
            if (redraw.Count == 0)
            {
                continue;
            }
            var rewritten = merges.SelectMany(m => m.Rewrites.Where(r => ReferenceEquals(r.Parent, merge)).Select(r => $"{m.Target.Name}.{r.Key.Columns[0]}")).ToList();
            // The provisional ids are one block per key column: the same lowest, highest and count after the redraw
            // mean the same ids, drawn in the same order. Read only where something took them before.
            var watched = merge.Allocated
                .Where(j => dialect.NextId(merge.Target.GetColumn(merge.Archive.PrimaryKey[j])) is not null
                            && (rewritten.Count > 0 || sql.FollowDrawn(merges, merge, j).Any()))
                .ToList();
            var provisional = new List<string?[]>();
            foreach (var j in watched)
            {
                provisional.Add((await run.Query(sql.ProvisionalRange(merge, j))).Single());
            }
            foreach (var statement in dialect.SyncGenerators(merge.Target).Concat(redraw))
            {
                await run.Execute(statement);
            }
            foreach (var (j, expected) in watched.Zip(provisional))
            {
                var drawn = (await run.Query(sql.ProvisionalRange(merge, j))).Single();
                if (drawn.SequenceEqual(expected))
                {
                    continue;
                }
                if (rewritten.Count > 0)
                {
                    throw new FerryException(
                        $"the ids drawn for {merge.Target.Name} from its sequence are {drawn[0]} to {drawn[1]}, not {expected[0]} to {expected[1]} as its key map " +
                        $"expected: another session drew from the sequence during the import (or it steps by more than 1), and {string.Join(", ", rewritten)} " +
                        "(a relation inside staged values) was already rewritten with the expected ids; nothing was written: import again");
                }
                foreach (var statement in sql.FollowDrawn(merges, merge, j))
                {
                    await run.Execute(statement);
                }
            }
        }
    }

    /// <summary>
    /// Writes the rows of a table whose key the insert draws (<see cref="MergeSql.DrawnKey"/>): ranks them, inserts
    /// them with the key left to the generator, checks that the ids drawn are one block (the server's
    /// <c>innodb_autoinc_lock_mode</c> 0 or 1 makes an INSERT … SELECT draw so), and gives the key map the drawn ids,
    /// which the tables written later and the cycle updates read, and the key maps of tables whose key holds a reference
    /// to it (<see cref="MergeSql.FollowDrawn"/>), unless the ids drawn are the provisional ones the maps hold already
    /// (<see cref="TableMerge.DrawnAsProvisional"/>). Returns the rows inserted.
    /// </summary>
    internal static async Task<int> InsertDrawingAsync(
        IReadOnlyList<TableMerge> merges, TableMerge merge, int j, MergeSql sql, Runner run, ISqlDialect dialect, GeneratorRewind rewind)
    {
        await rewind.RememberAsync(merge.Target, run);
        await run.Execute(sql.CreateDrawn(merge));
        var ranked = await run.Execute(sql.FillDrawn(merge, j));
        // Keys rewritten inside staged values (a polymorphic relation) took the map's ids before any row was written.
        var rewritten = merges.SelectMany(m => m.Rewrites.Where(r => ReferenceEquals(r.Parent, merge)).Select(r => $"{m.Target.Name}.{r.Key.Columns[0]}")).ToList();
        // The provisional ids of the rows to write: when they are one block and the insert draws that very block, the
        // key map already holds the drawn ids, and the references written with them (TableMerge.Refreshed) are final.
        var provisional = ranked > 0 ? (await run.Query(sql.ProvisionalRange(merge, j))).Single() : null;
        var expected = provisional is [{ } min, ..] ? long.Parse(min, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var inserted = await run.Execute(sql.InsertDrawing(merge, j));
        if (inserted == 0)
        {
            return 0;
        }
        var first = await run.Count(dialect.FirstDrawnId);
        merge.DrawnAsProvisional = provisional is [_, { } max, { } count]
            && DrewProvisional(first, inserted, expected, long.Parse(max, System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
        if (rewritten.Count > 0 && first != expected)
        {
            throw new FerryException(
                $"the ids drawn for {merge.Target.Name} start at {first}, not at {expected} as its key map expected: another session inserted into it " +
                $"during the import, and {string.Join(", ", rewritten)} (a polymorphic relation) was already rewritten with the expected ids; nothing was written: import again");
        }
        var block = await SqlRunner.CountAsync(run.Connection, run.Transaction, sql.CountDrawnRange(merge, j), run.CancellationToken,
            [("first", first), ("last", first + inserted - 1)]);
        if (inserted != ranked || block != inserted)
        {
            throw new FerryException(
                $"the ids drawn for {merge.Target.Name} were not one block ({inserted} rows from id {first}): the server's innodb_autoinc_lock_mode must be 0 or 1; nothing was written");
        }
        if (merge.DrawnAsProvisional)
        {
            return inserted;
        }
        await SqlRunner.ExecuteAsync(run.Connection, run.Transaction, sql.TakeDrawn(merge, j), run.CancellationToken, [("first", first)]);
        foreach (var statement in sql.FollowDrawn(merges, merge, j))
        {
            await run.Execute(statement);
        }
        return inserted;
    }

    /// <summary>
    /// True when an insert that drew <paramref name="inserted"/> consecutive ids from <paramref name="first"/>, in the
    /// order of the provisional ids, gave every row its provisional id: the map's rows to insert (<paramref name="count"/>)
    /// were all written and their provisional ids are the block <paramref name="min"/>..<paramref name="max"/> that
    /// starts where the drawing started.
    /// </summary>
    internal static bool DrewProvisional(long first, long inserted, long min, long max, long count) =>
        inserted > 0 && inserted == count && first == min && max - min + 1 == count;

    /// <summary>
    /// Puts back the generators an import drew from on insert (<see cref="ISqlDialect.GeneratorPosition"/>) when it does
    /// not commit (a dry run, a failure), once its transaction has rolled back: declared before the transaction, so that
    /// it is disposed after it. The counters are read before the first draw.
    /// </summary>
    internal sealed class GeneratorRewind(DbConnection connection, ISqlDialect dialect) : IAsyncDisposable
    {
        private readonly List<(string Rewind, long Position)> _positions = [];
        private bool _kept;

        public async Task RememberAsync(Schema.Table table, Runner run)
        {
            if (dialect.GeneratorPosition(table) is { } position)
            {
                _positions.Add((position.Rewind, await run.Count(position.Read)));
            }
        }

        /// <summary>The import committed: the generators stay past the ids it drew.</summary>
        public void Keep() => _kept = true;

        public async ValueTask DisposeAsync()
        {
            if (_kept || _positions.Count == 0 || connection.State != System.Data.ConnectionState.Open)
            {
                return;
            }
            try
            {
                foreach (var (rewind, position) in _positions)
                {
                    await SqlRunner.ExecuteAsync(connection, null, rewind, CancellationToken.None, [("position", position)]);
                }
            }
            catch (FerryException)
            {
                // The import's own error is the one to report; a counter left ahead only skips ids.
            }
        }
    }
}
