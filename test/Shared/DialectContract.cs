using System.Data.Common;
using Ferry.Engines;
using Ferry.Schema;
using Ferry.Sql;
using Ferry.Testing;

namespace Ferry;

/// <summary>
/// The whole statements and expressions an engine's dialect gives the core where engines differ (<see cref="ISqlDialect"/>:
/// temporary tables, an UPDATE from a join, casts to Ferry's types, concatenation, the ledger's digest, the highest id
/// handed out), run against a real database of one engine and judged by what they do. One subclass per engine (SQLite,
/// PostgreSQL, MariaDB) in its engine's test project, as <see cref="CoreSqlContract"/> does for the scope SQL.
/// </summary>
public abstract class DialectContract : IAsyncLifetime
{
    private TestDb? _db;
    private DbConnection? _connection;
    private DbTransaction? _transaction;
    private ISqlDialect? _d;
    private DatabaseSchema? _schema;

    /// <summary>The engine's name in <see cref="TestEngines.All"/>.</summary>
    protected abstract string Engine { get; }

    /// <summary>The engine's factory, as the command line registers it.</summary>
    protected abstract IEngineFactory Factory { get; }

    public async Task InitializeAsync()
    {
        _db = await TestDb.CreatePerEngineAsync(Engine,
            engine => engine == TestEngines.Postgres
                ? "CREATE TABLE items (id bigserial PRIMARY KEY, name text, amount bigint)"
                : "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER)",
            _ => "INSERT INTO items (id, name, amount) VALUES (1, 'a', 10), (2, 'b', NULL), (5, NULL, 30)");
        var engine = Factory.Create(_db.ConnectionString);
        _connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        // One transaction, as an import's (PostgreSQL's temporary tables end with it).
        _transaction = await _connection.BeginTransactionAsync();
        _schema = await engine.ReadSchemaAsync(_connection, _transaction, CancellationToken.None);
        _d = engine.Dialect;
    }

    public Task DisposeAsync() => Disposal.DisposeAllAsync(_transaction, _connection, _db);

    private Task<int> Run(string sql) => SqlRunner.ExecuteAsync(_connection!, _transaction, sql, CancellationToken.None);

    private async Task<List<string?[]>> Query(string sql) => await SqlRunner.QueryTextAsync(_connection!, _transaction, sql, CancellationToken.None);

    private async Task<string?> Scalar(string sql) => (await Query(sql)).Single()[0];

    // A scratch table of (k, v), keyed on k, holding the given rows.
    private async Task<string> ScratchAsync(string name, params (long K, string V)[] rows)
    {
        await Run(_d!.CreateTempTable(name, [("k", _d.StagingType(FerryType.Int)), ("v", _d.StagingType(FerryType.Text))], ["k"]));
        foreach (var (k, v) in rows)
        {
            await Run($"INSERT INTO {_d.TempTable(name)} (k, v) VALUES ({k}, {_d.Literal(v)})");
        }
        return _d.TempTable(name);
    }

    [Fact]
    public async Task A_temporary_table_keeps_its_key_and_an_update_from_a_select_sets_only_the_rows_it_pairs()
    {
        var rows = await ScratchAsync("ferry_contract_rows", (1, "a"), (2, "b"), (3, "c"));
        var values = await ScratchAsync("ferry_contract_values", (1, "x"), (3, "z"), (4, "w"));

        var updated = await Run(_d!.UpdateFromSelect(rows, "u", [("v", "r.v")], $"SELECT k, v FROM {values}", "r", "u.k = r.k"));

        Assert.Equal(2, updated);
        Assert.Equal(["1 x", "2 b", "3 z"], (await Query($"SELECT k, v FROM {rows} ORDER BY k")).Select(r => $"{r[0]} {r[1]}"));
        await Assert.ThrowsAsync<FerryException>(() => Run($"INSERT INTO {rows} (k, v) VALUES (2, 'again')"));
    }

    /// <summary>
    /// Renames as the ledger's upgrade does (Ledger.NumberTenants): the old table out of the way and the new one into its
    /// name in one call, rows and primary keys with them.
    /// </summary>
    [Fact]
    public async Task Tables_renamed_in_one_call_swap_names_with_their_rows_and_keys()
    {
        var text = _d!.TextType(64);
        await Run($"CREATE TABLE {_d.Table("ferry_contract_old")} (k {text} NOT NULL PRIMARY KEY)");
        await Run($"CREATE TABLE {_d.Table("ferry_contract_new")} (n BIGINT NOT NULL PRIMARY KEY, k {text} NOT NULL)");
        await Run($"INSERT INTO {_d.Table("ferry_contract_old")} (k) VALUES ('a')");
        await Run($"INSERT INTO {_d.Table("ferry_contract_new")} (n, k) VALUES (1, 'a'), (2, 'b')");

        foreach (var statement in _d.RenameTables([("ferry_contract_old", "ferry_contract_gone"), ("ferry_contract_new", "ferry_contract_old")]))
        {
            await Run(statement);
        }

        Assert.Equal(["1 a", "2 b"], (await Query($"SELECT n, k FROM {_d.Table("ferry_contract_old")} ORDER BY n")).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal("a", await Scalar($"SELECT k FROM {_d.Table("ferry_contract_gone")}"));
        await Assert.ThrowsAsync<FerryException>(() => Run($"INSERT INTO {_d.Table("ferry_contract_old")} (n, k) VALUES (2, 'again')"));
    }

    [Fact]
    public async Task Casts_to_Ferry_types_and_concatenation_give_the_values_back()
    {
        Assert.Equal("42", await Scalar($"SELECT {_d!.CastTo("'42'", FerryType.Int)}"));
        Assert.Equal(2.5, double.Parse((await Scalar($"SELECT {_d.CastTo("'2.5'", FerryType.Float)}"))!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("héllo", await Scalar($"SELECT {_d.AsText(_d.CastTo(_d.Literal("héllo"), FerryType.Text))}"));
        Assert.Equal("12:ab", await Scalar($"SELECT {_d.Concat([_d.AsText("12"), "':'", "'ab'"])}"));
        Assert.Equal("7", await Scalar($"SELECT {_d.Greatest("3", "7")}"));
        Assert.Equal(["1", "0", "0"], (await Query(
            $"SELECT CASE WHEN {_d.NotDistinct("NULL", "NULL")} THEN 1 ELSE 0 END UNION ALL " +
            $"SELECT CASE WHEN {_d.NotDistinct("1", "NULL")} THEN 1 ELSE 0 END UNION ALL " +
            $"SELECT CASE WHEN {_d.NotDistinct("1", "2")} THEN 1 ELSE 0 END")).Select(r => r[0]));
    }

    /// <summary>
    /// The ledger's row digest: the same 64 digits however the engine computes it (SQLite's function against the SQL
    /// of the tuple text), equal for equal rows, and different when one value differs, NULL against an empty text
    /// included.
    /// </summary>
    [Fact]
    public async Task The_row_digest_is_the_sha256_of_the_tuple_text_and_tells_rows_apart()
    {
        var rows = await ScratchAsync("ferry_contract_digest", (1, "x"), (2, "x"), (3, "y"), (4, ""));
        await Run($"INSERT INTO {rows} (k, v) VALUES (5, NULL)");
        (string, FerryType)[] values = [("t.v", FerryType.Text), ("CASE WHEN t.k = 2 THEN 1 WHEN t.k = 5 THEN 4 ELSE t.k END", FerryType.Int)];

        var digests = await Query(
            $"SELECT t.k, {_d!.RowDigest(values)}, {_d.Sha256Hex(RowDigestText.Tuple(_d, values, bare: false))} FROM {rows} t ORDER BY t.k");

        Assert.All(digests, d => Assert.Equal(d[2], d[1]));
        Assert.All(digests, d => Assert.Matches("^[0-9a-f]{64}$", d[1]));
        // Rows 1 and 2 are ('x', 1) both; the others differ from them and from each other, ('', 4) from (NULL, 4) too.
        Assert.Equal(digests[0][1], digests[1][1]);
        Assert.Equal(4, digests.Select(d => d[1]).Distinct().Count());
    }

    // The keys a profile relation finds in a value, in their order (NULL where an element holds no key of the type).
    private async Task<List<string?>> KeysAsync(string path, string value, FerryType type, ArrayForm form = ArrayForm.Json)
    {
        var shape = path == "[]"
            ? new ReferenceShape(ReferenceKind.Array, null, null, null, "profile p.yaml:1")
            : new ReferenceShape(ReferenceKind.Json, path, null, null, "profile p.yaml:1");
        var elements = _d!.ReferenceElements(shape, _d.Literal(value), form, new ReferenceKey(type, _d.StagingType(type)));
        return (await Query($"SELECT {_d.AsText(elements.Key)} FROM {elements.From} ORDER BY {elements.Order}")).Select(r => r[0]).ToList();
    }

    /// <summary>
    /// Keys inside arrays and JSON documents, as a profile's relations name them: each element at a [*] in order,
    /// nested arrays in document order, a key of the relation's type only (an integer from a number or a string of
    /// digits; a text compared exactly), nothing where the value at the path is no array, and PostgreSQL's array text.
    /// </summary>
    [Fact]
    public async Task Keys_inside_arrays_and_documents_are_read_in_order_and_only_of_the_keys_type()
    {
        Assert.Equal(["3", "7", null, null, "1"],
            await KeysAsync("$.tags[*].id", """{"tags": [{"id": 3}, {"id": "7"}, {"id": "x"}, {"name": 1}, {"id": 1}], "id": 9}""", FerryType.Int));
        Assert.Equal(["1", "2", "3"],
            await KeysAsync("$.groups[*].members[*]", """{"groups": [{"members": [1, 2]}, {"members": "none"}, {"members": [3]}]}""", FerryType.Int));
        Assert.Equal(["Ab", "ab", null], await KeysAsync("$.by[*]", """{"by": ["Ab", "ab", 5]}""", FerryType.Text));
        Assert.Equal(["9"], await KeysAsync("$.history[1].by", """{"history": [{"by": 8}, {"by": 9}]}""", FerryType.Int));
        Assert.Empty(await KeysAsync("$.tags[*]", """{"tags": {"id": 3}}""", FerryType.Int));
        Assert.Equal(["4", "5", "6"], await KeysAsync("[]", "[4, 5, 6]", FerryType.Int));
        Assert.Equal(["4", "5"], await KeysAsync("[]", "{4,5}", FerryType.Int, ArrayForm.Sql));
    }

    [Fact]
    public async Task The_highest_id_handed_out_is_the_tables_highest_at_least()
    {
        var items = _schema!.Get("items");

        Assert.Equal("5", await Scalar($"SELECT {_d!.CurrentMaxId(items, items.GetColumn("id"))}"));
        await Run($"DELETE FROM {_d.Table("items")}");
        Assert.True(long.Parse((await Scalar($"SELECT {_d.CurrentMaxId(items, items.GetColumn("id"))}"))!, System.Globalization.CultureInfo.InvariantCulture) is 0 or >= 5);
    }
}
