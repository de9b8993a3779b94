using Ferry.Schema;

namespace Ferry.Import;

// Incremental archives (docs/reimport.md): the key rows of a table (rows unchanged at the source since the base export)
// are staged in a table of their own; the ledger maps them to the target rows imported before, references to them resolve
// through that, and --sync counts them as present. Parameters @tenant_no (the tenant's number in the ledger, Ledger.TenantNumber) @table.
internal sealed partial class MergeSql
{
    public static string KeysName(TableMerge t) => $"ferry_keys_{t.Index}";

    /// <summary>The key rows' staging table: the primary key columns, as staged.</summary>
    public string CreateKeys(TableMerge t) =>
        _d.CreateTempTable(KeysName(t), t.Archive.PrimaryKey.Select(k => (k, _d.StagingType(t.ArchiveColumn(k).Type))).ToList(), t.Archive.PrimaryKey);

    /// <summary>
    /// Seeds the key map of <paramref name="t"/> with its key rows that the ledger maps to a target row that still exists
    /// (<c>matched = 2</c>, as <see cref="MapFromLedger"/> does for the staged rows), so that references to them follow;
    /// unchanged since the base export by definition (<c>changed = 0</c>).
    /// </summary>
    public string MapKeysFromLedger(TableMerge t) => MapThroughLedger(t, Keys(t), "0");

    /// <summary>
    /// The key rows of <paramref name="t"/> the import cannot stand for a target row: with a key map, those it does not map
    /// (after <see cref="MapKeysFromLedger"/>); else those the ledger does not record. Their count, or with a limit their
    /// source keys as the ledger spells them.
    /// </summary>
    public string UnknownKeys(TableMerge t, int? limit)
    {
        var missing = t.HasMap
            ? $"NOT EXISTS (SELECT 1 FROM {Map(t)} m WHERE {string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"m.o{j} = s.{Q(k)}"))})"
            : $"NOT EXISTS (SELECT 1 FROM {LedgerRows} l WHERE l.tenant_no = @tenant_no AND l.table_name = @table AND l.source_key = {SourceKeyText(t)})";
        return limit is { } n
            ? $"SELECT {SourceKeyText(t)} FROM {Keys(t)} s WHERE {missing} ORDER BY {string.Join(", ", t.Archive.PrimaryKey.Select(k => $"s.{Q(k)}"))} LIMIT {n}"
            : $"SELECT COUNT(*) FROM {Keys(t)} s WHERE {missing}";
    }

    /// <summary>Under <c>--sync</c>: the key rows are rows the source still has, so they did not vanish.</summary>
    public string KeepKeyRows(TableMerge t) =>
        _d.DeleteIn(Gone(t), ["sk"], $"SELECT {SourceKeyText(t)} AS k0 FROM {Keys(t)} s");

    /// <summary>
    /// What the ledger holds of the rows of <paramref name="t"/> (a single integer key) whose target row still exists:
    /// source key and target key as integers, source digest (<see cref="UnchangedRows"/>). Driven from the ledger's rows
    /// of the table, each target row found by its key. A source key that is not an integer's text reads as some integer,
    /// harmlessly: a row is left out of the stage only when its digest, which covers its key as an integer, is the one
    /// recorded. Parameters <c>@tenant_no @table</c>.
    /// </summary>
    public string LedgerRowsOfExisting(TableMerge t)
    {
        var key = Q(t.Archive.PrimaryKey[0]);
        return $"SELECT {_d.CastTo("l.source_key", FerryType.Int)}, u.{key}, l.source_digest FROM {LedgerRows} l " +
               $"JOIN {_d.Table(t.Target.Name)} u ON u.{key} = {_d.CastTo("l.target_key", FerryType.Int)} WHERE l.tenant_no = @tenant_no AND l.table_name = @table";
    }

    /// <summary>How many rows the ledger holds of <paramref name="t"/>. Parameters <c>@tenant_no @table</c>.</summary>
    public string CountLedgerRows(TableMerge t) => $"SELECT COUNT(*) FROM {LedgerRows} l WHERE l.tenant_no = @tenant_no AND l.table_name = @table";

    private string Keys(TableMerge t) => _d.TempTable(KeysName(t));
}
