using System.Data.Common;
using Ferry.Engines;
using Ferry.Export;
using Ferry.Planning;
using Ferry.Schema;
using Ferry.Sql;
using Ferry.Testing;

namespace Ferry;

/// <summary>
/// The scope SQL the core builds (<see cref="ScopeSql"/>), run against a real database of one engine and judged by the
/// rows it selects, not by its text: one subclass per engine (SQLite, PostgreSQL, MariaDB), each in its engine's test
/// project, runs the same tests on the community fixture's group beta (root 2: members Ann, Bob and Cat, of whom only
/// Ann's current group is beta). The tests that pin the SQL text (CoreSqlTests) say what is built; these say it works.
/// </summary>
public abstract class CoreSqlContract : IAsyncLifetime
{
    private TestDb? _db;
    private DbConnection? _connection;
    private DbTransaction? _snapshot;
    private DatabaseSchema? _schema;
    private ScopeSql? _sql;

    /// <summary>The engine's name in <see cref="TestEngines.All"/>.</summary>
    protected abstract string Engine { get; }

    /// <summary>The engine's factory, as the command line registers it.</summary>
    protected abstract IEngineFactory Factory { get; }

    public async Task InitializeAsync()
    {
        _db = await TestDb.CreateAsync(Engine, CommunityFixture.SourceData);
        var engine = Factory.Create(_db.ConnectionString);
        _connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        _snapshot = await engine.BeginSnapshotAsync(_connection, CancellationToken.None);
        _schema = await engine.ReadSchemaAsync(_connection, _snapshot, CancellationToken.None);
        var plan = Planner.Build(new PlanRequest(_schema, "groups", [], []));
        _sql = new ScopeSql(engine.Dialect, plan);
        foreach (var table in plan.Tables)
        {
            await Run(_sql.CreateKeyTable(_schema.Get(table.Name)));
        }
    }

    public Task DisposeAsync() => Disposal.DisposeAllAsync(_snapshot, _connection, _db);

    private Table T(string name) => _schema!.Get(name);

    private ForeignKey Key(string table, string refTable) => T(table).ForeignKeys.Single(k => k.RefTable == refTable);

    private Task<int> Run(string sql, params (string, object?)[] parameters) =>
        SqlRunner.ExecuteAsync(_connection!, _snapshot, sql, CancellationToken.None, parameters);

    private async Task<List<string?[]>> Query(string sql) => await SqlRunner.QueryTextAsync(_connection!, _snapshot, sql, CancellationToken.None);

    // Group beta, its memberships (owned), and the users they point at (referenced).
    private async Task ScopeBetaAsync()
    {
        await Run(_sql!.InsertRoots(T("groups"), "id", 1), ("id0", 2L));
        await Run(_sql.PullChildren(Key("memberships", "groups"), T("memberships"), T("groups")));
        await Run(_sql.PullReferenced(Key("memberships", "users"), T("memberships"), T("users")));
    }

    [Fact]
    public async Task Roots_owned_rows_and_referenced_rows_fill_the_key_tables()
    {
        await ScopeBetaAsync();

        Assert.Equal(["2"], (await Query(_sql!.FoundRoots(T("groups"), "id"))).Select(r => r[0]));
        Assert.Equal(3, await SqlRunner.CountAsync(_connection!, _snapshot, _sql.CountScoped(T("memberships")), CancellationToken.None));
        Assert.Equal(3, await SqlRunner.CountAsync(_connection!, _snapshot, _sql.CountScoped(T("users")), CancellationToken.None));
        // Pulled once each: a second pass adds nothing.
        Assert.Equal(0, await Run(_sql.PullReferenced(Key("memberships", "users"), T("memberships"), T("users"))));
        Assert.Equal(0, await Run(_sql.PullChildren(Key("memberships", "groups"), T("memberships"), T("groups"))));
    }

    [Fact]
    public async Task Referenced_rows_already_scoped_and_null_references_pull_nothing()
    {
        await ScopeBetaAsync();
        var edge = Key("users", "groups");

        // Ann's current group is beta (the root, scoped already), Bob's alpha, Cat has none: alpha alone is added.
        Assert.Equal(1, await Run(_sql!.PullReferenced(edge, T("users"), T("groups"))));
        Assert.Equal(0, await Run(_sql.PullReferenced(edge, T("users"), T("groups"))));
        Assert.Equal(2, await SqlRunner.CountAsync(_connection!, _snapshot, _sql.CountScoped(T("groups")), CancellationToken.None));
    }

    [Fact]
    public async Task A_reference_leaving_the_scope_is_counted_as_a_cut_and_reads_as_null()
    {
        await ScopeBetaAsync();
        var edge = Key("users", "groups");
        var keeps = _sql!.Keeps(edge, T("groups"));

        // Bob's current group (alpha) is outside the scope; Cat has none; Ann's is beta.
        Assert.Equal("1", (await Query(_sql.CountCuts(T("users"), [(edge, T("groups"))]))).Single()[0]);
        var rows = await Query(_sql.Select(T("users"), new Dictionary<string, string> { ["current_group_id"] = keeps }));
        var columns = T("users").Columns.Select(c => c.Name).ToList();
        var (email, group) = (columns.IndexOf("email"), columns.IndexOf("current_group_id"));
        Assert.Equal(["ann@example.org 2", "bob@example.org -", "cat@example.org -"],
            rows.Select(r => $"{r[email]} {r[group] ?? "-"}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_id_that_no_row_has_selects_no_root()
    {
        await Run(_sql!.InsertRoots(T("groups"), "id", 2), ("id0", 2L), ("id1", 99L));

        Assert.Equal(["2"], (await Query(_sql.FoundRoots(T("groups"), "id"))).Select(r => r[0]));
    }
}
