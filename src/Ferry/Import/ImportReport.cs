namespace Ferry.Import;

/// <summary>What an import did (or, for a dry run or conflicts, would have done). Serialised for <c>--report</c>.</summary>
public sealed record ImportReport(
    string Target,
    string Source,
    string Root,
    bool DryRun,
    string Outcome,
    IReadOnlyList<ImportedTable> Tables,
    IReadOnlyList<Conflict> Conflicts,
    long ConflictCount,
    double Seconds)
{
    public long ArchiveRows => Tables.Sum(t => t.ArchiveRows);

    public long Inserted => Tables.Sum(t => t.Inserted);

    public long Matched => Tables.Sum(t => t.Matched);

    public long NulledReferences => Tables.Sum(t => t.NulledReferences);

    public long Renamed => Tables.Sum(t => t.Renamed);

    /// <summary>Files written into the target's file stores (kept only when the import committed).</summary>
    public long Files { get; init; }

    /// <summary>Bytes of those files.</summary>
    public long FileBytes { get; init; }

    /// <summary>The tenant's id in the target's ledger (<c>docs/reimport.md</c>): 64 hex digits.</summary>
    public string Tenant { get; init; } = "";

    /// <summary>The import's number in the target's ledger; 0 when nothing was recorded (a dry run, conflicts).</summary>
    public long LedgerImport { get; init; }

    /// <summary>Rows the ledger recorded (source key → target key and digest).</summary>
    public long LedgerRows { get; init; }

    /// <summary>
    /// Earlier imports of the same tenant the ledger recorded: imported again without <c>--update</c>, its rows were
    /// written as new rows beside those, and the ledger now maps each source row to its newest copy.
    /// </summary>
    public long LedgerEarlier { get; init; }

    /// <summary>True for an <c>--update</c> import: <see cref="Updated"/>, <see cref="Unchanged"/> and <see cref="Conflicting"/> are counted.</summary>
    public bool Update { get; init; }

    /// <summary>Under <c>--update</c>: which side won the rows changed on both sides (<c>source</c>, <c>target</c>), or null.</summary>
    public string? Prefer { get; init; }

    /// <summary>True for an <c>--update --sync</c> import: <see cref="Deleted"/> is counted.</summary>
    public bool Sync { get; init; }

    public long Updated => Tables.Sum(t => t.Updated);

    public long Deleted => Tables.Sum(t => t.Deleted);

    public long Unchanged => Tables.Sum(t => t.Unchanged);

    public long Conflicting => Tables.Sum(t => t.Conflicting);

    /// <summary>True when an <c>--update</c> found nothing to write (and wrote nothing, its ledger included).</summary>
    public bool NothingChanged => Update && Inserted == 0 && Updated == 0 && Deleted == 0 && LedgerImport == 0;
}

/// <summary>Per table: rows in the archive, inserted, matched to existing rows, references set to NULL on export.</summary>
public sealed record ImportedTable(string Name, long ArchiveRows, long Inserted, long Matched, long NulledReferences)
{
    /// <summary>Rows given a new value by a profile conflict rule with <c>rename</c>.</summary>
    public long Renamed { get; init; }

    /// <summary>Under <c>--update</c>: existing rows rewritten because they changed at the source (or by <c>--prefer source</c>).</summary>
    public long Updated { get; init; }

    /// <summary>Under <c>--update</c>: existing rows left untouched (unchanged at the source, or kept by <c>--prefer target</c>).</summary>
    public long Unchanged { get; init; }

    /// <summary>Under <c>--sync</c>: rows an earlier import brought that vanished at the source, deleted.</summary>
    public long Deleted { get; init; }

    /// <summary>Under <c>--update</c>: existing rows changed on both sides (settled by <c>--prefer</c>, or the import's conflicts).</summary>
    public long Conflicting { get; init; }

    /// <summary>
    /// Columns outside the primary key that the target's sequence feeds (an invoice number), each with how many
    /// of its values were replaced by fresh ones from that sequence (references to them follow); empty when none.
    /// </summary>
    public IReadOnlyDictionary<string, long> FreshValues { get; init; } = NoFreshValues;

    /// <summary>An empty <see cref="FreshValues"/>.</summary>
    public static readonly IReadOnlyDictionary<string, long> NoFreshValues = new Dictionary<string, long>();
}

/// <summary>
/// A unique-constraint conflict found before anything was written: with an existing target row
/// (<c>existing</c>) or between incoming rows (<c>duplicate</c>); or an incoming row that an identity
/// matches to <paramref name="Rows"/> target rows which neither its <c>where</c> nor its <c>prefer</c>
/// tells apart (<c>ambiguous</c>; <paramref name="Constraint"/> then names the identity rule).
/// </summary>
public sealed record Conflict(string Table, string Constraint, IReadOnlyList<string> Columns, IReadOnlyList<string?> Values, string Kind, long Rows);

/// <summary>Thrown when conflicts were found: exit code 3, nothing written; the report lists them.</summary>
public sealed class ConflictException(ImportReport report)
    : FerryException($"{report.ConflictCount} conflict(s) with rows in the target: nothing was written", ExitCodes.Conflicts)
{
    public ImportReport Report { get; } = report;
}
