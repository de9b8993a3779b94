using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Profiles;

public sealed partial record ProfileDraft
{
    /// <summary>The store name the draft's file suggestions use.</summary>
    public const string Store = "files";

    /// <summary>
    /// The draft as YAML: the root in force, every suggestion commented out (<c># - {...}</c>, one entry a
    /// line, so that removing <c># </c> makes it a rule), each with a comment saying why. It loads as it is
    /// (<see cref="ProfileLoader.Parse"/>); sections whose entries are all commented are empty.
    /// </summary>
    public string Yaml(string profileName)
    {
        var y = new StringBuilder();
        var ids = Ids.Count > 0 ? string.Join(',', Ids) : "ID";
        y.AppendLine(CultureInfo.InvariantCulture, $"# A first profile for {Comment(Source)}, written by `ferry profile init`.");
        y.AppendLine("# Only `root` is in force: every suggestion below is commented out. Read each one, uncomment what is");
        y.AppendLine("# true of the app (remove the leading '# ' of its '- {...}' line), delete the rest, then check with");
        y.AppendLine(CultureInfo.InvariantCulture, $"#   ferry plan --from SOURCE --profile {Comment(profileName)} --ids {Comment(ids)}");
        y.AppendLine("# Every key is described in docs/profiles.md (JSON Schema: docs/profile.schema.json).");
        if (PlanProblem is not null)
        {
            y.AppendLine("#");
            y.AppendLine(CultureInfo.InvariantCulture, $"# Without a profile, a plan of {Comment(Root)} {Comment(ids)} fails: {Comment(PlanProblem)}");
            y.AppendLine("# The counts below are therefore over whole tables, not over the tenant.");
        }
        y.AppendLine();
        y.AppendLine(CultureInfo.InvariantCulture, $"root: {Scalar(Root)}");
        Relations(y);
        OwningEntries(y);
        Follow(y);
        IdentityEntries(y);
        FileEntries(y);
        Ignore(y);
        return y.ToString();
    }

    private string Scope => Ids.Count > 0 && PlanProblem is null ? "exported" : "";

    private void Relations(StringBuilder y)
    {
        y.AppendLine();
        y.AppendLine("# Columns named like references that no foreign key declares. Export copies their values unchanged,");
        y.AppendLine("# so they would keep the source's ids: declare each one that is a reference (to: TABLE or TABLE.COLUMN;");
        y.AppendLine("# owns: true when the rows pointing at a tenant row belong to the tenant), and delete the others.");
        y.AppendLine("relations:");
        if (Undeclared.Count == 0 && Owning.Count == 0)
        {
            y.AppendLine("  # (none found)");
        }
        var rows = Scope.Length > 0 ? $"{Scope} row(s)" : "row(s)";
        foreach (var u in Undeclared)
        {
            if (u.LikelyTable is null)
            {
                y.AppendLine(CultureInfo.InvariantCulture, $"  # {Comment(u.Table)}.{Comment(u.Column)}: no table is named like it; {u.Values} {rows} hold a value.");
                y.AppendLine("  # Replace TABLE; a column naming the type beside it makes it polymorphic (type_column, types).");
                y.AppendLine(CultureInfo.InvariantCulture, $"  # - {{from: {Scalar($"{u.Table}.{u.Column}")}, to: TABLE}}");
            }
            else
            {
                y.AppendLine(CultureInfo.InvariantCulture,
                    $"  # {Comment(u.Table)}.{Comment(u.Column)}: {u.Existing} of {u.Values} {rows} hold a value found in {Comment(u.LikelyTable)}.{Comment(u.LikelyColumn!)}");
                y.AppendLine(CultureInfo.InvariantCulture, $"  # - {{from: {Scalar($"{u.Table}.{u.Column}")}, to: {Scalar(u.LikelyTable)}}}");
            }
        }
    }

    private void OwningEntries(StringBuilder y)
    {
        if (Owning.Count == 0)
        {
            return;
        }
        y.AppendLine("  #");
        y.AppendLine("  # Tables the plan does not reach have columns named like references into the tenant: declared with");
        y.AppendLine("  # owns: true, their rows (and the rows of tables that point at those) become part of the tenant.");
        foreach (var u in Owning)
        {
            y.AppendLine(CultureInfo.InvariantCulture,
                $"  # {Comment(u.Table)}.{Comment(u.Column)}: {u.Existing} of {u.Values} row(s) of the whole table hold a value found in {Comment(u.LikelyTable!)}.{Comment(u.LikelyColumn!)}");
            y.AppendLine(CultureInfo.InvariantCulture, $"  # - {{from: {Scalar($"{u.Table}.{u.Column}")}, to: {Scalar(u.LikelyTable!)}, owns: true}}");
        }
    }

    private void Follow(StringBuilder y)
    {
        if (Follows.Count == 0)
        {
            return;
        }
        y.AppendLine();
        y.AppendLine("# Nullable foreign keys into the tenant that leave rows behind; following each was tried on the data and works.");
        y.AppendLine("follow:");
        foreach (var f in Follows)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  # - {Scalar($"{f.Table}.{f.Column}")}    # takes {f.AddedRows} more row(s) in all");
        }
    }

    private void IdentityEntries(StringBuilder y)
    {
        y.AppendLine();
        y.AppendLine("# Shared rows (people, tags, a catalogue) that the target may already hold: an identity matches them on");
        y.AppendLine("# the target by a natural key and reuses the existing row instead of creating a second one.");
        y.AppendLine("identities:");
        if (Identities.Count == 0)
        {
            y.AppendLine("  # (no unique text key found in the tables the tenant references)");
        }
        foreach (var i in Identities)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  # {Comment(i.Table)} by {Comment(string.Join(" + ", i.Columns))}: {Comment(i.Why)}");
            if (i.Doubtful)
            {
                continue;
            }
            var key = i.Columns.Count == 1 ? Scalar(i.Columns[0]) : $"[{string.Join(", ", i.Columns.Select(Scalar))}]";
            var ci = i.CaseInsensitive ? ", case_insensitive: true" : "";
            y.AppendLine(CultureInfo.InvariantCulture, $"  # - {{table: {Scalar(i.Table)}, key: {key}{ci}}}");
        }
    }

    private void FileEntries(StringBuilder y)
    {
        y.AppendLine();
        y.AppendLine(CultureInfo.InvariantCulture, $"# Columns that seem to hold paths of stored files. With a rule, export and import carry the files, given");
        y.AppendLine(CultureInfo.InvariantCulture, $"# the store's directory on each side: --files {Store}=DIR. Rename the store as you like.");
        y.AppendLine("files:");
        if (Files.Count == 0)
        {
            y.AppendLine("  # (none found)");
        }
        foreach (var f in Files)
        {
            if (f.Absolute)
            {
                y.AppendLine(CultureInfo.InvariantCulture,
                    $"  # {Comment(f.Table)}.{Comment(f.Column)} holds absolute paths ('{Comment(f.Example)}'): a file store needs paths relative to its directory.");
                continue;
            }
            y.AppendLine(CultureInfo.InvariantCulture,
                $"  # {Comment(f.Table)}.{Comment(f.Column)}: {f.PathLike} of {f.Sampled} sampled value(s) read like relative paths, e.g. '{Comment(f.Example)}'");
            y.AppendLine(CultureInfo.InvariantCulture, $"  # - {{store: {Store}, table: {Scalar(f.Table)}, column: {Scalar(f.Column)}}}");
        }
    }

    private void Ignore(StringBuilder y)
    {
        if (NotReached.Count == 0)
        {
            return;
        }
        y.AppendLine();
        y.AppendLine("# Tables the plan does not reach: none of their rows travel. Exclude or ignore each one (with a reason),");
        y.AppendLine("# and add `complete: true`, so that a table a later version of the app adds stops the export until decided.");
        y.AppendLine("ignore:");
        foreach (var table in NotReached)
        {
            y.AppendLine(CultureInfo.InvariantCulture, $"  # - {{table: {Scalar(table)}, reason: \"...\"}}");
        }
    }

    /// <summary>A YAML scalar: plain when it is a simple name that YAML reads as that string, else double-quoted.</summary>
    internal static string Scalar(string value) =>
        PlainName().IsMatch(value) && value is not ("true" or "false" or "null" or "True" or "False" or "Null" or "TRUE" or "FALSE" or "NULL" or "y" or "n" or "yes" or "no" or "on" or "off")
            ? value
            : "\"" + string.Concat(value.Select(c => c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or '\u007f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            })) + "\"";

    // Text inside a comment: one line, whatever the database's names or values hold.
    private static string Comment(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainName();
}
