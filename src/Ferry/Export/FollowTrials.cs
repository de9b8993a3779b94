using System.Data.Common;
using Ferry.Engines;
using Ferry.Planning;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Export;

/// <summary>
/// Tries, in the export's snapshot, what following a nullable edge that leaves rows behind would do,
/// so that plan and export suggest <c>--follow</c> only where the export would then succeed (following
/// <c>users.current_group_id</c> makes users part of the tenant, and every membership of another group's
/// user then points outside it). Each trial computes the whole scope with the edge followed, in key
/// tables of its own, reused from one trial to the next; they are created before the snapshot is sealed.
/// </summary>
internal sealed class FollowTrials
{
    /// <summary>At most this many edges are tried, those that leave the most rows behind first.</summary>
    private const int MaxTrials = 10;

    private const int ProblemsShown = 1;

    private readonly ISqlDialect _dialect;
    private readonly Dictionary<(string Table, string Column), (ExportPlan? Plan, string? Problem)> _trials;
    private readonly Dictionary<string, string> _keyTables;
    private readonly List<Table> _tables;

    private FollowTrials(ISqlDialect dialect, Dictionary<(string Table, string Column), (ExportPlan? Plan, string? Problem)> trials)
    {
        _dialect = dialect;
        _trials = trials;
        _tables = trials.Values.Where(t => t.Plan is not null).SelectMany(t => t.Plan!.Tables.Select(p => p.Table))
            .DistinctBy(t => t.Name).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        _keyTables = _tables.Select((t, i) => (t.Name, $"ferry_trial_{i + 1}")).ToDictionary(x => x.Name, x => x.Item2, StringComparer.Ordinal);
    }

    /// <summary>The plan of each unfollowed edge, followed (or why there is none).</summary>
    public static FollowTrials Prepare(ISqlDialect dialect, PlanRequest request, ExportPlan plan)
    {
        var trials = new Dictionary<(string Table, string Column), (ExportPlan? Plan, string? Problem)>();
        foreach (var edge in plan.UnfollowedEdges)
        {
            var follow = (edge.Table, edge.Columns[0]);
            if (trials.ContainsKey(follow))
            {
                continue;
            }
            try
            {
                trials[follow] = (Planner.Build(request with { Follow = [.. request.Follow, follow] }), null);
            }
            catch (FerryException e)
            {
                trials[follow] = (null, e.Message);
            }
        }
        return new FollowTrials(dialect, trials);
    }

    /// <summary>The DDL of the trials' key tables: one per table any trial has in scope.</summary>
    public IEnumerable<string> CreateKeyTables()
    {
        var sql = new ScopeSql(_dialect, _keyTables.Select(k => (k.Key, k.Value)));
        return _tables.Select(sql.CreateKeyTable);
    }

    /// <summary>Tries the edges of <paramref name="leftBehind"/> that leave rows behind; a hint per edge tried.</summary>
    public async Task<List<FollowHint>> RunAsync(
        DbConnection connection, DbTransaction snapshot, DatabaseSchema schema, Table root, string rootKey, IReadOnlyList<string> ids,
        long rowsInScope, IReadOnlyList<LeftBehindEdge> leftBehind, CancellationToken cancellationToken)
    {
        var hints = new List<FollowHint>();
        var tried = leftBehind.Where(e => e.Rows > 0)
            .Select(e => (e.Table, Column: e.Columns[0], e.Rows)).Distinct()
            .OrderByDescending(e => e.Rows).ThenBy(e => e.Table, StringComparer.Ordinal).ThenBy(e => e.Column, StringComparer.Ordinal)
            .Take(MaxTrials);
        foreach (var (table, column, _) in tried)
        {
            var (plan, problem) = _trials[(table, column)];
            if (plan is null)
            {
                hints.Add(new FollowHint(table, column, false, 0, problem));
                continue;
            }
            var sql = new ScopeSql(_dialect, plan.Tables.Select(t => (t.Name, _keyTables[t.Name])));
            foreach (var scoped in plan.Tables)
            {
                await SqlRunner.ExecuteAsync(connection, snapshot, sql.ClearKeyTable(scoped.Table), cancellationToken);
            }
            var run = new ScopeRun(connection, snapshot, sql, schema, plan, cancellationToken);
            await run.SelectRootsAsync(root, rootKey, ids);
            await run.PullOwnedAsync();
            await run.PullReferencedAsync();
            var fatal = (await run.CountCutsAsync()).Where(run.IsFatal).ToList();
            if (fatal.Count > 0)
            {
                var shown = fatal.Take(ProblemsShown).Select(c =>
                    $"{c.Count} row(s) of {c.Table} would point outside the export through {c.Table}.{string.Join('+', c.Edge.Columns)} (NOT NULL)");
                var more = fatal.Count > ProblemsShown ? $", and {fatal.Count - ProblemsShown} more key(s) like it" : "";
                hints.Add(new FollowHint(table, column, false, 0, string.Join(", ", shown) + more));
                continue;
            }
            long rows = 0;
            foreach (var scoped in plan.Tables)
            {
                rows += await SqlRunner.CountAsync(connection, snapshot, sql.CountScoped(scoped.Table), cancellationToken);
            }
            hints.Add(new FollowHint(table, column, true, rows - rowsInScope, null));
        }
        return hints;
    }
}
