using Ferry.Schema;

namespace Ferry.Postgres;

// export --since (docs/reimport.md): the source's clock, and the comparison with a changed-at column.
public sealed partial class PostgresDialect
{
    /// <summary>
    /// The earlier of now and the start of the oldest transaction of another client in this database: a transaction that
    /// started before the export and commits after its snapshot may carry a changed-at value (its <c>now()</c>) older than
    /// the export. Sessions of other roles show their <c>xact_start</c> only to a role with <c>pg_read_all_stats</c>.
    /// </summary>
    public string SourceClock =>
        "SELECT to_char(LEAST(clock_timestamp(), COALESCE((SELECT min(xact_start) FROM pg_stat_activity " +
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND xact_start IS NOT NULL), clock_timestamp())) " +
        "AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')";

    /// <summary>None: <see cref="SourceClock"/> reads the oldest transaction in the same query (pg_stat_activity needs no privilege to be read).</summary>
    public string? OldestOpenTransaction => null;

    public string Before(string column, FerryType type, string bound) =>
        type == FerryType.Date ? $"{column} < CAST({bound} AS date)" : $"{column} < CAST({bound} AS timestamptz)";
}
