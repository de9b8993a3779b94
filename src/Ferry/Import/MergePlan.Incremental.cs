namespace Ferry.Import;

internal sealed partial class TableMerge
{
    /// <summary>Incremental archives: the table's key rows staged (rows unchanged at the source since the base export); 0 for none.</summary>
    public long KeyRows { get; set; }

    /// <summary>
    /// Under <c>--update</c> on SQLite and MariaDB: the rows of the table left out of the stage because the ledger
    /// recorded them as they are now; their key map rows are written before the map's other rows (<see cref="UnchangedRows"/>).
    /// </summary>
    public long UnchangedRows { get; set; }
}
