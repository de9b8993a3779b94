namespace Ferry.Import;

internal sealed partial class TableMerge
{
    /// <summary>Incremental archives: the table's key rows staged (rows unchanged at the source since the base export); 0 for none.</summary>
    public long KeyRows { get; set; }
}
