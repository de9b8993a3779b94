using Ferry.Engines;
using Ferry.Testing;
using Microsoft.Data.Sqlite;

namespace Ferry.Sqlite.Tests;

public sealed class SqliteEngineTests : IDisposable
{
    private readonly TestSqlite _db = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose() => _db.Dispose();

    private IDatabaseEngine Engine => new SqliteEngineFactory().Create(_db.ConnectionString);

    [Fact]
    public void Factory_accepts_sqlite_scheme_and_rejects_empty_path()
    {
        var factory = new SqliteEngineFactory();
        Assert.True(factory.Accepts("sqlite:app.db"));
        Assert.False(factory.Accepts("postgres://u:p@h/db"));
        Assert.Equal("sqlite:app.db", factory.Create("sqlite:app.db").Description);
        Assert.Equal("sqlite", factory.Create("sqlite:app.db").Name);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<FerryException>(() => factory.Create("sqlite:")).ExitCode);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<FerryException>(() => factory.Create("sqlite://relative.db")).ExitCode);
    }

    [Fact]
    public async Task Url_form_with_absolute_path_opens_the_file()
    {
        var engine = new SqliteEngineFactory().Create("sqlite://" + _db.Path);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, _ct);
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Theory]
    [InlineData(Access.ReadOnly)]
    [InlineData(Access.ReadWrite)]
    public async Task Missing_file_is_an_error_and_is_not_created(Access access)
    {
        var path = _db.Path + ".missing";
        var engine = new SqliteEngineFactory().Create("sqlite:" + path);
        var error = await Assert.ThrowsAsync<FerryException>(() => engine.OpenAsync(access, _ct));
        Assert.Equal($"SQLite database '{path}' does not exist", error.Message);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(Access.ReadOnly)]
    [InlineData(Access.ReadWrite)]
    public async Task File_that_is_not_a_database_is_an_error(Access access)
    {
        await File.WriteAllTextAsync(_db.Path, new string('x', 4096), _ct);
        var error = await Assert.ThrowsAsync<FerryException>(() => Engine.OpenAsync(access, _ct));
        Assert.Equal($"'{_db.Path}' is not a SQLite database", error.Message);
    }

    [Fact]
    public async Task Read_only_snapshot_uses_temp_tables_and_never_writes_the_file()
    {
        await _db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b'), ('c');");
        var before = _db.Sha256();
        var engine = Engine;
        var dialect = engine.Dialect;
        await using (var connection = await engine.OpenAsync(Access.ReadOnly, _ct))
        await using (var transaction = await engine.BeginSnapshotAsync(connection, _ct))
        {
            await ExecuteAsync(connection, transaction, dialect.CreateTempTable("ferry_scope", [("id", dialect.RowLocatorType)], ["id"]));
            await ExecuteAsync(connection, transaction, $"INSERT INTO {dialect.TempTable("ferry_scope")} SELECT rowid FROM {dialect.Table("t")} WHERE v <> 'b'");
            await engine.SealSnapshotAsync(connection, transaction, _ct);
            Assert.Equal(2L, await ScalarAsync(connection, transaction, $"SELECT count(*) FROM {dialect.TempTable("ferry_scope")}"));

            var write = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, transaction, "INSERT INTO t (v) VALUES ('d')"));
            Assert.Equal(8, write.SqliteErrorCode); // SQLITE_READONLY
            await transaction.CommitAsync(_ct);
        }

        Assert.Equal(before, _db.Sha256());
        Assert.False(File.Exists(_db.Path + "-journal"));
    }

    [Fact]
    public async Task Read_only_connection_reads_a_wal_database_without_changing_its_content()
    {
        await _db.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB); INSERT INTO t VALUES (1, X'01');");
        var before = _db.Sha256();
        var dump = await _db.DumpAsync(_ct);
        var engine = Engine;
        await using (var connection = await engine.OpenAsync(Access.ReadOnly, _ct))
        await using (var transaction = await engine.BeginSnapshotAsync(connection, _ct))
        {
            await ExecuteAsync(connection, transaction, engine.Dialect.CreateTempTable("k", [("id", "INTEGER")], []));
            await ExecuteAsync(connection, transaction, "INSERT INTO temp.k SELECT id FROM t");
            Assert.Equal(1L, await ScalarAsync(connection, transaction, "SELECT count(*) FROM temp.k"));
        }

        Assert.Equal(before, _db.Sha256());
        Assert.Equal(dump, await _db.DumpAsync(_ct));
    }

    [Fact]
    public async Task Snapshot_is_taken_at_begin_and_ignores_later_commits()
    {
        await _db.ExecuteAsync("PRAGMA journal_mode = WAL; CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, _ct);
        await using var transaction = await engine.BeginSnapshotAsync(connection, _ct);

        await using (var writer = await _db.OpenAsync(_ct))
        {
            await ExecuteAsync(writer, null, "INSERT INTO t VALUES (2)");
        }

        Assert.Equal(1L, await ScalarAsync(connection, transaction, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Write_transaction_enforces_foreign_keys()
    {
        await _db.ExecuteAsync("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p);");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadWrite, _ct);
        // e_sqlite3 is built with foreign keys on by default; an app's build may not be.
        await ExecuteAsync(connection, null, "PRAGMA foreign_keys = OFF");
        await using var transaction = await engine.BeginWriteAsync(connection, _ct);
        var error = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, transaction, "INSERT INTO c VALUES (1, 42)"));
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
    }

    [Fact]
    public async Task Write_transaction_holds_the_write_lock_from_the_start()
    {
        await _db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY);");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadWrite, _ct);
        await using var transaction = await engine.BeginWriteAsync(connection, _ct);

        await using var other = await _db.OpenAsync(_ct);
        await ExecuteAsync(other, null, "PRAGMA busy_timeout = 0");
        await using var command = other.CreateCommand();
        command.CommandText = "INSERT INTO t VALUES (1)";
        command.CommandTimeout = 1;
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync(_ct));
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
    }

    [Theory]
    [InlineData("DELETE")]
    [InlineData("WAL")]
    public async Task A_side_reader_reads_beside_the_write_transaction_what_it_sees_and_the_write_commits_once_the_reader_closed(string journal)
    {
        await _db.ExecuteAsync($"PRAGMA journal_mode = {journal}; CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadWrite, _ct);
        await using var transaction = await engine.BeginWriteAsync(connection, _ct);
        // The import's staging writes temporary tables only, which live in the connection's own temp database.
        await ExecuteAsync(connection, transaction, engine.Dialect.CreateTempTable("stage", [("id", "INTEGER")], []));
        await ExecuteAsync(connection, transaction, "INSERT INTO temp.stage SELECT id FROM t");

        await using (var side = await engine.OpenSideReaderAsync(_ct))
        {
            Assert.NotNull(side);
            await using var snapshot = await engine.BeginSnapshotAsync(side, _ct);
            var rows = new RecordingRowSink();
            await engine.PushQueryAsync(side, snapshot, "SELECT id FROM t ORDER BY id", [], rows, _ct);
            Assert.Equal(["0:1", "end", "0:2", "end"], rows.Values);
            var write = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(side, snapshot, "INSERT INTO t VALUES (3)"));
            Assert.Equal(8, write.SqliteErrorCode); // SQLITE_READONLY
        }

        await ExecuteAsync(connection, transaction, "INSERT INTO t VALUES (3)");
        await transaction.CommitAsync(_ct);
        await using var reader = await engine.OpenAsync(Access.ReadOnly, _ct);
        Assert.Equal(3L, await ScalarAsync(reader, null, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Sqlite_sequence_follows_explicit_ids_and_CurrentMaxId_remembers_deleted_ones()
    {
        await _db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT); INSERT INTO t (v) VALUES ('a'), ('b');");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadWrite, _ct);
        var table = (await engine.ReadSchemaAsync(connection, null, _ct)).Get("t");
        var currentMax = $"SELECT {engine.Dialect.CurrentMaxId(table, table.Columns[0])}";
        await using (var transaction = await engine.BeginWriteAsync(connection, _ct))
        {
            Assert.Empty(engine.Dialect.SyncGenerators(table));
            await ExecuteAsync(connection, transaction, "INSERT INTO t (id, v) VALUES (100, 'imported')");
            await transaction.CommitAsync(_ct);
        }

        await ExecuteAsync(connection, null, "DELETE FROM t WHERE id = 100");
        Assert.Equal(100L, await ScalarAsync(connection, null, "SELECT seq FROM sqlite_sequence WHERE name = 't'"));
        Assert.Equal(100L, await ScalarAsync(connection, null, currentMax));
        Assert.Equal(101L, await ScalarAsync(connection, null, "INSERT INTO t (v) VALUES ('app') RETURNING id"));
    }

    [Fact]
    public async Task CurrentMaxId_is_zero_for_an_empty_table()
    {
        await _db.ExecuteAsync("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT); CREATE TABLE u (id INTEGER PRIMARY KEY);");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, _ct);
        var schema = await engine.ReadSchemaAsync(connection, null, _ct);
        foreach (var table in schema.Tables)
        {
            Assert.Equal(0L, await ScalarAsync(connection, null, $"SELECT {engine.Dialect.CurrentMaxId(table, table.Columns[0])}"));
        }
    }

    internal static async Task ExecuteAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> ScalarAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task The_instance_is_the_files_absolute_path_and_its_connections_compute_sha256()
    {
        Assert.Equal("sqlite:" + Path.GetFullPath(_db.Path), new SqliteEngineFactory().Create("sqlite://" + Path.GetFullPath(_db.Path)).Instance);
        await using var connection = await Engine.OpenAsync(Access.ReadWrite, _ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ferry_sha256('abc'), ferry_sha256(NULL) IS NULL";
        await using var reader = await command.ExecuteReaderAsync(_ct);
        Assert.True(await reader.ReadAsync(_ct));
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", reader.GetString(0));
        Assert.Equal(1L, reader.GetInt64(1));
    }
}
