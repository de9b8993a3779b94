using System.Data.Common;
using Ferry.Engines;
using Ferry.Schema;
using Microsoft.Data.Sqlite;

namespace Ferry.Sqlite;

/// <summary>
/// One SQLite file. Connections are never pooled (the file is released on dispose) and never
/// create the file. A read-only connection keeps its temporary tables in SQLite's temp database,
/// which is a separate file (or memory): the source file itself is never written.
/// </summary>
public sealed class SqliteEngine : IDatabaseEngine
{
    private const int SqliteNotADatabase = 26;
    private const int SqliteCantOpen = 14;
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _path;
    private readonly SqliteDialect _dialect = new();

    internal SqliteEngine(string path, string description)
    {
        _path = path;
        Description = description;
    }

    public string Name => "sqlite";

    public string Description { get; }

    public string Instance => $"sqlite:{Path.GetFullPath(_path)}";

    public ISqlDialect Dialect => _dialect;

    public async Task<DbConnection> OpenAsync(Access access, CancellationToken cancellationToken)
    {
        var fullPath = Path.GetFullPath(_path);
        if (Directory.Exists(fullPath))
        {
            throw NotADatabase();
        }

        if (!File.Exists(fullPath))
        {
            throw DoesNotExist();
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = access == Access.ReadOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            SqliteFunctions.Register(connection);
            // SQLite only reads the header on first use: this is where a non-database fails.
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}", cancellationToken);
            await ExecuteAsync(connection, null, "SELECT count(*) FROM \"main\".\"sqlite_master\"", cancellationToken);
            return connection;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SqliteNotADatabase or SqliteCantOpen)
        {
            await connection.DisposeAsync();
            throw e.SqliteErrorCode == SqliteNotADatabase ? NotADatabase(e) : DoesNotExist(e);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // The import's BEGIN IMMEDIATE keeps every other writer out, and its temporary tables live in its own temp database.
    public async Task<DbConnection?> OpenSideReaderAsync(CancellationToken cancellationToken) => await OpenAsync(Access.ReadOnly, cancellationToken);

    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sqlite = AsSqlite(connection);
        // Deferred: BEGIN IMMEDIATE would take the write lock, which a read-only connection cannot.
        var transaction = sqlite.BeginTransaction(deferred: true);
        try
        {
            // A deferred transaction starts at its first read: take the snapshot now, not at the first table.
            await ExecuteAsync(sqlite, transaction, "SELECT count(*) FROM \"main\".\"sqlite_master\"", cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    // A SQLite read transaction on a read-only connection cannot write the source anyway.
    public Task SealSnapshotAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var sqlite = AsSqlite(connection);
        // Only outside a transaction does this pragma take effect.
        await ExecuteAsync(sqlite, null, "PRAGMA foreign_keys = ON", cancellationToken);
        // Serializable and not deferred: Microsoft.Data.Sqlite sends BEGIN IMMEDIATE, taking the write lock now.
        return sqlite.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: false);
    }

    public Task<DatabaseSchema> ReadSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        SqliteSchemaReader.ReadAsync(AsSqlite(connection), AsSqlite(transaction), cancellationToken);

    public IAsyncEnumerable<object?[]> ReadRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        CancellationToken cancellationToken) =>
        SqliteRowReader.ReadAsync(AsSqlite(connection), AsSqlite(transaction)!, selectSql, tableName, columns, cancellationToken);

    public Task<long> BulkLoadAsync(
        DbConnection connection,
        DbTransaction transaction,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken) =>
        SqliteBulkLoader.LoadAsync(AsSqlite(connection), AsSqlite(transaction)!, _dialect, stagingTable, columns, rows, cancellationToken);

    public Task PushQueryAsync(
        DbConnection connection,
        DbTransaction transaction,
        string sql,
        IReadOnlyList<(string Name, object? Value)> parameters,
        IRowValueSink sink,
        CancellationToken cancellationToken) =>
        SqliteQueryPusher.PushAsync(AsSqlite(connection), sql, parameters, sink, cancellationToken);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteConnection AsSqlite(DbConnection connection) =>
        connection as SqliteConnection ?? throw new ArgumentException("not a connection opened by the SQLite engine", nameof(connection));

    private static SqliteTransaction? AsSqlite(DbTransaction? transaction) => transaction switch
    {
        null => null,
        SqliteTransaction t => t,
        _ => throw new ArgumentException("not a transaction of the SQLite engine", nameof(transaction)),
    };

    private FerryException DoesNotExist(Exception? inner = null) => new($"SQLite database '{_path}' does not exist", ExitCodes.Failure, inner);

    private FerryException NotADatabase(Exception? inner = null) => new($"'{_path}' is not a SQLite database", ExitCodes.Failure, inner);
}
