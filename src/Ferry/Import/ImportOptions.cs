namespace Ferry.Import;

/// <summary>Rows of <paramref name="Table"/> are matched to existing target rows by these columns (<c>--match users:email</c>).</summary>
public sealed record MatchRule(string Table, IReadOnlyList<string> Columns)
{
    /// <summary>Parses <c>TABLE:COLUMN[+COLUMN...]</c>; a usage error otherwise.</summary>
    public static MatchRule Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var columns = colon > 0 ? text[(colon + 1)..].Split('+') : [];
        if (colon <= 0 || columns.Length == 0 || columns.Any(string.IsNullOrWhiteSpace))
        {
            throw new FerryException($"--match '{text}': expected TABLE:COLUMN[+COLUMN...], e.g. users:email", ExitCodes.Usage);
        }
        return new MatchRule(text[..colon], columns);
    }

    public override string ToString() => $"{Table}:{string.Join('+', Columns)}";
}

/// <summary>Everything an import needs; every entry point builds one of these.</summary>
/// <param name="Target">The target connection string.</param>
/// <param name="Match">Natural-key identities.</param>
/// <param name="DryRun">Run everything, conflict check included, then roll back.</param>
/// <param name="Password">Asked only when the archive is encrypted; may return null (no password available).</param>
/// <param name="Profile">The application profile (<c>--profile</c>); null: none.</param>
/// <param name="IdentityMaps">Identity table → CSV file of (source key, target key) rows (<c>--map TABLE=FILE</c>).</param>
/// <param name="FileStores">File store name → the target's directory for its files (<c>--files NAME=DIR</c>).</param>
public sealed record ImportOptions(
    string Target,
    IReadOnlyList<MatchRule> Match,
    bool DryRun,
    Func<char[]?> Password,
    Profiles.Profile? Profile = null,
    IReadOnlyDictionary<string, string>? IdentityMaps = null,
    IReadOnlyDictionary<string, string>? FileStores = null);
