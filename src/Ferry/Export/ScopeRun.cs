using System.Data.Common;
using Ferry.Planning;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Export;

/// <summary>A foreign key of a scoped table, how many scoped rows it cuts, and the SQL condition that keeps a value.</summary>
internal sealed record Cut(string Table, ForeignKey Edge, long Count, string Condition);

/// <summary>Runs the scope SQL inside the snapshot: roots, owned rows to a fixpoint, referenced rows, cuts.</summary>
internal sealed class ScopeRun(
    DbConnection connection,
    DbTransaction snapshot,
    ScopeSql sql,
    DatabaseSchema schema,
    ExportPlan plan,
    CancellationToken cancellationToken)
{
    /// <summary>Fills the root's key table with the rows whose <paramref name="keyColumn"/> (unique) is one of <paramref name="ids"/>; an id without a row fails.</summary>
    public async Task SelectRootsAsync(Table root, string keyColumn, IReadOnlyList<string> ids)
    {
        var distinct = ids.Distinct(StringComparer.Ordinal).ToList();
        var key = root.GetColumn(keyColumn);
        var parameters = distinct
            .Select((id, i) => ($"id{i}", key.Type == FerryType.Int ? (object?)long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) : id))
            .ToList();
        await SqlRunner.ExecuteAsync(connection, snapshot, sql.InsertRoots(root, key.Name, distinct.Count), cancellationToken, parameters);
        await AnalyzeAsync(root);
        var found = (await SqlRunner.QueryTextAsync(connection, snapshot, sql.FoundRoots(root, key.Name), cancellationToken))
            .Select(r => Normalize(r[0]))
            .ToHashSet(StringComparer.Ordinal);
        var missing = distinct.Where(id => !found.Contains(Normalize(id))).ToList();
        if (missing.Count > 0)
        {
            throw new FerryException(
                $"{root.Name} has no row with {key.Name} {string.Join(", ", missing)}: nothing was exported");
        }

        string? Normalize(string? id) =>
            key.Type == FerryType.Int && long.TryParse(id, out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : key.Type == FerryType.Uuid && Guid.TryParse(id, out var g) ? g.ToString("D")
            : id;
    }

    /// <summary>
    /// Owned rows: repeat every ownership edge (children of owned rows) and every owned reference (rows that owned
    /// rows point at through a key whose referencing row owns) until a whole pass adds nothing (cycles, self-references).
    /// </summary>
    public async Task PullOwnedAsync()
    {
        var statements = plan.OwnershipEdges
            .Select(e => (From: schema.Get(e.RefTable), Into: schema.Get(e.Table), sql.PullChildren(e, schema.Get(e.Table), schema.Get(e.RefTable))))
            .Concat(plan.OwnedReferenceEdges
                .Select(e => (From: schema.Get(e.Table), Into: schema.Get(e.RefTable), sql.PullReferenced(e, schema.Get(e.Table), schema.Get(e.RefTable)))))
            .ToList();
        await FixpointAsync(statements);
    }

    /// <summary>
    /// Rows outside the export that point at an owned row through a key whose referencing row owns (another store
    /// pointing at this store's folder): that row would belong to two owners, and this tenant would carry away
    /// what the other owns. Fails with every such key, its count and examples, all at once; run after
    /// <see cref="PullOwnedAsync"/> and before shared rows are pulled (a shared row owns nothing).
    /// </summary>
    public async Task RefuseOtherOwnersAsync()
    {
        var errors = new List<string>();
        foreach (var edge in plan.OwnedReferenceEdges)
        {
            var (owners, owned) = (schema.Get(edge.Table), schema.Get(edge.RefTable));
            var count = await SqlRunner.CountAsync(connection, snapshot, sql.CountLeftBehind(edge, owners, owned), cancellationToken);
            if (count == 0)
            {
                continue;
            }
            var examples = await SqlRunner.QueryTextAsync(connection, snapshot, sql.OtherOwnerExamples(edge, owners, owned, 3), cancellationToken);
            var keyCount = owners.PrimaryKey.Count;
            var shown = examples.Select(row =>
                $"{owners.Name} {(keyCount > 0 ? string.Join(",", row.Take(keyCount)) : "?")} → {owned.Name} {string.Join(",", row.Skip(keyCount))}");
            errors.Add($"{count} row(s) of {owners.Name} that are not exported point at exported {owned.Name} rows through " +
                       $"{owners.Name}.{string.Join('+', edge.Columns)}, whose rows own the row they point at (owner: from) " +
                       $"(e.g. {string.Join(", ", shown)}): those {owned.Name} rows belong to another owner too; " +
                       $"export their owners with this tenant (--ids), or point them at rows of their own first");
        }
        if (errors.Count > 0)
        {
            throw ScopeCut.Failure(string.Join("; ", errors));
        }
    }

    /// <summary>
    /// Rows made owned by an owned reference (a store's folder) that are also owned, through an ownership edge of their
    /// own, by a row that is not exported (the folder's parent in another store's tree): they would leave with this
    /// tenant and lose their owner. Fails naming every such edge with examples; <paramref name="cuts"/> are
    /// <see cref="CountCutsAsync"/>'s (a NOT NULL one fails there already).
    /// </summary>
    public async Task RefuseOwnedElsewhereAsync(IReadOnlyList<Cut> cuts)
    {
        var upwards = plan.OwnedReferenceEdges.GroupBy(e => e.RefTable).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var cut in cuts.Where(c => c.Count > 0 && upwards.ContainsKey(c.Table) && plan.OwnershipEdges.Contains(c.Edge) && !IsFatal(c)))
        {
            var (table, edge, by) = (schema.Get(cut.Table), cut.Edge, upwards[cut.Table]);
            var examples = await SqlRunner.QueryTextAsync(connection, snapshot, sql.CutExamples(table, edge, schema.Get(edge.RefTable), 3), cancellationToken);
            var keyCount = table.PrimaryKey.Count;
            var shown = examples.Select(row =>
                $"{table.Name} {(keyCount > 0 ? string.Join(",", row.Take(keyCount)) : "?")} → {edge.RefTable} {string.Join(",", row.Skip(keyCount))}");
            errors.Add($"{cut.Count} exported row(s) of {table.Name}, which {by.Table}.{string.Join('+', by.Columns)} makes owned (owner: from), " +
                       $"are owned through {table.Name}.{string.Join('+', edge.Columns)} by {edge.RefTable} rows that are not exported " +
                       $"(e.g. {string.Join(", ", shown)}): they belong to another owner too; export that owner with this tenant, " +
                       "or point them at rows of their own first");
        }
        if (errors.Count > 0)
        {
            throw ScopeCut.Failure(string.Join("; ", errors));
        }
    }

    /// <summary>
    /// Referenced rows of non-tenant tables, and shared rows of tenant tables (<see cref="ExportPlan.SharedEdges"/>),
    /// transitively. Runs after <see cref="PullOwnedAsync"/>: a shared row owns nothing.
    /// </summary>
    public async Task PullReferencedAsync()
    {
        var statements = plan.ReferenceEdges.Concat(plan.SharedEdges)
            .Select(e => (From: schema.Get(e.Table), Into: schema.Get(e.RefTable), sql.PullReferenced(e, schema.Get(e.Table), schema.Get(e.RefTable))))
            .ToList();
        await FixpointAsync(statements);
    }

    /// <summary>
    /// Every foreign key of every scoped table whose value can leave the scope: counts the rows it
    /// cuts; NOT NULL ones that cut anything fail the export with examples, all at once.
    /// </summary>
    public async Task<IReadOnlyList<Cut>> FindCutsAsync()
    {
        var cuts = await CountCutsAsync();
        var errors = new List<string>();
        foreach (var cut in cuts.Where(IsFatal))
        {
            var table = schema.Get(cut.Table);
            var examples = await SqlRunner.QueryTextAsync(
                connection, snapshot, sql.CutExamples(table, cut.Edge, schema.Get(cut.Edge.RefTable), 3), cancellationToken);
            errors.Add(DescribeNotNullCut(table, cut.Edge, cut.Count, examples));
        }
        if (errors.Count > 0)
        {
            throw ScopeCut.Failure(string.Join("; ", errors));
        }
        return cuts;
    }

    /// <summary>Counts the rows every foreign key of every scoped table cuts, without failing.</summary>
    public async Task<List<Cut>> CountCutsAsync()
    {
        var cuts = new List<Cut>();
        foreach (var table in plan.Tables.Select(t => t.Table))
        {
            var edges = table.ForeignKeys.Where(e => !ScopeSql.HoldsElements(e)).Select(e => (Edge: e, Referenced: schema.Get(e.RefTable))).ToList();
            if (edges.Count == 0)
            {
                continue;
            }
            // One pass over the table's scoped rows counts what every one of its keys cuts.
            var counts = (await SqlRunner.QueryTextAsync(connection, snapshot, sql.CountCuts(table, edges), cancellationToken)).Single();
            foreach (var ((edge, referenced), text) in edges.Zip(counts))
            {
                var count = long.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
                cuts.Add(new Cut(table.Name, edge, count, sql.Keeps(edge, referenced)));
            }
        }
        return cuts;
    }

    /// <summary>True for a cut that stops an export: rows whose NOT NULL key leaves the scope.</summary>
    public bool IsFatal(Cut cut) => cut.Count > 0 && !cut.Edge.Columns.Any(c => schema.Get(cut.Table).GetColumn(c).Nullable);

    /// <summary>Rows outside the export that point into it through nullable edges that were not followed.</summary>
    public async Task<IReadOnlyList<LeftBehindEdge>> LeftBehindAsync()
    {
        var result = new List<LeftBehindEdge>();
        foreach (var edge in plan.UnfollowedEdges)
        {
            if (edge.Shape?.Kind == ReferenceKind.Json)
            {
                // Keys inside documents are found only by parsing every document of the table, whoever it
                // belongs to: the cost would follow the database, not the tenant. Not counted.
                result.Add(new LeftBehindEdge(edge.Table, edge.Columns, edge.RefTable, null));
                continue;
            }
            var count = await SqlRunner.CountAsync(
                connection, snapshot, sql.CountLeftBehind(edge, schema.Get(edge.Table), schema.Get(edge.RefTable)), cancellationToken);
            result.Add(new LeftBehindEdge(edge.Table, edge.Columns, edge.RefTable, count));
        }
        return result;
    }

    // Each statement adds to the key table of Into the rows that the key table of From leads to (the
    // database's tables do not change inside the snapshot). So a statement can add rows only when From
    // grew since it last ran: passes rerun just those (semi-naive evaluation), and the fixpoint ends
    // without a whole pass that finds nothing. Into's statistics are refreshed whenever it grew, so that
    // the statements that start from it are planned for its real size.
    private async Task FixpointAsync(IReadOnlyList<(Table From, Table Into, string Sql)> statements)
    {
        var grown = new Dictionary<string, int>(StringComparer.Ordinal);
        var ranAt = Enumerable.Repeat(-1, statements.Count).ToArray();
        bool added;
        do
        {
            added = false;
            for (var i = 0; i < statements.Count; i++)
            {
                var (from, into, statement) = statements[i];
                var version = grown.GetValueOrDefault(from.Name);
                if (ranAt[i] == version)
                {
                    continue;
                }
                ranAt[i] = version;
                if (await SqlRunner.ExecuteAsync(connection, snapshot, statement, cancellationToken) > 0)
                {
                    grown[into.Name] = grown.GetValueOrDefault(into.Name) + 1;
                    await AnalyzeAsync(into);
                    added = true;
                }
            }
        }
        while (added);
    }

    private async Task AnalyzeAsync(Table table)
    {
        if (sql.AnalyzeKeyTable(table) is { } analyze)
        {
            await SqlRunner.ExecuteAsync(connection, snapshot, analyze, cancellationToken);
        }
    }

    private string DescribeNotNullCut(Table table, ForeignKey edge, long count, List<string?[]> examples)
    {
        var why = plan.Excluded.Contains(edge.RefTable) ? $"{edge.RefTable} is excluded" : $"they point outside the exported rows";
        var keyCount = table.PrimaryKey.Count;
        var shown = examples.Select(row =>
        {
            var key = keyCount > 0 ? string.Join(",", row.Take(keyCount)) : "?";
            var target = string.Join(",", row.Skip(keyCount));
            return $"{table.Name} {key} → {edge.RefTable} {target}";
        });
        return $"{count} row(s) of {table.Name} cannot be exported: {table.Name}.{string.Join('+', edge.Columns)} is NOT NULL and {why} " +
               $"(e.g. {string.Join(", ", shown)}); export the rows they point at too, or exclude {table.Name}";
    }
}
