namespace Ferry.Import;

/// <summary>
/// Rows of <paramref name="Table"/> are matched to existing target rows by these columns
/// (<c>--match users:email</c>, a profile identity, or a profile conflict rule with <c>reuse</c>).
/// Matched rows are mapped to the existing row and neither inserted nor updated.
/// </summary>
public sealed record MatchRule(string Table, IReadOnlyList<string> Columns)
{
    /// <summary>Text columns compare without regard to case (<c>lower()</c> of both sides).</summary>
    public bool CaseInsensitive { get; init; }

    /// <summary>What happens to a row with no match (identities only).</summary>
    public Profiles.MissingIdentity Missing { get; init; }

    /// <summary>Column values of a placeholder row (<see cref="Profiles.MissingIdentity.Placeholder"/>).</summary>
    public IReadOnlyDictionary<string, object?> Placeholder { get; init; } = new Dictionary<string, object?>();

    /// <summary>A CSV file of (source key, target key) rows applied to the staged key before matching (<c>--map</c>).</summary>
    public string? MapFile { get; init; }

    /// <summary>The profile identity's condition on the target rows that may be matched (trusted SQL); null: every row.</summary>
    public string? Where { get; init; }

    /// <summary>The profile identity's preference among several matching target rows; empty: several are a conflict.</summary>
    public IReadOnlyList<Profiles.PreferColumn> Prefer { get; init; } = [];

    /// <summary>The profile identity's key taken through another table; null: the key is in the table.</summary>
    public Profiles.IdentityThrough? Through { get; init; }

    /// <summary>True for a conflict rule's <c>reuse</c>: only rows colliding on this unique key are matched.</summary>
    public bool Reuse { get; init; }

    /// <summary>Where the rule comes from, for messages: <c>--match users:email</c> or <c>profile app.yaml:12</c>.</summary>
    public string Origin { get; init; } = "";

    /// <summary>The suffix that makes a rule case-insensitive: <c>users:email/i</c>.</summary>
    public const string CaseInsensitiveSuffix = "/i";

    /// <summary>
    /// Parses <c>TABLE:COLUMN[+COLUMN...][/i]</c>, where <c>/i</c> compares text columns without regard
    /// to case (as a profile identity's <c>case_insensitive: true</c>); a usage error otherwise.
    /// </summary>
    public static MatchRule Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = text.EndsWith(CaseInsensitiveSuffix, StringComparison.Ordinal);
        var body = folded ? text[..^CaseInsensitiveSuffix.Length] : text;
        var colon = body.IndexOf(':', StringComparison.Ordinal);
        var columns = colon > 0 ? body[(colon + 1)..].Split('+') : [];
        if (colon <= 0 || columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace) || body.Contains('/', StringComparison.Ordinal))
        {
            throw new FerryException(
                $"--match '{text}': expected TABLE:COLUMN[+COLUMN...], optionally ending in /i to ignore case, e.g. users:email or users:email/i",
                ExitCodes.Usage);
        }
        var rule = new MatchRule(body[..colon], columns) { CaseInsensitive = folded };
        return rule with { Origin = $"--match {rule}" };
    }

    /// <summary>The rule as <see cref="Parse"/> reads it (<c>users:email</c>, <c>films:title/i</c>).</summary>
    public override string ToString() => $"{Table}:{string.Join('+', Columns)}{(CaseInsensitive ? CaseInsensitiveSuffix : "")}";
}

/// <summary>Everything an import needs; every entry point builds one of these.</summary>
/// <param name="Target">The target connection string.</param>
/// <param name="Match">Natural-key identities.</param>
/// <param name="DryRun">Run everything, conflict check included, then roll back.</param>
/// <param name="Password">Asked only when the archive is encrypted; may return null (no password available).</param>
/// <param name="Profile">The application profile (<c>--profile</c>); null: none.</param>
/// <param name="IdentityMaps">Identity table → CSV file of (source key, target key) rows (<c>--map TABLE=FILE</c>).</param>
/// <param name="FileStores">File store name → the target's directory for its files (<c>--files NAME=DIR</c>).</param>
/// <param name="Reading">What the archive may be (plaintext or not) and the limits on what it holds; null: the defaults.</param>
public sealed record ImportOptions(
    string Target,
    IReadOnlyList<MatchRule> Match,
    bool DryRun,
    Func<char[]?> Password,
    Profiles.Profile? Profile = null,
    IReadOnlyDictionary<string, string>? IdentityMaps = null,
    IReadOnlyDictionary<string, string>? FileStores = null,
    Archive.ArchiveReadOptions? Reading = null)
{
    /// <summary>
    /// <c>--exclusive</c>: lock the tables written against every other session, readers included, for the whole
    /// import, and check their foreign keys once per table (taken off during the inserts, put back exactly as they
    /// were before the commit) instead of once per row. Faster for large tenants in a maintenance window;
    /// PostgreSQL only, and it needs to own the tables.
    /// </summary>
    public bool Exclusive { get; init; }

    /// <summary>
    /// <c>--update</c>: rows the target's ledger (or a kept key the target holds) maps to an existing row are updated
    /// where they changed at the source and left untouched otherwise; new rows are inserted (<c>docs/reimport.md</c>).
    /// </summary>
    public bool Update { get; init; }

    /// <summary>
    /// <c>--no-ledger</c>: do not record this import in the target's ledger (for a role that may not create or write
    /// its tables); a later <c>--update</c> cannot find the rows it brought.
    /// </summary>
    public bool NoLedger { get; init; }

    /// <summary>
    /// <c>--sync</c> (with <see cref="Update"/>): the target rows an earlier import of the tenant brought and that the
    /// archive no longer holds are deleted, children first; one that a row which stays still references is a conflict.
    /// </summary>
    public bool Sync { get; init; }

    /// <summary><c>--prefer</c>: which side wins a row changed both at the source and in the target; <see cref="Prefer.None"/>: a conflict.</summary>
    public Prefer Prefer { get; init; }

    /// <summary>
    /// Tests only: 1 records the ledger's source digests as Ferry did before version 2 (<see cref="SourceRowDigest"/>),
    /// to reproduce a ledger written then.
    /// </summary>
    internal int SourceDigestVersion { get; init; } = 2;
}

/// <summary>Which side wins a row changed on both sides (<c>--prefer</c>).</summary>
public enum Prefer
{
    /// <summary>Neither: the row is a conflict and nothing is written.</summary>
    None,

    /// <summary>The source's row overwrites the target's.</summary>
    Source,

    /// <summary>The target's row stays.</summary>
    Target,
}
