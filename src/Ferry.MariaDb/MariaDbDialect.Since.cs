using Ferry.Schema;

namespace Ferry.MariaDb;

// export --since (docs/reimport.md): the source's clock, and the comparison with a changed-at column.
public sealed partial class MariaDbDialect
{
    /// <summary>The clock now, in UTC (microseconds). Transactions still running are not taken into account (docs/reimport.md).</summary>
    public string SourceClock => "SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '%Y-%m-%d %H:%i:%s.%f')";

    /// <summary>The bound as a DATETIME (or DATE) so that the column is compared as a time, never as text.</summary>
    public string Before(string column, FerryType type, string bound) =>
        type == FerryType.Date ? $"{column} < CAST({bound} AS DATE)" : $"{column} < CAST({bound} AS DATETIME(6))";
}
