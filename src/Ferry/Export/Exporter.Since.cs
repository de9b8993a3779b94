using System.Data.Common;
using System.Globalization;
using Ferry.Archive;
using Ferry.Import;
using Ferry.Planning;
using Ferry.Sql;

namespace Ferry.Export;

// export --since (docs/reimport.md): the source's clock, the base's tenant, and the changed-at column of each table.
public sealed partial class Exporter
{
    /// <summary>
    /// The source's clock before the snapshot begins (<see cref="Engines.ISqlDialect.SourceClock"/>), and the time before
    /// which every change is committed: the clock, or the start of the oldest transaction another session still has open
    /// (<see cref="Engines.ISqlDialect.OldestOpenTransaction"/>), if earlier. Every export records the second as
    /// <c>completeBefore</c>, the time a later <c>export --since</c> of its archive starts from.
    /// </summary>
    private async Task<SourceTimes> SourceClockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await SqlRunner.QueryTextAsync(connection, null, engine.Dialect.SourceClock, cancellationToken);
        if (rows is not [[{ } text]] || Time(text) is not { } clock)
        {
            throw new FerryException($"the source's clock could not be read ({engine.Description})");
        }
        if (engine.Dialect.OldestOpenTransaction is not { } oldest)
        {
            return new SourceTimes(clock, clock);
        }
        try
        {
            // No row, or NULL: no other session has a transaction open.
            rows = await SqlRunner.QueryTextAsync(connection, null, oldest, cancellationToken);
        }
        catch (FerryException e) when (e.InnerException is DbException)
        {
            // A role without the privilege to see other sessions: the clock alone, as documented (docs/reimport.md).
            return new SourceTimes(clock, clock);
        }
        return new SourceTimes(clock, rows is [[{ } start]] && Time(start) is { } started && started < clock ? started : clock);
    }

    /// <summary>The source's clock, and the time before which every change there is committed (<see cref="SourceClockAsync"/>).</summary>
    private sealed record SourceTimes(DateTimeOffset Clock, DateTimeOffset CompleteBefore);

    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text.Replace('T', ' ').TrimEnd('Z'), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    /// <summary>
    /// Under <c>--since</c>: checks that the base archive holds this tenant and that the time is not in the source's
    /// future, puts the bound in the snapshot's temporary table, and returns each exported table's changed-at column
    /// (the profile's <c>changed</c> rules); empty without <c>--since</c>.
    /// </summary>
    private async Task<Dictionary<string, Schema.Column>> SinceAsync(ExportOptions options, ExportPlan plan, ScopeSql sql, SourceTimes times,
        DbConnection connection, DbTransaction snapshot, CancellationToken cancellationToken)
    {
        var changed = new Dictionary<string, Schema.Column>(StringComparer.Ordinal);
        if (options.Since is not { } since)
        {
            return changed;
        }
        if (since.Base is { } b)
        {
            var tenant = Ledger.TenantId(engine.Instance, plan.Root, options.Ids);
            if (Ledger.TenantId(b) != tenant)
            {
                throw new FerryException(
                    $"--since {since.What}: that archive holds tenant {Ledger.SourceOf(b)} {b.Root.Table} {string.Join(",", b.Root.Ids)}, " +
                    $"and this export is {engine.Instance} {plan.Root} {string.Join(",", options.Ids)}: give an archive of the same tenant, from the same source", ExitCodes.Usage);
            }
        }
        // A time given by hand later than the source's clock is a mistake. A base archive's completeBefore is not: it is
        // this source's own clock read earlier, and the clock reads earlier again once another session's transaction
        // started since (MariaDB reports its start in whole seconds: 01:06:08.000000 after a base of 01:06:08.450627,
        // which failed the CI's export right after its base); the rows changed since it are exported all the same.
        if (since.Base is null && since.At > times.Clock)
        {
            throw new FerryException(
                $"--since {since.What}: {ArchiveFormat.Instant(since.At)} is later than the source's clock ({ArchiveFormat.Instant(times.Clock)}): nothing could have changed since; " +
                "give an earlier time", ExitCodes.Usage);
        }
        // A time by hand after the start of a transaction still open: rows it changed before that time may commit after
        // the snapshot, and neither this export nor one since this export's completeBefore would carry them.
        if (since.Base is null && since.At > times.CompleteBefore)
        {
            throw new FerryException(
                $"--since {since.What}: another session has had a transaction open on the source since {ArchiveFormat.Instant(times.CompleteBefore)}, " +
                $"before {ArchiveFormat.Instant(since.At)}: rows it changes may commit after this export begins with an earlier changed-at time, " +
                $"and an export since {ArchiveFormat.Instant(since.At)} would miss them; wait until it ends, or give a time no later than " +
                $"{ArchiveFormat.Instant(times.CompleteBefore)}", ExitCodes.Usage);
        }
        await SqlRunner.ExecuteAsync(connection, snapshot, sql.FillSinceTable(), cancellationToken,
            [("at", since.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture))]);
        var inPlan = plan.Tables.ToDictionary(t => t.Name, t => t.Table, StringComparer.Ordinal);
        foreach (var rule in options.Profile?.Changed ?? [])
        {
            if (inPlan.TryGetValue(rule.Table, out var table))
            {
                changed[rule.Table] = table.GetColumn(rule.Column);
            }
        }
        return changed;
    }
}
