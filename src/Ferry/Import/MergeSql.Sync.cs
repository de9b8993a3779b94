using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

// --sync (docs/reimport.md): the target rows an earlier import of the tenant brought and that the archive no longer
// holds. Found in the ledger, checked before anything is written (changed in the target since? referenced by a row
// that stays?), deleted children first after every insert and update. Parameters @tenant_no (the tenant's number in the ledger, Ledger.TenantNumber) @table.
internal sealed partial class MergeSql
{
    /// <summary>Where a vanished row stands under <c>--sync</c> (the <c>state</c> of <see cref="CreateGone"/>).</summary>
    public enum GoneState
    {
        /// <summary>Unchanged in the target since the last import (or settled by <c>--prefer source</c>): deleted.</summary>
        Delete = 1,

        /// <summary>Changed in the target since the last import: a conflict unless <c>--prefer</c>.</summary>
        Changed = 2,

        /// <summary>Changed in the target, kept by <c>--prefer target</c>: the row stays, now the target's own (its ledger row goes).</summary>
        Keep = 3,

        /// <summary>The target already deleted the row: only its ledger row goes.</summary>
        Missing = 4,
    }

    public static string GoneName(TableMerge t) => $"ferry_gone_{t.Index}";

    /// <summary>
    /// The scratch table of the rows of <paramref name="t"/> the ledger records for the tenant and the archive no longer
    /// holds: source key text (<c>sk</c>, its key), target key (<c>k</c>N, NULL when the target deleted the row) and <see cref="GoneState"/>.
    /// </summary>
    public string CreateGone(TableMerge t)
    {
        var text = _d.StagingType(FerryType.Text);
        var columns = new List<(string, string)> { ("sk", text) };
        columns.AddRange(t.Archive.PrimaryKey.Select((k, j) => ($"k{j}", t.Target.GetColumn(k).SqlType)));
        columns.Add(("state", _d.StagingType(FerryType.Int)));
        return _d.CreateTempTable(GoneName(t), columns, ["sk"]);
    }

    /// <summary>
    /// Fills <see cref="CreateGone"/>: every ledger row of the tenant's table whose target row is not one the archive's
    /// rows were compared with (<see cref="CreateDiff"/>, filled before), with the target row's state now. An integer key
    /// is looked up from the ledger by the target's index, in one statement. Any other key is matched by its text, which
    /// no index of the target holds: the ledger rows that no staged row was compared with are set apart by their target
    /// key text, the target table is read once against them (in that order: SQLite would otherwise read the table once
    /// per ledger row), and the candidates left are those the target deleted itself.
    /// </summary>
    public IReadOnlyList<string> FillGone(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var columns = $"sk, {string.Join(", ", keys.Select((_, j) => $"k{j}"))}, state";
        var targetKeys = string.Join(", ", keys.Select(k => $"u.{Q(k)}"));
        var changed = $"WHEN {TargetDigest(t, "u")} = l.digest THEN {(int)GoneState.Delete} ELSE {(int)GoneState.Changed} END";
        var compared = $"NOT EXISTS (SELECT 1 FROM {Diff(t)} d WHERE {string.Join(" AND ", keys.Select((k, j) => $"d.k{j} = u.{Q(k)}"))})";
        const string Tenant = "l.tenant_no = @tenant_no AND l.table_name = @table";
        if (keys.Count == 1 && t.Target.GetColumn(keys[0]).Type == FerryType.Int)
        {
            return
            [
                $"INSERT INTO {Gone(t)} ({columns}) SELECT l.source_key, {targetKeys}, CASE WHEN u.{Q(keys[0])} IS NULL THEN {(int)GoneState.Missing} {changed} " +
                $"FROM {LedgerRows} l LEFT JOIN {_d.Table(t.Target.Name)} u ON u.{Q(keys[0])} = {_d.CastTo("l.target_key", FerryType.Int)} " +
                $"WHERE {Tenant} AND {compared}",
            ];
        }
        // The ledger rows no staged row was compared with (few: what vanished), by target key text; then the target read
        // once against them, and what is left is what the target deleted itself.
        var candidates = _d.TempTable(CandidatesName(t));
        var text = _d.StagingType(FerryType.Text);
        return
        [
            _d.CreateTempTable(CandidatesName(t), [("tk", text), ("sk", text), ("digest", text)], ["tk", "sk"]),
            // Every ledger row of the table, then those compared taken out through an IN list (SQLite indexes the list;
            // PostgreSQL hashes it): an anti-join on the comparison's source key, which no index holds, read the
            // comparison once per ledger row on SQLite, and PostgreSQL hashes a NOT IN list only while it fits in work_mem.
            $"INSERT INTO {candidates} (tk, sk, digest) SELECT l.target_key, l.source_key, l.digest FROM {LedgerRows} l WHERE {Tenant}",
            // An IN list here on MariaDB too: the comparison's index on sk (CreateIndexedTempTable) finds each row, where a
            // join would read a materialised list without an index once per ledger row (DeleteIn).
            $"DELETE FROM {candidates} WHERE sk IN (SELECT sk FROM {Diff(t)})",
            $"INSERT INTO {Gone(t)} ({columns}) SELECT l.sk, {targetKeys}, CASE {changed} " +
            $"FROM {_d.Rows(t.Target)} u {_d.DrivingJoin} {candidates} l ON l.tk = {TargetKeyText(t, "u")} WHERE {compared}",
            $"DELETE FROM {candidates} WHERE sk IN (SELECT sk FROM {Gone(t)})",
            $"INSERT INTO {Gone(t)} (sk, state) SELECT l.sk, {(int)GoneState.Missing} FROM {candidates} l",
        ];
    }

    private static string CandidatesName(TableMerge t) => $"ferry_vanished_{t.Index}";

    /// <summary>Vanished rows per state: state, count.</summary>
    public string CountGone(TableMerge t) => $"SELECT state, COUNT(*) FROM {Gone(t)} GROUP BY state";

    /// <summary>Vanished rows changed in the target since the last import: their target key values as text.</summary>
    public string ChangedGoneRows(TableMerge t, int limit) =>
        $"SELECT {string.Join(", ", t.Archive.PrimaryKey.Select((_, j) => _d.AsText($"k{j}")))} FROM {Gone(t)} " +
        $"WHERE state = {(int)GoneState.Changed} ORDER BY {string.Join(", ", t.Archive.PrimaryKey.Select((_, j) => $"k{j}"))} LIMIT {limit}";

    /// <summary>Settles the vanished rows changed in the target as <c>--prefer</c> says (<see cref="GoneState.Delete"/> or <see cref="GoneState.Keep"/>).</summary>
    public string SettleGone(TableMerge t, GoneState settled) =>
        $"UPDATE {Gone(t)} SET state = {(int)settled} WHERE state = {(int)GoneState.Changed}";

    /// <summary>
    /// The rows of <paramref name="referencing"/> that point through <paramref name="key"/> at a row of <paramref name="t"/>
    /// that <c>--sync</c> would delete, and that stay: not deleted themselves (<paramref name="referencingGone"/>), and not
    /// rewritten by this import with the archive's references (<paramref name="referencingRewritten"/>: the table's
    /// comparison, when the update writes every column of the key). Per deleted row: its key values as text and how
    /// many rows point at it.
    /// </summary>
    public string ReferencesToGone(TableMerge t, Table referencing, ForeignKey key, TableMerge? referencingGone, TableMerge? referencingRewritten, int? limit)
    {
        var keys = t.Archive.PrimaryKey;
        var on = string.Join(" AND ", key.Columns.Select((c, j) => $"f.{Q(c)} = u.{Q(key.RefColumns[j])}"));
        // Lists of keys rather than correlated lookups: SQLite makes each list an index, and the scratch tables have none on k.
        var where = new List<string> { $"{ISqlDialect.RowValue(keys.Select(k => $"u.{Q(k)}"))} IN ({DeletedKeys(t)})" };
        if (referencingGone is not null)
        {
            where.Add($"{ISqlDialect.RowValue(referencingGone.Archive.PrimaryKey.Select(k => $"f.{Q(k)}"))} NOT IN ({DeletedKeys(referencingGone)})");
        }
        if (referencingRewritten is not null)
        {
            var pk = referencingRewritten.Archive.PrimaryKey;
            where.Add($"NOT EXISTS (SELECT 1 FROM {Diff(referencingRewritten)} x WHERE x.state = {(int)RowState.Update} AND " +
                      $"{string.Join(" AND ", pk.Select((k, j) => $"x.k{j} = f.{Q(k)}"))})");
        }
        var group = string.Join(", ", keys.Select(k => $"u.{Q(k)}"));
        var select = $"SELECT {string.Join(", ", keys.Select((k, j) => $"{_d.AsText($"u.{Q(k)}")} AS v{j}"))}, COUNT(*) AS n " +
                     $"FROM {_d.Rows(referencing)} f JOIN {_d.Table(t.Target.Name)} u ON {on} WHERE {string.Join(" AND ", where)} GROUP BY {group}";
        return limit is { } n ? $"{select} ORDER BY {group} LIMIT {n}" : $"SELECT COUNT(*) FROM ({select}) r";
    }

    // The target keys of the rows of t to delete, as a list.
    private string DeletedKeys(TableMerge t) =>
        $"SELECT {string.Join(", ", t.Archive.PrimaryKey.Select((_, j) => $"g.k{j}"))} FROM {Gone(t)} g WHERE g.state = {(int)GoneState.Delete}";

    /// <summary>Sets the cycle-break columns of the rows about to be deleted to NULL, so that no delete order is needed among them.</summary>
    public string? DetachGone(TableMerge t)
    {
        var deferred = InsertColumns(t).Where(t.Deferred.Contains).ToList();
        return deferred.Count == 0
            ? null
            : _d.UpdateIn(_d.Table(t.Target.Name), t.Archive.PrimaryKey, deferred.Select(c => (c, "NULL")).ToList(), DeletedKeys(t));
    }

    /// <summary>Deletes the vanished rows of <paramref name="t"/> (state <see cref="GoneState.Delete"/>).</summary>
    public string DeleteGone(TableMerge t) => _d.DeleteIn(_d.Table(t.Target.Name), t.Archive.PrimaryKey, DeletedKeys(t));

    /// <summary>
    /// After the rows of <paramref name="t"/> were deleted while the target did not check its foreign keys: a row of
    /// <paramref name="referencing"/> that still points through <paramref name="key"/> at a row deleted (its key's
    /// values as text), or none. By the deleted keys when the key points at the primary key (InnoDB indexes every
    /// foreign key's columns), else by an anti-join on the referenced table.
    /// </summary>
    public string PointsAtDeleted(TableMerge t, Table referencing, ForeignKey key)
    {
        var values = string.Join(", ", key.Columns.Select(c => _d.AsText($"f.{Q(c)}")));
        var condition = key.RefColumns.SequenceEqual(t.Archive.PrimaryKey, StringComparer.Ordinal)
            ? $"{ISqlDialect.RowValue(key.Columns.Select(c => $"f.{Q(c)}"))} IN ({DeletedKeys(t)})"
            : $"{string.Join(" AND ", key.Columns.Select(c => $"f.{Q(c)} IS NOT NULL"))} AND NOT EXISTS (SELECT 1 FROM {_d.Table(t.Target.Name)} p " +
              $"WHERE {string.Join(" AND ", key.Columns.Select((c, j) => $"p.{Q(key.RefColumns[j])} = f.{Q(c)}"))})";
        return $"SELECT {values} FROM {_d.Rows(referencing)} f WHERE {condition} LIMIT 1";
    }

    /// <summary>Removes the ledger rows of the vanished rows deleted, kept by <c>--prefer target</c> or already deleted by the target.</summary>
    public string ForgetGone(TableMerge t) =>
        _d.DeleteIn(LedgerRows, ["source_key"], $"SELECT sk AS k0 FROM {Gone(t)} WHERE state IN ({(int)GoneState.Delete}, {(int)GoneState.Keep}, {(int)GoneState.Missing})",
            "u.tenant_no = @tenant_no AND u.table_name = @table");

    private string Gone(TableMerge t) => _d.TempTable(GoneName(t));
}
