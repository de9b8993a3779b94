namespace Ferry.Bench;

/// <summary>The scope of the moved group (1 unless <c>--tenant</c> names another), table by table in dependency order, as an expert would write it by hand.</summary>
internal static class Scope
{
    /// <summary>
    /// The group moved: 1 by default, whose rows have the lowest ids of every table (PostgreSQL's merge joins over an
    /// index stop after them); <c>--tenant 5</c> moves one in the middle of every table.
    /// </summary>
    public static int Group { get; set; } = 1;

    public static (string Table, string Query)[] Tables => Queries.Select(q => (q.Table, q.Query.Replace("{G}", Group.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))).ToArray();

    private static readonly (string Table, string Query)[] Queries =
    [
        ("groups", "SELECT * FROM groups WHERE id = {G}"),
        ("users", "SELECT id, email, display_name, avatar, CASE WHEN current_group_id = {G} THEN {G} END, created_at FROM users WHERE id IN ("
            + "SELECT user_id FROM memberships WHERE group_id = {G} "
            + "UNION SELECT p.user_id FROM activity_participants p JOIN activities a ON a.id = p.activity_id WHERE a.group_id = {G} "
            + "UNION SELECT m.author_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.group_id = {G})"),
        ("memberships", "SELECT * FROM memberships WHERE group_id = {G}"),
        ("places", "SELECT * FROM places WHERE group_id = {G}"),
        ("activities", "SELECT * FROM activities WHERE group_id = {G}"),
        ("activity_participants", "SELECT * FROM activity_participants WHERE activity_id IN (SELECT id FROM activities WHERE group_id = {G})"),
        ("conversations", "SELECT id, group_id, subject, NULL FROM conversations WHERE group_id = {G}"),
        ("messages", "SELECT * FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE group_id = {G}) ORDER BY id"),
    ];

    /// <summary>Rows in the copy, to check that the baseline moved what Ferry moved.</summary>
    public static string CountAll => "SELECT " + string.Join(" + ", Tables.Select(t => $"(SELECT count(*) FROM {t.Table})"));

    /// <summary>The cycle's second half: each conversation's latest message, set once the messages are in.</summary>
    public static string Latest => $"SELECT id, latest_message_id FROM conversations WHERE group_id = {Group} AND latest_message_id IS NOT NULL";
}

/// <summary>One engine's databases and the commands timed on them.</summary>
internal interface IScenario
{
    string Engine { get; }
    string SourceUrl { get; }
    long CopiedRows { get; }
    void CreateSource(int scale, int groups);
    void CreateTargetTemplate(int scale);
    /// <summary>A fresh copy of the target (its own data) for one import; returns its Ferry URL.</summary>
    string FreshTarget();
    /// <summary>
    /// Before each timed step: writes out what earlier steps left in memory (the copy of the target, the
    /// previous run), so that no step is billed for another's writes. PostgreSQL: CHECKPOINT; files: sync.
    /// </summary>
    void Settle();
    /// <summary>Baseline (a): the scope copied table by table into empty tables with the same schema.</summary>
    double BaselineCopy();
    /// <summary>Baseline (b): pg_dump --data-only of the scope tables into an empty database; null where it does not apply.</summary>
    double? BaselineDump();
    void Drop();
}

/// <summary>Runs Ferry itself.</summary>
internal sealed class FerryRunner(string repo, string work)
{
    private readonly Dictionary<string, string> _env = new() { ["FERRY_PASSWORD"] = "bench-password" };
    public string Archive { get; } = Path.Combine(work, "tenant.tar.gpg");

    public (double Seconds, long RssKb, long Rows) Export(string from)
    {
        var (seconds, rss, output) = Shell.TimeWithRss($"{repo}/ferry export --from {Shell.Quote(from)} --root groups --ids {Scope.Group} -o {Archive} --force", _env);
        var count = System.Text.RegularExpressions.Regex.Match(output, @"Export complete: ([\d,]+) rows").Groups[1].Value;
        var rows = long.Parse(count.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        return (seconds, rss, rows);
    }

    /// <summary>The import, and the seconds of each step that it logged (see <see cref="Steps"/>).</summary>
    public (double Seconds, long RssKb, Dictionary<string, double> Steps) Import(string to, string flags = "")
    {
        var (seconds, rss, output) = Shell.TimeWithRss($"{repo}/ferry import {Archive} --to {Shell.Quote(to)} {flags}", _env);
        return (seconds, rss, Steps(output, seconds));
    }

    /// <summary>
    /// <c>ferry export -o - | ferry import -</c>, as users stream a tenant: both processes run at once, each under
    /// /usr/bin/time. Returns the wall time of the pipe, the larger of the two peak RSS, and the import's steps.
    /// </summary>
    public (double Seconds, long RssKb, Dictionary<string, double> Steps) Pipe(string from, string to, string flags = "")
    {
        var (exportRss, importRss) = (Path.GetTempFileName(), Path.GetTempFileName());
        try
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var output = Shell.Run($"/usr/bin/time -f %M -o {exportRss} {repo}/ferry export --from {Shell.Quote(from)} --root groups --ids {Scope.Group} -o - "
                + $"| /usr/bin/time -f %M -o {importRss} {repo}/ferry import - --to {Shell.Quote(to)} {flags}", _env);
            var seconds = watch.Elapsed.TotalSeconds;
            return (seconds, Math.Max(Shell.LastNumber(exportRss), Shell.LastNumber(importRss)), Steps(output, seconds));
        }
        finally
        {
            File.Delete(exportRss);
            File.Delete(importRss);
        }
    }

    /// <summary>
    /// Where an import's time went, from the lines it logs when each step ends ("stage messages: 434,780 rows in
    /// 1.52 s"): staging (reading the archive and bulk-loading every table), maps (old→new keys, identities,
    /// reference checks), checks (unique keys), insert (every table's INSERT … SELECT), ledger (recording every row in the
    /// ledger, issue 16), and "other": the rest of the wall time (start-up, schema, cycle links, counters, commit).
    /// </summary>
    public static Dictionary<string, double> Steps(string log, double wall)
    {
        var steps = new Dictionary<string, double> { ["staging"] = 0, ["maps"] = 0, ["checks"] = 0, ["insert"] = 0, ["foreign keys"] = 0, ["ledger"] = 0 };
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(log, @"^(stage [^:]+|map keys|check unique keys|check foreign keys|record ledger|insert [^:]+): [\d,]+ rows in ([\d.]+) s$", System.Text.RegularExpressions.RegexOptions.Multiline))
        {
            var step = m.Groups[1].Value switch
            {
                var s when s.StartsWith("stage ", StringComparison.Ordinal) => "staging",
                "map keys" => "maps",
                "check unique keys" => "checks",
                "check foreign keys" => "foreign keys",
                "record ledger" => "ledger",
                _ => "insert",
            };
            steps[step] += double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        steps["other"] = Math.Max(0, wall - steps.Values.Sum());
        return steps;
    }
}
