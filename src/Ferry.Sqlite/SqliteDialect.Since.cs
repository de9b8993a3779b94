using Ferry.Schema;

namespace Ferry.Sqlite;

// export --since (docs/reimport.md): the source's clock, and the comparison with a changed-at column.
public sealed partial class SqliteDialect
{
    /// <summary>The clock now (milliseconds): SQLite has one writer and no view of its transactions.</summary>
    public string SourceClock => "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')";

    /// <summary>None: SQLite has one writer at a time, and the export reads in a transaction of its own.</summary>
    public string? OldestOpenTransaction => null;

    /// <summary>As Julian days, which read every form of date and time text SQLite's date functions know ('T' or space, a zone or none).</summary>
    public string Before(string column, FerryType type, string bound) =>
        type == FerryType.Date ? $"julianday({column}) < julianday(date({bound}))" : $"julianday({column}) < julianday({bound})";
}
