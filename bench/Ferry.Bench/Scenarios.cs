namespace Ferry.Bench;

/// <summary>The scope of group 1, table by table in dependency order, as an expert would write it by hand.</summary>
internal static class Scope
{
    public static readonly (string Table, string Query)[] Tables =
    [
        ("groups", "SELECT * FROM groups WHERE id = 1"),
        ("users", "SELECT id, email, display_name, avatar, CASE WHEN current_group_id = 1 THEN 1 END, created_at FROM users WHERE id IN ("
            + "SELECT user_id FROM memberships WHERE group_id = 1 "
            + "UNION SELECT p.user_id FROM activity_participants p JOIN activities a ON a.id = p.activity_id WHERE a.group_id = 1 "
            + "UNION SELECT m.author_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.group_id = 1)"),
        ("memberships", "SELECT * FROM memberships WHERE group_id = 1"),
        ("places", "SELECT * FROM places WHERE group_id = 1"),
        ("activities", "SELECT * FROM activities WHERE group_id = 1"),
        ("activity_participants", "SELECT * FROM activity_participants WHERE activity_id IN (SELECT id FROM activities WHERE group_id = 1)"),
        ("conversations", "SELECT id, group_id, subject, NULL FROM conversations WHERE group_id = 1"),
        ("messages", "SELECT * FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE group_id = 1) ORDER BY id"),
    ];

    /// <summary>Rows in the copy, to check that the baseline moved what Ferry moved.</summary>
    public static readonly string CountAll = "SELECT " + string.Join(" + ", Tables.Select(t => $"(SELECT count(*) FROM {t.Table})"));

    /// <summary>The cycle's second half: each conversation's latest message, set once the messages are in.</summary>
    public const string Latest = "SELECT id, latest_message_id FROM conversations WHERE group_id = 1 AND latest_message_id IS NOT NULL";
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
        var (seconds, rss, output) = Shell.TimeWithRss($"{repo}/ferry export --from {Shell.Quote(from)} --root groups --ids 1 -o {Archive} --force", _env);
        var count = System.Text.RegularExpressions.Regex.Match(output, @"Export complete: ([\d,]+) rows").Groups[1].Value;
        var rows = long.Parse(count.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        return (seconds, rss, rows);
    }

    public (double Seconds, long RssKb) Import(string to)
    {
        var (seconds, rss, _) = Shell.TimeWithRss($"{repo}/ferry import {Archive} --to {Shell.Quote(to)}", _env);
        return (seconds, rss);
    }
}
