using System.Data.Common;
using System.Globalization;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Import;
using Ferry.Schema;
using Ferry.Sql;
using Ferry.Testing;

namespace Ferry;

/// <summary>
/// The import's SQL (<see cref="MergeSql"/>) run against a real database of one engine, in the order and on the
/// session <see cref="Importer"/> runs it, and judged by the rows it produces, not by its text: one subclass per engine
/// (SQLite, PostgreSQL, MariaDB), each in its engine's test project, as <see cref="CoreSqlContract"/> does for the
/// export's scope SQL. The target is the community fixture's (groups delta 1 and epsilon 2, users Bob 1, Zed 2 and
/// Yan 3, messages 1 to 3), whose application also drew group id 3 and deleted that row; the archive is the source's
/// group beta (2) with its members Ann (1), Bob (2) and Cat (3), its conversation, the three messages of its thread and
/// reactions to them and to the group (a polymorphic relation), users matched by e-mail (<c>--match users:email</c>):
/// Bob is the target's user 1. Where ids are drawn, the importer's own steps run (<see cref="Importer.RedrawAsync"/>,
/// <see cref="Importer.InsertDrawingAsync"/>). Engines differ only where the dialect declares it (ids drawn by the
/// insert or from a sequence, DDL that commits), and the tests branch on nothing else.
/// </summary>
public abstract class MergeSqlContract : IAsyncLifetime
{
    private const long TenantNo = 1;

    private TestDb? _db;
    private IDatabaseEngine? _engine;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private ISqlDialect? _d;
    private MergeSql? _sql;
    private DatabaseSchema? _schema;
    private IReadOnlyList<TableMerge>? _merges;
    private Importer.Runner? _run;

    /// <summary>The engine's name in <see cref="TestEngines.All"/>.</summary>
    protected abstract string Engine { get; }

    /// <summary>The engine's factory, as the command line registers it.</summary>
    protected abstract IEngineFactory Factory { get; }

    private static ManifestColumn Column(string name, FerryType type, bool nullable = false) => new(name, type, type.ToName(), nullable);

    private static ManifestForeignKey Key(string table, string column, string refTable, bool nullable = false) =>
        new($"{table}_{column}_fkey", table, [column], refTable, ["id"], nullable);

    private static ManifestForeignKey Polymorphic(string type, string refTable) =>
        new($"reactions_{type}", "reactions", ["target_id"], refTable, ["id"], false, new ManifestReference("column", TypeColumn: "target_type", TypeValue: type));

    // Reactions to a message or a group (target_type, target_id): a polymorphic relation of a profile, which no
    // constraint of the target declares. The same DDL on every engine (MariaDB's test sessions make the key AUTO_INCREMENT).
    private const string ReactionsTable =
        "CREATE TABLE reactions (id INTEGER PRIMARY KEY, target_type VARCHAR(20) NOT NULL, target_id BIGINT NOT NULL, label VARCHAR(20) NOT NULL)";

    private static readonly ManifestTable Reactions = new("reactions", "owned",
        [Column("id", FerryType.Int), Column("target_type", FerryType.Text), Column("target_id", FerryType.Int), Column("label", FerryType.Text)],
        ["id"], [Polymorphic("message", "messages"), Polymorphic("group", "groups")], []);

    // Group beta as an export writes it: tables in load order, the conversation's latest message the cycle's break;
    // with its reactions or without them.
    private static Manifest ArchiveOf(bool reactions) => new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:source.db"),
        new ManifestRoot("groups", ["2"]),
        [
            new ManifestTable("groups", "root",
                [Column("id", FerryType.Int), Column("slug", FerryType.Text), Column("name", FerryType.Text), Column("created_at", FerryType.Timestamp)],
                ["id"], [], []),
            new ManifestTable("users", "referenced",
                [Column("id", FerryType.Int), Column("email", FerryType.Text), Column("name", FerryType.Text), Column("current_group_id", FerryType.Int, true)],
                ["id"], [Key("users", "current_group_id", "groups", true)], []),
            new ManifestTable("memberships", "owned",
                [Column("group_id", FerryType.Int), Column("user_id", FerryType.Int), Column("role", FerryType.Text)],
                ["group_id", "user_id"], [Key("memberships", "group_id", "groups"), Key("memberships", "user_id", "users")], []),
            new ManifestTable("conversations", "owned",
                [Column("id", FerryType.Uuid), Column("group_id", FerryType.Int), Column("subject", FerryType.Text), Column("latest_message_id", FerryType.Int, true)],
                ["id"], [Key("conversations", "group_id", "groups"), Key("conversations", "latest_message_id", "messages", true)], []),
            new ManifestTable("messages", "owned",
                [Column("id", FerryType.Int), Column("conversation_id", FerryType.Uuid), Column("author_id", FerryType.Int),
                 Column("reply_to_id", FerryType.Int, true), Column("body", FerryType.Text)],
                ["id"], [Key("messages", "conversation_id", "conversations"), Key("messages", "author_id", "users"), Key("messages", "reply_to_id", "messages", true)], []),
            .. reactions ? [Reactions] : Array.Empty<ManifestTable>(),
        ],
        [Key("conversations", "latest_message_id", "messages", true)], [], []);

    private const string Uuid1 = CommunityFixture.Uuid1;

    // The archive's rows, per table, in the archive's columns (their in-memory form: long and text).
    private static Dictionary<string, object?[][]> Beta() => new(StringComparer.Ordinal)
    {
        ["groups"] = [[2L, "beta", "Beta ☕", "2024-02-01 11:30:00"]],
        ["users"] = [[1L, "ann@example.org", "Ann", 2L], [2L, "bob@example.org", "Bob", null], [3L, "cat@example.org", "Cat", null]],
        ["memberships"] = [[2L, 1L, "organizer"], [2L, 2L, "member"], [2L, 3L, "member"]],
        ["conversations"] = [[Uuid1, 2L, "Planning", 3L]],
        ["messages"] = [[1L, Uuid1, 1L, null, "Hello 👋"], [2L, Uuid1, 2L, 1L, "Hi!"], [3L, Uuid1, 3L, 2L, "It's on"]],
        ["reactions"] = [[1L, "message", 3L, "like"], [2L, "group", 2L, "cheer"], [3L, "message", 1L, "love"]],
    };

    public async Task InitializeAsync()
    {
        _db = await TestDb.CreateAsync(Engine, CommunityFixture.TargetData);
        // The application drew group 3 and deleted it: its generator stands past the table's highest id.
        await _db.ExecuteAsync("INSERT INTO groups (slug, name, created_at) VALUES ('gone', 'Gone', '2023-09-01 00:00:00'); DELETE FROM groups WHERE slug = 'gone'");
        await _db.ExecuteAsync(ReactionsTable);
        _engine = Factory.Create(_db.ConnectionString);
        _d = _engine.Dialect;
        _connection = await _engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        // Where DDL commits (MariaDB), the ledger's tables are created before the import's transaction (Importer.LedgerFirst).
        if (!_d.TransactionalDdl)
        {
            foreach (var statement in Ledger.Create(_d))
            {
                await SqlRunner.ExecuteAsync(_connection, null, statement, CancellationToken.None);
            }
        }
        _transaction = await _engine.BeginWriteAsync(_connection, CancellationToken.None);
        _run = new Importer.Runner(_connection, _transaction, CancellationToken.None);
        _schema = await _engine.ReadSchemaAsync(_connection, _transaction, CancellationToken.None);
        _sql = new MergeSql(_d);
        Plan(ArchiveOf(reactions: true));
    }

    // The merge plan of an archive, as Importer.ImportAsync makes it (users matched by e-mail).
    private void Plan(Manifest archive)
    {
        ManifestCheck.Validate(archive);
        _merges = MergePlan.Build(TransformPlan.None(archive), _schema!, [MatchRule.Parse("users:email")], null, _sql!.DrawnKey);
        Importer.DeferSelfReferences(_merges, _sql, _d!.ForeignKeyChecks is not null);
        foreach (var merge in _merges)
        {
            merge.StageDigests();
        }
    }

    public async Task DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync();
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    private TableMerge M(string table) => _merges!.Single(m => m.Target.Name == table);

    private Task<int> Run(string sql, params (string, object?)[] parameters) =>
        SqlRunner.ExecuteAsync(_connection!, _transaction, sql, CancellationToken.None, parameters);

    private Task<long> Count(string sql) => SqlRunner.CountAsync(_connection!, _transaction, sql, CancellationToken.None);

    // Each row's values joined by spaces, NULL as "-".
    private async Task<List<string>> Rows(string sql, params (string, object?)[] parameters) =>
        (await SqlRunner.QueryTextAsync(_connection!, _transaction, sql, CancellationToken.None, parameters))
        .Select(r => string.Join(" ", r.Select(v => v ?? "-"))).ToList();

    private Task<List<string>> MapOf(string table) => Rows($"SELECT o0, n0, matched FROM {_d!.TempTable(M(table).Map)} ORDER BY o0");

    /// <summary>
    /// Stages the rows (<see cref="Beta"/>, or those given) as the importer does: each table's stage created, its rows
    /// bulk-loaded with a source digest each (<c>sd-TABLE-N</c>), and the import's locks taken.
    /// </summary>
    private async Task StageAsync(Dictionary<string, object?[][]>? tables = null)
    {
        tables ??= Beta();
        foreach (var merge in _merges!)
        {
            await Run(_sql!.CreateStage(merge));
            var columns = merge.Loaded.Select(c => new StagingColumn(c.Name, c.Type, merge.Target.FindColumn(c.Name)))
                .Append(new StagingColumn(merge.DigestColumn!, FerryType.Text, null)).ToList();
            var rows = tables.GetValueOrDefault(merge.Target.Name, []).Select((r, i) => r.Append($"sd-{merge.Target.Name}-{i + 1}").ToArray()).ToList();
            merge.Staged = await _engine!.BulkLoadAsync(_connection!, _transaction!, merge.Stage, columns, rows.ToAsyncEnumerable(), CancellationToken.None);
            Assert.Equal(rows.Count, merge.Staged);
            if (_d!.AnalyzeTemp(merge.Stage) is { } analyze)
            {
                await Run(analyze);
            }
        }
        foreach (var statement in _d!.LockForImport(_merges.Select(m => m.Target.Name).ToList()))
        {
            await Run(statement);
        }
    }

    /// <summary>Builds every key map in load order as Importer.MapKeysAsync does: identities first, then fresh keys for the rest.</summary>
    private async Task MapKeysAsync()
    {
        foreach (var merge in _merges!.Where(m => m.HasMap))
        {
            await Run(_sql!.CreateMap(merge));
            foreach (var rule in merge.Matches)
            {
                await Run(_sql.MatchExisting(merge, rule));
            }
            await Run(_sql.MapRemaining(merge));
            if (_d!.AnalyzeTemp(merge.Map) is { } analyze)
            {
                await Run(analyze);
            }
        }
    }

    /// <summary>Gives the keys of relations inside staged values their new keys, as Importer.RewriteReferencesAsync does.</summary>
    private async Task RewriteAsync()
    {
        foreach (var merge in _merges!)
        {
            foreach (var (key, parent) in merge.Rewrites)
            {
                await Run(_sql!.RewriteReferences(merge, key, parent));
            }
        }
    }

    /// <summary>
    /// Writes the rows as Importer.ImportAsync does once every check passed: ids redrawn from the generators (after
    /// moving them past the table's ids), tables in write order, the checks of keys written unchecked switched off around
    /// their table's insert, ids drawn by the insert taken into the key map, then (<paramref name="deferred"/>) the
    /// columns written NULL first set, and every key written unchecked checked.
    /// </summary>
    private async Task WriteAsync(bool deferred = true)
    {
        var (merges, sql, d) = (_merges!, _sql!, _d!);
        await Importer.RedrawAsync(merges, sql, d, update: false, _run!);
        // The test's transaction is rolled back and its database dropped: the generators need no rewinding.
        var rewind = new Importer.GeneratorRewind(_connection!, d);
        var deferredKeys = merges.SelectMany(m => m.DeferredKeys).ToList();
        foreach (var statement in d.DeferConstraints(deferredKeys))
        {
            await Run(statement);
        }
        foreach (var merge in merges.OrderBy(m => m.WritePosition))
        {
            var checks = merge.UncheckedKeys.Count > 0 ? d.ForeignKeyChecks : null;
            if (checks is { } off)
            {
                await Run(off.Off);
            }
            if (sql.DrawnKey(merge) is { } j)
            {
                await Importer.InsertDrawingAsync(merges, merge, j, sql, _run!, d, rewind);
            }
            else
            {
                await Run(sql.Insert(merge));
            }
            if (checks is { } on)
            {
                await Run(on.On);
            }
        }
        if (!deferred)
        {
            return;
        }
        foreach (var merge in merges.Where(m => MergeSql.DeferredColumns(m).Count > 0))
        {
            await Run(sql.UpdateDeferred(merge));
        }
        foreach (var merge in merges)
        {
            foreach (var key in merge.DeferredKeys.Concat(merge.UncheckedKeys).Concat(merge.UncheckedKeys.Count > 0 ? merge.Target.ForeignKeys : []))
            {
                Assert.Empty(await Rows(sql.DanglingKey(merge, key)));
            }
        }
        foreach (var statement in d.CheckDeferredConstraints(deferredKeys))
        {
            await Run(statement);
        }
    }

    [Fact]
    public async Task New_rows_get_keys_past_every_id_the_target_handed_out_and_a_matched_row_the_existing_ones()
    {
        await StageAsync();
        await MapKeysAsync();

        // Group 3 was drawn by the application (and deleted): beta gets 4. Bob is the target's user 1, matched by e-mail;
        // Ann and Cat get 4 and 5 in the source's order, the messages 4 to 6.
        Assert.Equal(["2 4 0"], await MapOf("groups"));
        Assert.Equal(["1 4 0", "2 1 1", "3 5 0"], await MapOf("users"));
        Assert.Equal(["1 4 0", "2 5 0", "3 6 0"], await MapOf("messages"));
        Assert.Equal(1, await Count(_sql!.CountMatched(M("users"))));
        // A composite key of references (memberships) and a UUID key (conversations) are kept: they need no map.
        Assert.False(M("memberships").HasMap);
        Assert.False(M("conversations").HasMap);
    }

    [Fact]
    public async Task Rows_are_written_with_their_new_keys_and_every_reference_remapped()
    {
        await StageAsync();
        await MapKeysAsync();
        // What the importer checks before writing finds nothing in a consistent archive.
        foreach (var merge in _merges!)
        {
            foreach (var column in merge.Remapped.Keys)
            {
                Assert.Equal(0, await Count(_sql!.CountDangling(merge, column)));
            }
            foreach (var (key, parent) in merge.Rewrites)
            {
                Assert.Equal(0, await Count(_sql!.CountDanglingPolymorphic(merge, key, parent)));
            }
            foreach (var key in merge.Target.Uniques.Where(u => u.Columns.All(MergeSql.InsertColumns(merge).Contains)))
            {
                Assert.Empty(await Rows(_sql!.ExistingConflicts(merge, key, 20)));
                Assert.Empty(await Rows(_sql.DuplicateConflicts(merge, key, 20)));
            }
        }
        await RewriteAsync();

        await WriteAsync();

        Assert.Equal(["1 delta", "2 epsilon", "4 beta"], await Rows($"SELECT id, slug FROM {_d!.Table("groups")} ORDER BY id"));
        // Bob (matched) is neither inserted nor updated: the target's name and current group stay.
        Assert.Equal(["1 bob@example.org Robert (target) 1", "2 zed@example.org Zed 2", "3 yan@example.org Yan -", "4 ann@example.org Ann 4", "5 cat@example.org Cat -"],
            await Rows($"SELECT id, email, name, current_group_id FROM {_d.Table("users")} ORDER BY id"));
        Assert.Equal(["4 1 member", "4 4 organizer", "4 5 member"],
            await Rows($"SELECT group_id, user_id, role FROM {_d.Table("memberships")} WHERE group_id = 4 ORDER BY user_id"));
        Assert.Equal(["4 4 - Hello 👋", "5 1 4 Hi!", "6 5 5 It's on"],
            await Rows($"SELECT id, author_id, reply_to_id, body FROM {_d.Table("messages")} WHERE id > 3 ORDER BY id"));
        Assert.Equal(["4 Planning 6"], await Rows($"SELECT group_id, subject, latest_message_id FROM {_d.Table("conversations")} WHERE group_id = 4"));
        // A polymorphic relation follows the table its type names: message 3 is now 6, group 2 is 4, message 1 is 4.
        Assert.Equal(["1 message 6 like", "2 group 4 cheer", "3 message 4 love"],
            await Rows($"SELECT id, target_type, target_id, label FROM {_d.Table("reactions")} ORDER BY id"));
        // The key maps hold the ids the rows were written with, however they were drawn.
        Assert.Equal(["1 4 0", "2 1 1", "3 5 0"], await MapOf("users"));
        Assert.Equal(["1 4 0", "2 5 0", "3 6 0"], await MapOf("messages"));
    }

    [Fact]
    public async Task A_cycles_nullable_key_is_written_null_and_set_once_the_row_it_points_at_exists()
    {
        await StageAsync();
        await MapKeysAsync();
        await RewriteAsync();
        Assert.Contains("latest_message_id", M("conversations").Deferred);

        await WriteAsync(deferred: false);
        var latest = $"SELECT latest_message_id FROM {_d!.Table("conversations")} WHERE group_id = 4";
        Assert.Equal(["-"], await Rows(latest));

        await Run(_sql!.UpdateDeferred(M("conversations")));
        Assert.Equal(["6"], await Rows(latest));
        // The target's own conversation is left alone.
        Assert.Equal(["-"], await Rows($"SELECT latest_message_id FROM {_d.Table("conversations")} WHERE group_id = 2"));
    }

    /// <summary>
    /// Where fresh ids come from a generator that other sessions draw from too (a sequence that the import draws from
    /// once every check has passed, an AUTO_INCREMENT that its inserts draw from), ids the application draws after the
    /// keys were mapped are not handed out again: the rows take the ids drawn after them, and every reference follows
    /// (the key maps redrawn, or given the ids the insert drew and the self-references written with the provisional ones
    /// set again). Where the import writes the highest id plus a row number under the database's write lock (SQLite),
    /// no one else can draw meanwhile, and there is nothing to test.
    /// </summary>
    [Fact]
    public async Task Ids_the_application_draws_after_the_keys_are_mapped_are_not_handed_out_again()
    {
        if (_d!.Ids == IdGeneration.Explicit && _d.NextId(M("messages").Target.GetColumn("id")) is null)
        {
            return;
        }
        // Without relations inside staged values, which would stop the import (the next test).
        Plan(ArchiveOf(reactions: false));
        await StageAsync();
        await MapKeysAsync();
        await RewriteAsync();
        Assert.Equal(["1 4 0", "2 5 0", "3 6 0"], await MapOf("messages"));
        // The application writes between the checks and the inserts (on the import's own session, which its locks let through).
        await Run($"INSERT INTO {_d.Table("users")} (email, name) VALUES ('late@example.org', 'Late')");
        await Run($"INSERT INTO {_d.Table("messages")} (conversation_id, author_id, body) VALUES ('{CommunityFixture.Uuid2}', 2, 'late')");

        await WriteAsync();

        Assert.Equal(["4 late@example.org -", "5 ann@example.org 4", "6 cat@example.org -"],
            await Rows($"SELECT id, email, current_group_id FROM {_d.Table("users")} WHERE id > 3 ORDER BY id"));
        Assert.Equal(["4 2 - late", "5 5 - Hello 👋", "6 1 5 Hi!", "7 6 6 It's on"],
            await Rows($"SELECT id, author_id, reply_to_id, body FROM {_d.Table("messages")} WHERE id > 3 ORDER BY id"));
        Assert.Equal(["4 1", "4 5", "4 6"], await Rows($"SELECT group_id, user_id FROM {_d.Table("memberships")} WHERE group_id = 4 ORDER BY user_id"));
        Assert.Equal(["7"], await Rows($"SELECT latest_message_id FROM {_d.Table("conversations")} WHERE group_id = 4"));
        Assert.Equal(["1 5 0", "2 1 1", "3 6 0"], await MapOf("users"));
        Assert.Equal(["1 5 0", "2 6 0", "3 7 0"], await MapOf("messages"));
    }

    /// <summary>
    /// The keys of a relation inside staged values (polymorphic, array, JSON) are rewritten before anything is written,
    /// with the ids the key maps hold then: when the ids a table then gets are others (the application drew some
    /// meanwhile), the import stops before the references could point at the wrong rows. Nothing to test where no one
    /// else can draw (SQLite, see above).
    /// </summary>
    [Fact]
    public async Task Ids_that_move_after_a_relation_inside_staged_values_was_rewritten_stop_the_import()
    {
        if (_d!.Ids == IdGeneration.Explicit && _d.NextId(M("messages").Target.GetColumn("id")) is null)
        {
            return;
        }
        await StageAsync();
        await MapKeysAsync();
        await RewriteAsync();
        Assert.Equal(["1 message 6 like", "2 group 4 cheer", "3 message 4 love"],
            await Rows($"SELECT id, target_type, target_id, label FROM {_d.TempTable(M("reactions").Stage)} ORDER BY id"));
        await Run($"INSERT INTO {_d.Table("messages")} (conversation_id, author_id, body) VALUES ('{CommunityFixture.Uuid2}', 2, 'late')");

        var e = await Assert.ThrowsAsync<FerryException>(() => WriteAsync());

        Assert.Contains("reactions.target_id", e.Message, StringComparison.Ordinal);
        Assert.Contains("import again", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_applications_next_insert_gets_an_id_past_the_imported_rows()
    {
        await StageAsync();
        await MapKeysAsync();
        await RewriteAsync();
        await WriteAsync();
        foreach (var statement in _merges!.SelectMany(m => _d!.SyncGenerators(m.Target)))
        {
            await Run(statement);
        }

        await Run($"INSERT INTO {_d!.Table("groups")} (slug, name, created_at) VALUES ('next', 'Next', '2025-01-01 00:00:00')");
        await Run($"INSERT INTO {_d.Table("users")} (email, name) VALUES ('next@example.org', 'Next')");
        await Run($"INSERT INTO {_d.Table("messages")} (conversation_id, author_id, body) VALUES ('{Uuid1}', 4, 'next')");

        // The rows imported end at group 4, user 5 and message 6. The next ids are past them, though not always right after:
        // InnoDB reserves the ids of an INSERT … SELECT in growing blocks (1, 2, 4, …) and skips those it did not use.
        Assert.InRange(await IdAsync("groups", "slug = 'next'"), 5, long.MaxValue);
        Assert.InRange(await IdAsync("users", "email = 'next@example.org'"), 6, long.MaxValue);
        Assert.InRange(await IdAsync("messages", "body = 'next'"), 7, long.MaxValue);
    }

    private async Task<long> IdAsync(string table, string where) =>
        long.Parse((await Rows($"SELECT id FROM {_d!.Table(table)} WHERE {where}")).Single(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Unique_values_the_target_holds_and_values_incoming_rows_share_are_conflicts()
    {
        var rows = Beta();
        rows["groups"] = [.. rows["groups"], [5L, "delta", "Delta again", "2024-01-01 00:00:00"],
            [7L, "gamma", "Gamma", "2024-01-01 00:00:00"], [8L, "gamma", "Gamma too", "2024-01-01 00:00:00"]];
        await StageAsync(rows);
        await MapKeysAsync();
        var groups = M("groups");
        var slug = groups.Target.Uniques.Single(u => u.Columns.SequenceEqual(["slug"]));
        var email = M("users").Target.Uniques.Single(u => u.Columns.SequenceEqual(["email"]));

        Assert.Equal(["delta"], await Rows(_sql!.ExistingConflicts(groups, slug, 20)));
        Assert.Equal(1, await Count(_sql.CountExistingConflicts(groups, slug)));
        Assert.Equal(["gamma 2"], await Rows(_sql.DuplicateConflicts(groups, slug, 20)));
        Assert.Equal(1, await Count(_sql.CountDuplicateConflicts(groups, slug)));
        // Bob's e-mail is the target's, but his row is matched to the target's, not inserted: no conflict.
        Assert.Empty(await Rows(_sql.ExistingConflicts(M("users"), email, 20)));
        Assert.Equal(0, await Count(_sql.CountExistingConflicts(M("users"), email)));
    }

    [Fact]
    public async Task A_reference_to_a_row_the_archive_does_not_hold_is_dangling()
    {
        var rows = Beta();
        // Dan's current group (alpha, 1) and user 9 of a membership are not in the archive; NULL references are no dangling ones.
        rows["users"] = [.. rows["users"], [4L, "dan@example.org", "Dan", 1L]];
        rows["memberships"] = [.. rows["memberships"], [2L, 9L, "member"]];
        // A reaction to message 9, which the archive lacks, and one of a type no relation names.
        rows["reactions"] = [.. rows["reactions"], [4L, "message", 9L, "lost"], [5L, "photo", 9L, "other"]];
        await StageAsync(rows);
        await MapKeysAsync();
        var reactions = M("reactions");

        Assert.Equal(1, await Count(_sql!.CountDangling(M("users"), "current_group_id")));
        Assert.Equal(1, await Count(_sql.CountDangling(M("memberships"), "user_id")));
        Assert.Equal(0, await Count(_sql.CountDangling(M("memberships"), "group_id")));
        Assert.Equal(0, await Count(_sql.CountDangling(M("messages"), "reply_to_id")));
        Assert.Equal(0, await Count(_sql.CountDangling(M("messages"), "author_id")));
        Assert.Equal(1, await Count(_sql.CountDanglingPolymorphic(reactions, reactions.Rewrites[0].Key, reactions.Rewrites[0].Parent)));
        Assert.Equal(0, await Count(_sql.CountDanglingPolymorphic(reactions, reactions.Rewrites[1].Key, reactions.Rewrites[1].Parent)));
    }

    [Fact]
    public async Task The_ledger_records_each_rows_target_key_and_maps_it_back_on_the_next_import()
    {
        await StageAsync();
        await MapKeysAsync();
        await RewriteAsync();
        await WriteAsync();
        if (_d!.TransactionalDdl)
        {
            foreach (var statement in Ledger.Create(_d))
            {
                await Run(statement);
            }
        }
        foreach (var merge in _merges!.Where(MergeSql.InLedger))
        {
            await Run(_sql!.RecordRows(merge), ("tenant_no", TenantNo), ("table", merge.Target.Name), ("no", 1L));
        }

        Assert.Equal(["groups 2 4 sd-groups-1", "users 1 4 sd-users-1", "users 2 1 sd-users-2", "users 3 5 sd-users-3"],
            await Rows($"SELECT table_name, source_key, target_key, source_digest FROM {_d.Table(Ledger.Rows)} " +
                       "WHERE table_name IN ('groups', 'users') ORDER BY table_name, source_key"));
        // A composite key of references is recorded with its new values: (2, 1) is the membership of group 4 and user 4.
        Assert.Equal(["1:2,1:1 1:4,1:4", "1:2,1:2 1:4,1:1", "1:2,1:3 1:4,1:5"],
            await Rows($"SELECT source_key, target_key FROM {_d.Table(Ledger.Rows)} WHERE table_name = 'memberships' ORDER BY source_key"));
        Assert.All(await Rows($"SELECT digest FROM {_d.Table(Ledger.Rows)}"), d => Assert.Matches("^[0-9a-f]{64}$", d));

        // The next import of the tenant (--update) maps the rows through the ledger; Cat changed at the source.
        var users = M("users");
        users.Updating = true;
        await Run(_d.DropTempTable(users.Map));
        await Run(_sql!.CreateMap(users));
        await Run($"UPDATE {_d.TempTable(users.Stage)} SET {_d.Quote(users.DigestColumn!)} = 'sd-changed' WHERE id = 3");
        await Run(_sql.MapFromLedger(users), ("tenant_no", TenantNo), ("table", "users"), ("no", 0L));

        Assert.Equal(["1 4 2 0", "2 1 2 0", "3 5 2 1"],
            await Rows($"SELECT o0, n0, matched, changed FROM {_d.TempTable(users.Map)} ORDER BY o0"));
    }
}
