namespace Ferry.Import;

internal sealed partial class MergeSql
{
    /// <summary>
    /// True when the ledger records the rows of <paramref name="t"/>: a table with a primary key whose every staged
    /// row is inserted (no identity or <c>reuse</c> rule maps rows to existing ones, which stay the target's own and
    /// are matched again by their natural key on the next import).
    /// </summary>
    public static bool InLedger(TableMerge t) => t.Archive.PrimaryKey.Count > 0 && t.Matches.Count == 0 && t.Skips.Count == 0;

    /// <summary>
    /// Records every row of <paramref name="t"/> just written (and its cycle columns updated): source key, target key
    /// and the digest of the written columns as the target now holds them. Parameters <c>@tenant @table @no</c>.
    /// </summary>
    /// <summary>
    /// Removes what the ledger recorded of earlier copies of the rows <paramref name="t"/> now inserts again (an import
    /// without <c>--update</c> of a tenant imported before): the ledger maps each source row to its newest copy.
    /// Parameters <c>@tenant @table</c> (and <c>@no</c>, unused).
    /// </summary>
    public string ForgetReplacedRows(TableMerge t)
    {
        var source = Ledger.Tuple(_d, t.Archive.PrimaryKey.Select(k => ($"s.{Q(k)}", t.ArchiveColumn(k).Type)).ToList(), bare: true);
        return $"DELETE FROM {_d.Table(Ledger.Rows)} WHERE tenant = @tenant AND table_name = @table AND source_key IN (SELECT {source} FROM {Stage(t)} s)";
    }

    public string RecordRows(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        // The rows inserted, read as the insert read them: source keys beside their target keys (allocated, or kept
        // but remapped when they are references, as in a membership's key).
        var inserted = $"SELECT {string.Join(", ", keys.Select((k, j) => $"s.{Q(k)} AS s{j}, {Value(t, k)} AS t{j}"))} {From(t)}";
        var source = Ledger.Tuple(_d, keys.Select((k, j) => ($"r.s{j}", t.ArchiveColumn(k).Type)).ToList(), bare: true);
        var target = Ledger.Tuple(_d, keys.Select(k => ($"u.{Q(k)}", t.Target.GetColumn(k).Type)).ToList(), bare: true);
        var digest = _d.Sha256Hex(Ledger.Tuple(_d, InsertColumns(t).Select(c => ($"u.{Q(c)}", t.Target.GetColumn(c).Type)).ToList(), bare: false));
        var on = keys.Select((k, j) => $"u.{Q(k)} = r.t{j}");
        return $"INSERT INTO {_d.Table(Ledger.Rows)} (tenant, table_name, source_key, target_key, digest, import_no) " +
               $"SELECT @tenant, @table, {source}, {target}, {digest}, @no FROM ({inserted}) r JOIN {_d.Table(t.Target.Name)} u ON {string.Join(" AND ", on)}";
    }
}
