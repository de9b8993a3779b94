using Ferry.Schema;

namespace Ferry.MariaDb;

// export --since (docs/reimport.md): the source's clock, and the comparison with a changed-at column.
public sealed partial class MariaDbDialect
{
    /// <summary>The clock now, in UTC (microseconds); transactions still running are read by <see cref="OldestOpenTransaction"/>.</summary>
    public string SourceClock => "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')";

    /// <summary>
    /// The start of the oldest InnoDB transaction of another session (<c>information_schema.INNODB_TRX</c>, whole seconds,
    /// in the session's time zone, which Ferry sets to UTC): a transaction that wrote before the export and commits after
    /// its snapshot may carry a changed-at value older than the export. Needs the PROCESS privilege (without it MariaDB
    /// refuses the query, and the clock alone is taken).
    /// </summary>
    public string? OldestOpenTransaction =>
        "SELECT DATE_FORMAT(MIN(trx_started), '%Y-%m-%d %H:%i:%s.%f') FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID()";

    /// <summary>The bound as a DATETIME (or DATE) so that the column is compared as a time, never as text.</summary>
    public string Before(string column, FerryType type, string bound) =>
        type == FerryType.Date ? $"{column} < CAST({bound} AS DATE)" : $"{column} < CAST({bound} AS DATETIME(6))";
}
