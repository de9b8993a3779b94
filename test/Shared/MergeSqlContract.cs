using System.Data.Common;
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
public abstract partial class MergeSqlContract : IAsyncLifetime
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

    public Task DisposeAsync() => Disposal.DisposeAllAsync(_transaction, _connection, _db);

    private TableMerge M(string table) => _merges!.Single(m => m.Target.Name == table);

    private Task<int> Run(string sql, params (string, object?)[] parameters) =>
        SqlRunner.ExecuteAsync(_connection!, _transaction, sql, CancellationToken.None, parameters);

    private Task<long> Count(string sql) => SqlRunner.CountAsync(_connection!, _transaction, sql, CancellationToken.None);

    // Each row's values joined by spaces, NULL as "-".
    private async Task<List<string>> Rows(string sql, params (string, object?)[] parameters) =>
        (await SqlRunner.QueryTextAsync(_connection!, _transaction, sql, CancellationToken.None, parameters))
        .Select(r => string.Join(" ", r.Select(v => v ?? "-"))).ToList();

    private Task<List<string>> MapOf(string table) => Rows($"SELECT o0, n0, matched FROM {_d!.TempTable(M(table).Map)} ORDER BY o0");
}
