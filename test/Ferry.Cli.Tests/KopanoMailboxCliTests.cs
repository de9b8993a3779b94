using System.Globalization;
using System.Security.Cryptography;
using Ferry.Testing;
using static Ferry.Testing.KopanoStores;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 15, "no declared foreign keys": Kopano's mailbox tables on MariaDB, which declare none, described entirely by a
/// profile (virtual relations, a composite natural key, AUTO_INCREMENT columns inside composite primary keys, attachments
/// kept as files named after their instance id). One mailbox moves from a live MariaDB to another live MariaDB
/// (<c>mariadb-other</c>: the server of <c>FERRY_TEST_MARIADB_OTHER</c>, or another database of the same server) and to
/// PostgreSQL, into a target that already holds a mailbox and the user, through the CLI.
/// </summary>
public sealed class KopanoMailboxCliTests() : CliScratch("ferry-mailbox-")
{
    public static TheoryData<string> MailboxTargets => new() { "mariadb-other", "postgres" };

    private string SourceFiles => Path.Combine(Dir, "source-attachments");

    private string TargetFiles => Path.Combine(Dir, "target-attachments");

    private string ProfilePath => Path.Combine(Dir, "kopano.yaml");

    private async Task<(TestDb Source, TestDb Target)> CreateAsync(string to)
    {
        var source = Keep(await TestDb.CreateAsync("mariadb", MailboxSchema, MailboxSourceData));
        var target = Keep(await TestDb.CreateAsync(to, MailboxSchema, MailboxTargetData));
        WriteFiles(SourceFiles, AttachmentFiles("ann", 1, 6).Concat(AttachmentFiles("bob", 50, 3)).Concat(AttachmentFiles("carol", 80, 2)));
        WriteFiles(TargetFiles, AttachmentFiles("dave", 1, 2));
        await File.WriteAllTextAsync(ProfilePath, MailboxProfileYaml);
        return (source, target);
    }

    private static void WriteFiles(string store, IEnumerable<(string Path, byte[] Content)> files)
    {
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(store, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, content);
        }
    }

    private async Task<string> ExportAsync(TestDb source, int store)
    {
        var archive = Path.Combine(Dir, $"store-{store}.tar.gz");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", ProfilePath, "--ids", $"{store}",
            "--no-encrypt", "-o", archive, "--files", $"{AttachmentStore}={SourceFiles}"]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        return archive;
    }

    private Task<CliRun> ImportAsync(TestDb target, string archive, params string[] extra) =>
        CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", ProfilePath,
            "--files", $"{AttachmentStore}={TargetFiles}", .. extra]);

    [Theory]
    [MemberData(nameof(MailboxTargets))]
    public async Task A_mailbox_moves_between_live_servers_with_its_attachments_at_the_paths_its_new_ids_give(string to)
    {
        var (source, target) = await CreateAsync(to);
        var sourceBefore = await source.DumpAsync();
        var daveBefore = await Listing(target, "dave");

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", ProfilePath, "--ids", "1"]);
        var import = await ImportAsync(target, await ExportAsync(source, 1));

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains(plan.StdoutText.Split('\n'), l => l.StartsWith("singleinstances ", StringComparison.Ordinal) && l.Contains(" owned ", StringComparison.Ordinal));
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains("6 files (", import.Stderr, StringComparison.Ordinal);
        Assert.Equal(sourceBefore, await source.DumpAsync());
        // ann was matched by (externid, objectclass): her mailbox is the target's ann's (id 2), not a copy's.
        await AssertMailboxArrivedAsync(source, target, "ann", user: "2", messages: 6);
        Assert.Equal(["ann 2", "dave 1"], (await target.QueryAsync("SELECT externid, id FROM users ORDER BY externid")).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal(daveBefore, await Listing(target, "dave"));
        Assert.Equal(2 + 6, Directory.EnumerateFiles(TargetFiles, "*", SearchOption.AllDirectories).Count());

        // A second mailbox, whose user the target does not know: bob arrives with it.
        var second = await ImportAsync(target, await ExportAsync(source, 2));

        Assert.True(second.ExitCode == 0, second.Stderr);
        var bob = await target.ScalarAsync("SELECT id FROM users WHERE externid = 'bob'");
        Assert.Equal("3", bob);
        await AssertMailboxArrivedAsync(source, target, "bob", user: bob!, messages: 3);
        await AssertMailboxArrivedAsync(source, target, "ann", user: "2", messages: 6);
        Assert.Equal(daveBefore, await Listing(target, "dave"));
        Assert.Equal($"{TreeSize(2) + TreeSize(6) + TreeSize(3)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy"));
        Assert.Equal($"{2 + 6 + 3}", await target.ScalarAsync("SELECT COUNT(*) FROM singleinstances"));
        Assert.Equal(2 + 6 + 3, Directory.EnumerateFiles(TargetFiles, "*", SearchOption.AllDirectories).Count());
        Assert.False(Directory.Exists(Path.Combine(TargetFiles, "imported")));

        await AssertTheServerGoesOnAsync(target);
    }

    /// <summary>
    /// What makes the ids an insert draws right when the server's counters move while the import runs (an application
    /// writing), made deterministic with triggers: a user's insert moves the hierarchy's and the instances' counters on,
    /// a property's insert the users' counter. The store's root, the instances' attachments and the tree's owner still
    /// point at the rows the import wrote, and the files take the ids drawn.
    /// </summary>
    [Fact]
    public async Task Counters_the_application_moves_during_the_import_shift_no_link_and_no_file()
    {
        var (source, target) = await CreateAsync("mariadb-other");
        await target.ExecuteAsync("""
            CREATE TRIGGER app_after_user AFTER INSERT ON users FOR EACH ROW BEGIN
              INSERT INTO hierarchy (parent, type, owner) VALUES (NULL, 3, 0); DELETE FROM hierarchy WHERE id = LAST_INSERT_ID();
              INSERT INTO singleinstances (hierarchyid, tag) VALUES (0, NEW.id); DELETE FROM singleinstances WHERE hierarchyid = 0 AND tag = NEW.id;
            END;
            CREATE TRIGGER app_after_property AFTER INSERT ON properties FOR EACH ROW BEGIN
              INSERT INTO users (externid, objectclass) VALUES (CONCAT('app-', NEW.hierarchyid, '-', NEW.tag), 1); DELETE FROM users WHERE objectclass = 1;
            END;
            """);

        var import = await ImportAsync(target, await ExportAsync(source, 2));

        Assert.True(import.ExitCode == 0, import.Stderr);
        var bob = await target.ScalarAsync("SELECT id FROM users WHERE externid = 'bob'");
        await AssertMailboxArrivedAsync(source, target, "bob", user: bob!, messages: 3);
        // The counters did move: the ids drawn are past the ones the key maps had in mind (hierarchy 10, instance 3).
        Assert.Equal("11", await target.ScalarAsync("SELECT hierarchy_id FROM stores WHERE user_name = 'bob'"));
        Assert.Equal("1", await target.ScalarAsync($"SELECT CASE WHEN MIN(instanceid) > 3 THEN 1 ELSE 0 END FROM singleinstances WHERE instanceid > 2"));
    }

    [Theory]
    [MemberData(nameof(MailboxTargets))]
    public async Task A_file_already_where_a_new_attachment_goes_fails_the_import_and_changes_nothing(string to)
    {
        var (source, target) = await CreateAsync(to);
        var archive = await ExportAsync(source, 1);
        // The target's instances are 1 and 2: the first new one is 3, ann's first attachment.
        WriteFiles(TargetFiles, [(AttachmentPath(3), "stray"u8.ToArray())]);
        var before = Rows(await target.DumpAsync());
        var files = Files(TargetFiles);

        var import = await ImportAsync(target, archive);

        import.AssertFails(ExitCodes.Failure, "1 imported file(s) cannot take their derived path: singleinstances '3/0/3' already exists in store attachments");
        // Rows and (on MariaDB) AUTO_INCREMENT counters as they were; a PostgreSQL sequence keeps the ids drawn (nextval is not undone).
        Assert.Equal(before, Rows(await target.DumpAsync()));
        Assert.Equal(files, Files(TargetFiles));
        Assert.False(Directory.Exists(Path.Combine(TargetFiles, "imported")));

        // Once the stray file is gone, the same archive imports.
        File.Delete(Path.Combine(TargetFiles, AttachmentPath(3)));
        var again = await ImportAsync(target, archive);
        Assert.True(again.ExitCode == 0, again.Stderr);
        await AssertMailboxArrivedAsync(source, target, "ann", user: "2", messages: 6);
    }

    [Theory]
    [MemberData(nameof(MailboxTargets))]
    public async Task A_dry_run_leaves_the_target_and_its_attachments_as_they_were(string to)
    {
        var (source, target) = await CreateAsync(to);
        var archive = await ExportAsync(source, 1);
        var before = Rows(await target.DumpAsync());
        var files = Files(TargetFiles);

        var run = await ImportAsync(target, archive, "--dry-run");

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("6 files (", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Rows(await target.DumpAsync()));
        Assert.Equal(files, Files(TargetFiles));
    }

    [Fact]
    public async Task A_subject_a_latin1_column_cannot_store_is_one_error_line_and_changes_nothing()
    {
        var (source, target) = await CreateAsync("mariadb-other");
        // The target's own text fits Latin-1 (as it must, to be stored there).
        await target.ExecuteAsync("UPDATE properties SET val_string = 'dave message 1' WHERE val_string LIKE 'dave:%'; " +
                                  "ALTER TABLE properties MODIFY val_string longtext CHARACTER SET latin1");
        var archive = await ExportAsync(source, 1);
        var before = await target.DumpAsync();
        var files = Files(TargetFiles);

        var import = await ImportAsync(target, archive);

        import.AssertFails(ExitCodes.Failure, "a value does not fit the target: table properties, column val_string: " +
                                              "'ann: Grüße 👋 日本 — it's \"quoted\"' holds 👋 (U+1F44B), 日 (U+65E5), 本 (U+672C), which the column");
        Assert.Equal(before, await target.DumpAsync());
        Assert.Equal(files, Files(TargetFiles));
    }

    /// <summary>
    /// Every row of <paramref name="name"/>'s mailbox arrived once, with every link to the target's own rows: the listing
    /// (names, types, sizes, entry ids) equals the source's, nothing dangles, the store points at the root of its own tree
    /// and belongs to <paramref name="user"/> like every row of the tree, and each attachment's file is at the path of its
    /// new instance id with its content.
    /// </summary>
    private async Task AssertMailboxArrivedAsync(TestDb source, TestDb target, string name, string user, int messages)
    {
        Assert.Equal(await Listing(source, name), await Listing(target, name));
        Assert.Equal(TreeSize(messages), (await Listing(target, name)).Length);
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy h WHERE h.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hierarchy p WHERE p.id = h.parent)"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM properties p WHERE NOT EXISTS (SELECT 1 FROM hierarchy h WHERE h.id = p.hierarchyid)"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM singleinstances i WHERE NOT EXISTS (SELECT 1 FROM hierarchy h WHERE h.id = i.hierarchyid AND h.type = 7)"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM stores s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)"));
        Assert.Equal($"{name}'s store 1 {user}", await target.ScalarAsync(
            $"SELECT n.val_string || ' ' || h.type || ' ' || s.user_id FROM stores s JOIN hierarchy h ON h.id = s.hierarchy_id " +
            $"JOIN properties n ON n.hierarchyid = h.id AND n.tag = {DisplayName} WHERE s.user_name = '{name}'"));
        Assert.Equal("1", await target.ScalarAsync($"SELECT COUNT(*) FROM stores WHERE user_name = '{name}'"));
        Assert.Equal($"{TreeSize(messages)}", await target.ScalarAsync($"SELECT COUNT(*) FROM hierarchy WHERE owner = {user}"));
        var instances = await target.QueryAsync(InstancesQuery(name));
        Assert.Equal(messages, instances.Count);
        foreach (var row in instances)
        {
            var m = int.Parse(row[0]![$"{name} attachment ".Length..], CultureInfo.InvariantCulture) - 1;
            var id = long.Parse(row[1]!, CultureInfo.InvariantCulture);
            var path = Path.Combine(TargetFiles, AttachmentPath(id) + (Compressed(m) ? ".gz" : ""));
            Assert.True(File.Exists(path), $"{name}'s attachment {m + 1} (instance {id}) has no file at {path}");
            Assert.Equal(AttachmentContent(name, m), await File.ReadAllBytesAsync(path));
        }
    }

    /// <summary>The server writes on: a folder, a store and an attachment instance get ids past every imported one.</summary>
    private static async Task AssertTheServerGoesOnAsync(TestDb target)
    {
        var maxima = await target.QueryAsync("SELECT (SELECT MAX(id) FROM hierarchy), (SELECT MAX(id) FROM stores), (SELECT MAX(instanceid) FROM singleinstances)");
        await target.ExecuteAsync("INSERT INTO hierarchy (parent, type, flags, owner) SELECT hierarchy_id, 3, 0, user_id FROM stores WHERE user_name = 'ann'");
        await target.ExecuteAsync($"INSERT INTO stores (hierarchy_id, user_id, type, user_name, company, guid) SELECT MAX(id), 2, 1, 'ann-public', 0, {Guid(target.Engine == TestEngines.Postgres, 9)} FROM hierarchy");
        await target.ExecuteAsync($"INSERT INTO singleinstances (hierarchyid, tag) SELECT MAX(id), {AttachDataBin} FROM hierarchy");
        var next = await target.QueryAsync("SELECT (SELECT MAX(id) FROM hierarchy), (SELECT MAX(id) FROM stores), (SELECT MAX(instanceid) FROM singleinstances)");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(long.Parse(next[0][i]!, CultureInfo.InvariantCulture) > long.Parse(maxima[0][i]!, CultureInfo.InvariantCulture), $"column {i}: {maxima[0][i]} → {next[0][i]}");
        }
    }

    private static async Task<string[]> Listing(TestDb db, string name) =>
        (await db.QueryAsync(MailboxQuery(name))).Select(r => r[0]!).Order(StringComparer.Ordinal).ToArray();

    private static string[] Rows(string dump) => dump.Split('\n').Where(l => !l.StartsWith("sequence ", StringComparison.Ordinal)).ToArray();

    private static string[] Files(string store) =>
        Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(store, p)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(p)))}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
