using Ferry.Schema;

namespace Ferry.Import;

// The ledger's SQL for one table (docs/reimport.md): which rows it records, the map it seeds under --update, the
// comparison of each existing row (source changed? target changed?), the UPDATE of the changed ones, and the
// ledger's own rows. Parameters @tenant_no (the tenant's number in the ledger, Ledger.TenantNumber) @table (the target table's name) and @no (the import's number).
internal sealed partial class MergeSql
{
    /// <summary>Where an existing row stands under <c>--update</c> (the <c>state</c> of <see cref="CreateDiff"/>).</summary>
    public enum RowState
    {
        /// <summary>Unchanged at the source (or, unrecorded, the same in the target): not written.</summary>
        Unchanged = 0,

        /// <summary>Changed at the source only, or a conflict settled by <c>--prefer source</c>: updated.</summary>
        Update = 1,

        /// <summary>Changed on both sides (or unrecorded and different): a conflict unless <c>--prefer</c>.</summary>
        Conflict = 2,

        /// <summary>A conflict settled by <c>--prefer target</c>: the target's row stays, the ledger takes the new digests.</summary>
        KeepTarget = 3,
    }

    /// <summary>
    /// True when the ledger records the rows of <paramref name="t"/>: a table with a primary key and no <c>reuse</c>
    /// rule (rows merged into existing ones by a unique key stay the target's own; they are matched again next time).
    /// Rows of an identity's table are recorded (matched or inserted) so that a later <c>--update</c> finds them
    /// again even when their natural key changed; they are never updated (<see cref="UpdatesRows"/>).
    /// </summary>
    public static bool InLedger(TableMerge t) => t.Archive.PrimaryKey.Count > 0 && t.Skips.Count == 0 && t.Matches.All(m => !m.Reuse);

    /// <summary>True when an <c>--update</c> compares and updates the existing rows of <paramref name="t"/> (no identity).</summary>
    public static bool UpdatesRows(TableMerge t) => t.Updating && t.Matches.Count == 0;

    /// <summary>
    /// Seeds the key map of <paramref name="t"/> with the rows the ledger maps to a target row that still exists
    /// (<c>matched = 2</c>): they keep that row's key, and references to them follow it. The same join marks the rows
    /// whose staged source digest is not the ledger's (<c>changed = 1</c>), so that the comparison of an
    /// <c>--update</c> reads the stage and the ledger again for those rows only (<see cref="FillDiff"/>).
    /// </summary>
    public string MapFromLedger(TableMerge t) =>
        MapThroughLedger(t, Stage(t), t.DigestColumn is null ? "0" : $"CASE WHEN {StagedDigest(t)} = l.source_digest THEN 0 ELSE 1 END");

    /// <summary><see cref="MapFromLedger"/> for rows staged in <paramref name="source"/> (the stage, or an
    /// incremental archive's key rows), with <paramref name="changed"/> for the map's <c>changed</c>.</summary>
    private string MapThroughLedger(TableMerge t, string source, string changed)
    {
        var keys = t.Archive.PrimaryKey;
        var single = keys.Count == 1 && t.Target.GetColumn(keys[0]).Type == FerryType.Int;
        // Driven from the staged rows through the ledger's key (SQLite would otherwise scan the stage per ledger row:
        // 11 s for 12,000 messages); an integer key is then looked up by the target's index, others as the ledger's text.
        var on = single
            ? $"u.{Q(keys[0])} = {_d.CastTo("l.target_key", FerryType.Int)}"
            : $"{TargetKeyText(t, "u")} = l.target_key";
        return $"INSERT INTO {Map(t)} ({string.Join(", ", keys.Select((_, j) => $"o{j}"))}, {string.Join(", ", keys.Select((_, j) => $"n{j}"))}, matched, changed) " +
               $"SELECT {string.Join(", ", keys.Select(k => $"s.{Q(k)}"))}, {string.Join(", ", keys.Select(k => $"u.{Q(k)}"))}, 2, {changed} " +
               $"FROM {source} s {_d.DrivingJoin} {LedgerRows} l ON l.tenant_no = @tenant_no AND l.table_name = @table AND l.source_key = {SourceKeyText(t)} " +
               $"JOIN {_d.Table(t.Target.Name)} u ON {on}";
    }

    /// <summary>Staged rows the ledger mapped to existing rows (<see cref="MapFromLedger"/>).</summary>
    public string CountFromLedger(TableMerge t) => $"SELECT COUNT(*) FROM {Map(t)} WHERE matched = 2";

    public static string DiffName(TableMerge t) => $"ferry_diff_{t.Index}";

    /// <summary>
    /// The scratch table of the existing rows of <paramref name="t"/> under <c>--update</c>: target key (<c>k</c>N),
    /// source key text, source digest, whether the ledger records the row, and its <see cref="RowState"/>.
    /// </summary>
    public string CreateDiff(TableMerge t)
    {
        var text = _d.StagingType(FerryType.Text);
        // A table with a key map also keeps each row's staged key (o<N>), so that the rows to update are read from
        // the diff outwards rather than by a pass over the whole stage (DiffJoins).
        var columns = t.Archive.PrimaryKey.Select((k, j) => ($"k{j}", t.Target.GetColumn(k).SqlType))
            .Concat([("sk", text), ("sd", text), ("recorded", _d.StagingType(FerryType.Int)), ("state", _d.StagingType(FerryType.Int))])
            .Concat(t.HasMap ? t.Archive.PrimaryKey.Select((k, j) => ($"o{j}", _d.StagingType(t.ArchiveColumn(k).Type))) : [])
            .ToList();
        // Its source keys are looked up by --sync, which takes the rows compared out of the ledger's (FillGone).
        return _d.CreateIndexedTempTable(DiffName(t), columns, t.Archive.PrimaryKey.Select((_, j) => $"k{j}").ToList(), ["sk"]);
    }

    public static string NewName(TableMerge t) => $"ferry_new_{t.Index}";

    /// <summary>
    /// Under <c>--update</c>, the scratch table of the keys (<c>k</c>N, remapped) of the staged rows of
    /// <paramref name="t"/>, a table without a key map, that the target does not hold yet: the rows its insert writes
    /// (<see cref="FillNew"/>), listed before any is written so that they are still told apart once they are.
    /// </summary>
    public string CreateNew(TableMerge t) =>
        _d.CreateTempTable(NewName(t), t.Archive.PrimaryKey.Select((k, j) => ($"k{j}", t.Target.GetColumn(k).SqlType)).ToList(),
            t.Archive.PrimaryKey.Select((_, j) => $"k{j}").ToList());

    /// <summary>Lists the staged rows of <paramref name="t"/> whose key the target does not hold (<see cref="CreateNew"/>).</summary>
    public string FillNew(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        return $"INSERT INTO {_d.TempTable(NewName(t))} ({string.Join(", ", keys.Select((_, j) => $"k{j}"))}) " +
               $"SELECT DISTINCT {string.Join(", ", keys.Select(k => Value(t, k)))} {Joins(t)} " +
               $"WHERE NOT {KeyInTarget(t)}";
    }

    /// <summary>Staged rows of <paramref name="t"/>.</summary>
    public string CountStaged(TableMerge t) => $"SELECT COUNT(*) FROM {Stage(t)}";

    /// <summary>Rows listed by <see cref="FillNew"/>.</summary>
    public string CountNew(TableMerge t) => $"SELECT COUNT(*) FROM {_d.TempTable(NewName(t))}";

    /// <summary>
    /// Compares every existing row of <paramref name="t"/>: unchanged when its source digest is the ledger's; else
    /// updated when the target's row still has the ledger's digest, a conflict when it does not. A row the ledger
    /// does not record (a kept key, such as a UUID, the target already holds) is unchanged when the target's row is
    /// what the import would write, a conflict otherwise: nothing says which side changed it. The staged source digest
    /// is compared first, so that the target's row is read (and its digest computed) only for the rows whose source
    /// changed; a ledger row of version 1 (written before Ferry computed the source digest) is compared the old way.
    /// With <paramref name="changedOnly"/>, only the rows whose staged digest is not the ledger's are listed (the
    /// unchanged rows are the existing rows the diff does not list): in a table with a key map, found by the flag the
    /// map's own join with the ledger set (<see cref="MapFromLedger"/>), so that an unchanged tenant reads the map alone;
    /// in one without, the rows the ledger does not record are listed too. An unchanged tenant writes no diff row.
    /// <c>--sync</c> needs them all (what was compared did not vanish).
    /// </summary>
    public string FillDiff(TableMerge t, bool changedOnly = false)
    {
        var keys = t.Archive.PrimaryKey;
        var sd = StagedDigest(t);
        var unchanged = $"WHEN {sd} = l.source_digest THEN 0 " +
                        $"WHEN length(l.source_digest) = {SourceRowDigest.Version1Length} AND {Version1SourceDigest(t)} = l.source_digest THEN 0";
        var columns = $"{string.Join(", ", keys.Select((_, j) => $"k{j}"))}, sk, sd, recorded, state";
        if (t.HasMap)
        {
            // Every row the ledger mapped (matched = 2) is recorded, and its target row exists: read by its key, in the
            // branch of the rows changed at the source only.
            var cd = $"(SELECT {TargetDigest(t, "u")} FROM {_d.Table(t.Target.Name)} u WHERE {string.Join(" AND ", keys.Select((k, j) => $"u.{Q(k)} = m0.n{j}"))})";
            var select = $"INSERT INTO {Diff(t)} ({columns}, {string.Join(", ", keys.Select((_, j) => $"o{j}"))}) " +
                         $"SELECT {string.Join(", ", keys.Select((_, j) => $"m0.n{j}"))}, l.source_key, {sd}, 1, CASE {unchanged} WHEN {cd} = l.digest THEN 1 ELSE 2 END, " +
                         $"{string.Join(", ", keys.Select((_, j) => $"m0.o{j}"))} ";
            var map = string.Join(" AND ", keys.Select((k, j) => $"m0.o{j} = s.{Q(k)}"));
            var ledger = $"{_d.DrivingJoin} {LedgerRows} l ON l.tenant_no = @tenant_no AND l.table_name = @table AND l.source_key = {SourceKeyText(t)}";
            // Only the rows the map marked changed: driven from the map, each looked up in the stage and the ledger by key.
            return changedOnly
                ? $"{select}FROM {Map(t)} m0 {_d.DrivingJoin} {Stage(t)} s ON {map} {ledger} WHERE m0.matched = 2 AND m0.changed = 1"
                : $"{select}FROM {Stage(t)} s {_d.DrivingJoin} {Map(t)} m0 ON {map} AND m0.matched = 2 {ledger}";
        }
        var current = TargetDigest(t, "u");
        var wd = _d.RowDigest(InsertColumns(t).Select(c => (Value(t, c), t.Target.GetColumn(c).Type)).ToList());
        var state = $"CASE WHEN l.source_key IS NULL THEN CASE WHEN {current} = {wd} THEN 0 ELSE 2 END " +
                    $"{unchanged} WHEN {current} = l.digest THEN 1 ELSE 2 END";
        var insert = $"INSERT INTO {Diff(t)} ({columns}) " +
                     $"SELECT {string.Join(", ", keys.Select(k => $"u.{Q(k)}"))}, {SourceKeyText(t)}, {sd}, CASE WHEN l.source_key IS NULL THEN 0 ELSE 1 END, {state} ";
        var inLedger = $"LEFT JOIN {LedgerRows} l ON l.tenant_no = @tenant_no AND l.table_name = @table AND l.source_key = {SourceKeyText(t)}";
        // The rows changed at the source (or unrecorded) are found by the stage and the ledger alone, before their
        // references are remapped and their target row is read: SQLite evaluates the condition in the join's order, so
        // that an unchanged row costs one ledger lookup (activity_participants, 220,000 rows: 0.61 s before).
        return changedOnly
            ? $"{insert}{Joins(t, first: inLedger)} JOIN {_d.Table(t.Target.Name)} u ON {string.Join(" AND ", t.Archive.PrimaryKey.Select(k => $"u.{Q(k)} = {Value(t, k)}"))} " +
              $"WHERE l.source_key IS NULL OR {sd} <> l.source_digest"
            : $"{insert}{Existing(t)} {inLedger}";
    }

    /// <summary>Rows of the diff to update (after <c>--prefer</c> settled the conflicts).</summary>
    public string CountToUpdate(TableMerge t) => $"SELECT COUNT(*) FROM {Diff(t)} WHERE state = {(int)RowState.Update}";

    /// <summary>Rows of the diff per state: state, count.</summary>
    public string CountStates(TableMerge t) => $"SELECT state, COUNT(*) FROM {Diff(t)} GROUP BY state";

    /// <summary>Rows changed on both sides: target key values as text, then whether the ledger records the row.</summary>
    public string ConflictingRows(TableMerge t, int limit) =>
        $"SELECT {string.Join(", ", t.Archive.PrimaryKey.Select((_, j) => _d.AsText($"k{j}")))}, recorded FROM {Diff(t)} " +
        $"WHERE state = {(int)RowState.Conflict} ORDER BY {string.Join(", ", t.Archive.PrimaryKey.Select((_, j) => $"k{j}"))} LIMIT {limit}";

    /// <summary>Settles the conflicts of <paramref name="t"/> as <c>--prefer</c> says.</summary>
    public string Settle(TableMerge t, RowState settled) =>
        $"UPDATE {Diff(t)} SET state = {(int)settled} WHERE state = {(int)RowState.Conflict}";

    /// <summary>
    /// Writes the rows of <paramref name="t"/> to update, whole (every written column but the key and the columns that
    /// take fresh values, which keep the target's), with their references remapped; null when the table has no such column.
    /// </summary>
    public string? Update(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var set = UpdateColumns(t);
        if (set.Count == 0)
        {
            return null;
        }
        var select = keys.Select((k, j) => $"d.k{j} AS k{j}").Concat(set.Select((c, j) => $"{Value(t, c)} AS v{j}"));
        return _d.UpdateFromSelect(_d.Table(t.Target.Name), "u", set.Select((c, j) => (c, $"r.v{j}")).ToList(),
            $"SELECT {string.Join(", ", select)} {DiffJoins(t)}d.state = {(int)RowState.Update}",
            "r", string.Join(" AND ", keys.Select((k, j) => $"u.{Q(k)} = r.k{j}")));
    }

    /// <summary>
    /// FROM the staged rows the diff d lists, with their maps, up to an open WHERE (a condition and AND follow). With a
    /// key map, read from the diff outwards (its staged keys lead into the stage): a few changed rows are then found
    /// without a pass over the whole stage (4,400 of 440,000 messages on SQLite: 0.24–0.36 s before, 0.15–0.20 s).
    /// </summary>
    private string DiffJoins(TableMerge t)
    {
        var keys = t.Archive.PrimaryKey;
        var on = string.Join(" AND ", keys.Select((k, j) => $"d.k{j} = {Value(t, k)}"));
        return t.HasMap
            ? $"{Joins(t, (Diff(t) + " d", string.Join(" AND ", keys.Select((k, j) => $"s.{Q(k)} = d.o{j}"))))} WHERE {on} AND m0.matched = 2 AND "
            : $"{Joins(t)} JOIN {Diff(t)} d ON {on} WHERE ";
    }

    /// <summary>The columns an <c>--update</c> rewrites in an existing row: every written column but the key and the columns that take fresh values.</summary>
    public static IReadOnlyList<string> UpdateColumns(TableMerge t) =>
        InsertColumns(t).Where(c => !t.Archive.PrimaryKey.Contains(c) && !t.Fresh.Contains(c)).ToList();

    /// <summary>The ledger's rows of the rows updated or kept by <c>--prefer target</c>: the new digests, this import's number.</summary>
    public string UpdateLedgerRows(TableMerge t) =>
        _d.UpdateFromSelect(LedgerRows, "l", [("digest", "x.cd"), ("source_digest", "x.sd"), ("import_no", "@no")],
            $"SELECT d.sk AS sk, d.sd AS sd, {TargetDigest(t, "u")} AS cd FROM {Diff(t)} d JOIN {_d.Table(t.Target.Name)} u ON {DiffOn(t)} " +
            $"WHERE d.recorded = 1 AND d.state IN ({(int)RowState.Update}, {(int)RowState.KeepTarget})",
            "x", "l.tenant_no = @tenant_no AND l.table_name = @table AND l.source_key = x.sk");

    /// <summary>
    /// Brings the source digests of version 1 of the rows found unchanged to version 2 (<see cref="SourceRowDigest"/>):
    /// the ledger's only write for them, so that the next <c>--update</c> compares them without computing a digest.
    /// </summary>
    public string UpgradeLedgerRows(TableMerge t) =>
        _d.UpdateFromSelect(LedgerRows, "l", [("source_digest", "x.sd")],
            $"SELECT d.sk AS sk, d.sd AS sd FROM {Diff(t)} d WHERE d.recorded = 1 AND d.state = {(int)RowState.Unchanged}",
            "x", $"l.tenant_no = @tenant_no AND l.table_name = @table AND l.source_key = x.sk AND length(l.source_digest) = {SourceRowDigest.Version1Length}");

    /// <summary>Records the existing rows the ledger did not record yet (kept keys the target already held).</summary>
    public string RecordUnrecordedRows(TableMerge t) =>
        $"INSERT INTO {LedgerRows} (tenant_no, table_name, source_key, target_key, digest, source_digest, import_no) " +
        $"SELECT @tenant_no, @table, d.sk, {TargetKeyText(t, "u")}, {TargetDigest(t, "u")}, d.sd, @no " +
        $"FROM {Diff(t)} d JOIN {_d.Table(t.Target.Name)} u ON {DiffOn(t)} WHERE d.recorded = 0";

    /// <summary>
    /// Removes what the ledger recorded of earlier copies of the rows <paramref name="t"/> now inserts (an import
    /// without <c>--update</c> of a tenant imported before, or a row whose target copy was deleted since): the ledger
    /// maps each source row to its newest copy. For an identity's table, every row mapped by other means than the
    /// ledger. Parameters <c>@tenant_no @table</c>.
    /// </summary>
    public string ForgetReplacedRows(TableMerge t) =>
        _d.DeleteIn(LedgerRows, ["source_key"], $"SELECT {SourceKeyText(t)} AS k0 {Recorded(t)}", "u.tenant_no = @tenant_no AND u.table_name = @table");

    /// <summary>
    /// Records every row of <paramref name="t"/> just inserted (and its cycle columns updated), or for an identity's
    /// table every row mapped other than by the ledger: source key, target key, the digest of the written columns as
    /// the target now holds them and the digest of the staged row. Parameters <c>@tenant_no @table @no</c>.
    /// </summary>
    public string RecordRows(TableMerge t, int sourceDigestVersion = 2)
    {
        var keys = t.Archive.PrimaryKey;
        // Source keys beside their target keys (allocated, matched, or kept but remapped when they are references,
        // as in a membership's key).
        var target = t.Matches.Count > 0 ? keys.Select((_, j) => $"m0.n{j}").ToList() : keys.Select(k => Value(t, k)).ToList();
        var sd = sourceDigestVersion == 1 ? Version1SourceDigest(t) : StagedDigest(t);
        var rows = $"SELECT {SourceKeyText(t)} AS sk, {sd} AS sd, {string.Join(", ", target.Select((v, j) => $"{v} AS t{j}"))} {Recorded(t)}";
        var on = keys.Select((k, j) => $"u.{Q(k)} = r.t{j}");
        return $"INSERT INTO {LedgerRows} (tenant_no, table_name, source_key, target_key, digest, source_digest, import_no) " +
               $"SELECT @tenant_no, @table, r.sk, {TargetKeyText(t, "u")}, {TargetDigest(t, "u")}, r.sd, @no FROM ({rows}) r JOIN {_d.Table(t.Target.Name)} u ON {string.Join(" AND ", on)}";
    }

    // The staged rows whose ledger rows an import (re)writes: those inserted, or for an identity's table those mapped
    // other than by the ledger.
    private string Recorded(TableMerge t) =>
        t.Matches.Count > 0
            ? $"FROM {Stage(t)} s JOIN {Map(t)} m0 ON {string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"m0.o{j} = s.{Q(k)}"))} WHERE m0.matched <> 2"
            : From(t);

    // The existing target rows u of the staged rows s, with every map joined.
    private string Existing(TableMerge t) =>
        $"{Joins(t)} JOIN {_d.Table(t.Target.Name)} u ON {string.Join(" AND ", t.Archive.PrimaryKey.Select(k => $"u.{Q(k)} = {Value(t, k)}"))}";

    private string DiffOn(TableMerge t) => string.Join(" AND ", t.Archive.PrimaryKey.Select((k, j) => $"u.{Q(k)} = d.k{j}"));

    // The source key of staged row s as the ledger holds it.
    private string SourceKeyText(TableMerge t) =>
        Ledger.Tuple(_d, t.Archive.PrimaryKey.Select(k => ($"s.{Q(k)}", t.ArchiveColumn(k).Type)).ToList(), bare: true);

    private string TargetKeyText(TableMerge t, string alias) =>
        Ledger.Tuple(_d, t.Archive.PrimaryKey.Select(k => ($"{alias}.{Q(k)}", t.Target.GetColumn(k).Type)).ToList(), bare: true);

    // The source digest of staged row s, computed by Ferry while staging (SourceRowDigest).
    private string StagedDigest(TableMerge t) =>
        $"s.{Q(t.DigestColumn ?? throw new InvalidOperationException($"{t.Archive.Name}: no source digest staged"))}";

    // The source digest of version 1 (Ferry before 2026-12-06), kept to compare the rows of ledgers written then: every
    // archive column, as staged (after the profile's transforms and the rewriting of references inside documents).
    private string Version1SourceDigest(TableMerge t) =>
        _d.RowDigest(t.Columns.Select(c => ($"s.{Q(c.Name)}", c.Type)).ToList());

    // The digest of target row alias: the columns an import writes, as the target holds them.
    private string TargetDigest(TableMerge t, string alias) =>
        _d.RowDigest(InsertColumns(t).Select(c => ($"{alias}.{Q(c)}", t.Target.GetColumn(c).Type)).ToList());

    private string LedgerRows => _d.Table(Ledger.Rows);

    private string Diff(TableMerge t) => _d.TempTable(DiffName(t));
}
