using Ferry.Schema;

namespace Ferry.Postgres;

// export --since (docs/reimport.md): the source's clock, and the comparison with a changed-at column.
public sealed partial class PostgresDialect
{
    /// <summary>The clock now, in UTC (microseconds); transactions still running are read by <see cref="OldestOpenTransaction"/>.</summary>
    public string SourceClock => "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";

    /// <summary>
    /// The start of the oldest transaction of another client in this database: a transaction that started before the
    /// export and commits after its snapshot may carry a changed-at value (its <c>now()</c>) older than the export.
    /// pg_stat_activity needs no privilege to be read, but sessions of other roles show their <c>xact_start</c> only to a
    /// role with <c>pg_read_all_stats</c>.
    /// </summary>
    public string? OldestOpenTransaction =>
        "SELECT to_char(min(xact_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') FROM pg_stat_activity " +
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL";

    public string Before(string column, FerryType type, string bound) =>
        type == FerryType.Date ? $"{column} < CAST({bound} AS date)" : $"{column} < CAST({bound} AS timestamptz)";
}
