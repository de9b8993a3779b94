using System.CommandLine;
using Ferry.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Ferry.Cli.Demo;

/// <summary>
/// <c>ferry demo</c>: builds a source and a target instance of the community app under
/// <c>./ferry-demo/</c>, moves one group across with the real export and import commands, and
/// shows what happened. Every run starts from scratch.
/// </summary>
public sealed class DemoCommand(CliContext context)
    : FerryCommand("demo", "Move a group between two SQLite instances of a sample community app, under ./ferry-demo/", context)
{
    private const string Directory = "ferry-demo";

    // How the steps are shown: ./ferry from a checkout (the launcher runs dotnet), ferry when installed (the tool or the single file).
    private static string Self => Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? "./ferry" : "ferry";

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var ui = Context.Interaction;
        System.IO.Directory.CreateDirectory(Directory);
        var source = Path.Combine(Directory, "source.db");
        var target = Path.Combine(Directory, "target.db");
        var archive = Path.Combine(Directory, "city-gardeners.tar.gpg");
        var passwordFile = Path.Combine(Directory, "password.txt");
        var report = Path.Combine(Directory, "report.json");
        var profile = Path.Combine(Directory, "community.yaml");
        foreach (var file in new[] { source, target, archive, passwordFile, report, profile })
        {
            File.Delete(file);
        }
        await using (var embedded = typeof(DemoCommand).Assembly.GetManifestResourceStream("Ferry.Cli.Demo.community.yaml")!)
        await using (var written = File.Create(profile))
        {
            await embedded.CopyToAsync(written, cancellationToken);
        }

        var sourceEmails = Enumerable.Range(1, 36).Select(u => $"person{u:D2}@example.org").ToList();
        CommunityApp.Create(source, seed: 42,
            [("riverside-hikers", "Riverside Hikers"), ("city-gardeners", "City Gardeners"), ("chess-club", "Chess Club"), ("book-circle", "Book Circle")],
            sourceEmails);
        // The target instance has its own groups and people; four of them are also City Gardeners,
        // one with an e-mail capitalised differently (the profile matches e-mails case-insensitively).
        var targetEmails = new[] { 1, 4, 7, 13 }.Select(u => u == 7 ? "Person07@Example.org" : sourceEmails[u - 1])
            .Concat(Enumerable.Range(1, 11).Select(n => $"friend{n:D2}@example.net")).OrderBy(e => e, StringComparer.Ordinal).ToList();
        CommunityApp.Create(target, seed: 7, [("climbing-crew", "Climbing Crew"), ("photo-walks", "Photo Walks")], targetEmails);
        await File.WriteAllTextAsync(passwordFile, new string(Passwords.Generate()) + "\n", cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        ui.Line($"Built {source} (4 groups, 36 people) and {target} (2 other groups, 15 people, 4 of them also in City Gardeners).");
        ui.Line("");
        var steps = new[]
        {
            ($"See what an export of group 2 (City Gardeners) would take, with the app's profile ({profile}):", new[] { "plan", "--from", $"sqlite:{source}", "--profile", profile, "--ids", "2" }, ExitCodes.Success),
            ("Export it from the source, encrypted:", ["export", "--from", $"sqlite:{source}", "--profile", profile, "--ids", "2", "-o", archive, "--password-file", passwordFile, "--force"], ExitCodes.Success),
            ("Inspect the archive (no database involved):", ["inspect", archive, "--password-file", passwordFile], ExitCodes.Success),
            ("Import it into the target; the profile reuses people by e-mail, whatever its case:", ["import", archive, "--to", $"sqlite:{target}", "--password-file", passwordFile, "--profile", profile, "--report", report], ExitCodes.Success),
            ("Importing the same group again is refused before anything is written (dry run):", ["import", archive, "--to", $"sqlite:{target}", "--password-file", passwordFile, "--profile", profile, "--dry-run"], ExitCodes.Conflicts),
        };
        foreach (var (title, args, expected) in steps)
        {
            ui.Line($"== {title}");
            ui.Line($"$ {Self} {string.Join(' ', args)}");
            // Each step runs as its own command, with the demo's own --quiet or --verbose.
            string[] verbosity = Context.Verbosity switch { Verbosity.Quiet => ["--quiet"], Verbosity.Verbose => ["--verbose"], _ => [] };
            var code = await FerryApp.RunAsync([.. args, .. verbosity], Context.Console, cancellationToken);
            if (code != expected)
            {
                throw new FerryException($"demo step '{args[0]}' exited with {code}, expected {expected}");
            }
            ui.Line("");
        }

        ui.Line("== The target now:");
        await using var connection = new SqliteConnection($"Data Source={target};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(cancellationToken);
        foreach (var (label, sql) in new[]
        {
            ("groups", "SELECT group_concat(id || ' ' || slug, ', ') FROM (SELECT * FROM groups ORDER BY id)"),
            ("people", "SELECT COUNT(*) FROM users"),
            ("City Gardeners members", "SELECT COUNT(*) FROM memberships m JOIN groups g ON g.id = m.group_id WHERE g.slug = 'city-gardeners'"),
            ("members who already had an account", "SELECT COUNT(*) FROM memberships m JOIN groups g ON g.id = m.group_id JOIN users u ON u.id = m.user_id WHERE g.slug = 'city-gardeners' AND u.email LIKE '%@example.org' AND u.id <= 15"),
            ("people in the target (none twice, whatever the case of their e-mail)", "SELECT COUNT(DISTINCT lower(email)) FROM users"),
            ("messages", "SELECT COUNT(*) FROM messages"),
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            ui.Line($"  {label}: {await command.ExecuteScalarAsync(cancellationToken)}");
        }
        ui.Line("");
        ui.Line($"Files are in {Path.GetFullPath(Directory)}. Read the archive without Ferry:");
        ui.Line($"  gpg --batch --passphrase-file {passwordFile} -d {archive} | tar -t");
        return ExitCodes.Success;
    }
}
