namespace Ferry.Import;

internal sealed partial class TableMerge
{
    /// <summary>Incremental archives: the table's key rows staged (rows unchanged at the source since the base export); 0 for none.</summary>
    public long KeyRows { get; set; }

    /// <summary>
    /// Under <c>--update</c> on SQLite and MariaDB: the rows of the table left out of the stage because
    /// the ledger recorded them as they are now, whose key map rows are written from it (<see cref="UnchangedRows"/>).
    /// </summary>
    public UnchangedRows? Unchanged { get; set; }

    /// <summary>How many rows <see cref="Unchanged"/> left out of the stage (kept once it is released).</summary>
    public long UnchangedRows { get; set; }
}
