using Ferry.Engines;
using Ferry.Import;
using Ferry.Schema;

namespace Ferry;

// The import's steps, in the importer's order: stage, map keys, rewrite relations inside staged values, write.
public abstract partial class MergeSqlContract
{
    /// <summary>
    /// Stages the rows (<see cref="Beta"/>, or those given) as the importer does: each table's stage created, its rows
    /// bulk-loaded with a source digest each (<c>sd-TABLE-N</c>), and the import's locks taken.
    /// </summary>
    private async Task StageAsync(Dictionary<string, object?[][]>? tables = null)
    {
        tables ??= Beta();
        foreach (var merge in _merges!)
        {
            await Run(_sql!.CreateStage(merge));
            var columns = merge.Loaded.Select(c => new StagingColumn(c.Name, c.Type, merge.Target.FindColumn(c.Name)))
                .Append(new StagingColumn(merge.DigestColumn!, FerryType.Text, null)).ToList();
            var rows = tables.GetValueOrDefault(merge.Target.Name, []).Select((r, i) => r.Append($"sd-{merge.Target.Name}-{i + 1}").ToArray()).ToList();
            merge.Staged = await _engine!.BulkLoadAsync(_connection!, _transaction!, merge.Stage, columns, rows.ToAsyncEnumerable(), CancellationToken.None);
            Assert.Equal(rows.Count, merge.Staged);
            if (_d!.AnalyzeTemp(merge.Stage) is { } analyze)
            {
                await Run(analyze);
            }
        }
        foreach (var statement in _d!.LockForImport(_merges.Select(m => m.Target.Name).ToList()))
        {
            await Run(statement);
        }
    }

    /// <summary>Builds every key map in load order as Importer.MapKeysAsync does: identities first, then fresh keys for the rest.</summary>
    private async Task MapKeysAsync()
    {
        foreach (var merge in _merges!.Where(m => m.HasMap))
        {
            await Run(_sql!.CreateMap(merge));
            foreach (var rule in merge.Matches)
            {
                await Run(_sql.MatchExisting(merge, rule));
            }
            await Run(_sql.MapRemaining(merge));
            if (_d!.AnalyzeTemp(merge.Map) is { } analyze)
            {
                await Run(analyze);
            }
        }
    }

    /// <summary>Gives the keys of relations inside staged values their new keys, as Importer.RewriteReferencesAsync does.</summary>
    private async Task RewriteAsync()
    {
        foreach (var merge in _merges!)
        {
            foreach (var (key, parent) in merge.Rewrites)
            {
                await Run(_sql!.RewriteReferences(merge, key, parent));
            }
        }
    }

    /// <summary>The archive's rows as they are, through every step of the import up to the last write.</summary>
    private async Task WrittenAsync()
    {
        await StageAsync();
        await MapKeysAsync();
        await RewriteAsync();
        await WriteAsync();
    }

    /// <summary>
    /// Writes the rows as Importer.ImportAsync does once every check passed: ids redrawn from the generators (after
    /// moving them past the table's ids), tables in write order, the checks of keys written unchecked switched off around
    /// their table's insert, ids drawn by the insert taken into the key map, then (<paramref name="deferred"/>) the
    /// columns written NULL first set, and every key written unchecked checked.
    /// </summary>
    private async Task WriteAsync(bool deferred = true)
    {
        var (merges, sql, d) = (_merges!, _sql!, _d!);
        await Importer.RedrawAsync(merges, sql, d, update: false, _run!);
        // The test's transaction is rolled back and its database dropped: the generators need no rewinding.
        var rewind = new Importer.GeneratorRewind(_connection!, d);
        var deferredKeys = merges.SelectMany(m => m.DeferredKeys).ToList();
        foreach (var statement in d.DeferConstraints(deferredKeys))
        {
            await Run(statement);
        }
        foreach (var merge in merges.OrderBy(m => m.WritePosition))
        {
            var checks = merge.UncheckedKeys.Count > 0 ? d.ForeignKeyChecks : null;
            if (checks is { } off)
            {
                await Run(off.Off);
            }
            if (sql.DrawnKey(merge) is { } j)
            {
                await Importer.InsertDrawingAsync(merges, merge, j, sql, _run!, d, rewind);
            }
            else
            {
                await Run(sql.Insert(merge));
            }
            if (checks is { } on)
            {
                await Run(on.On);
            }
        }
        if (!deferred)
        {
            return;
        }
        foreach (var merge in merges.Where(m => MergeSql.DeferredColumns(m).Count > 0))
        {
            await Run(sql.UpdateDeferred(merge));
        }
        foreach (var merge in merges)
        {
            foreach (var key in merge.DeferredKeys.Concat(merge.UncheckedKeys).Concat(merge.UncheckedKeys.Count > 0 ? merge.Target.ForeignKeys : []))
            {
                Assert.Empty(await Rows(sql.DanglingKey(merge, key)));
            }
        }
        foreach (var statement in d.CheckDeferredConstraints(deferredKeys))
        {
            await Run(statement);
        }
    }
}
