using System.Data;
using System.Data.Common;
using Ferry.Engines;
using Ferry.Schema;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>One database of a MariaDB (or MySQL) server. A source only, so far: a target is refused before connecting.</summary>
public sealed class MariaDbEngine(MariaDbConnectionString connectionString) : IDatabaseEngine
{
    /// <summary>What a user reads when giving MariaDB as a target.</summary>
    public const string SourceOnlyMessage =
        "MariaDB/MySQL is supported as a source only so far: export from mysql://… and import the archive into SQLite or PostgreSQL " +
        "(importing into MariaDB is not built yet)";

    /// <summary>
    /// Run on every new session: UTC, so that TIMESTAMP values read as UTC; NO_BACKSLASH_ESCAPES, so that a string
    /// literal means what standard SQL says (<see cref="MariaDbDialect.Literal"/>); strict mode.
    /// </summary>
    internal const string SessionSetup =
        "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION'";

    private readonly MariaDbConnectionString _connectionString = connectionString;
    private readonly MariaDbDialect _dialect = new(connectionString.Database);

    public string Name => "mariadb";

    public string Description => _connectionString.Description;

    public ISqlDialect Dialect => _dialect;

    public string? NotATarget => SourceOnlyMessage;

    public MariaDbConnectionString ConnectionString => _connectionString;

    /// <summary><see cref="Access.ReadWrite"/> is refused (MariaDB as a target is not built yet), before any connection.</summary>
    public async Task<DbConnection> OpenAsync(Access access, CancellationToken cancellationToken)
    {
        if (access == Access.ReadWrite)
        {
            throw new FerryException(SourceOnlyMessage, ExitCodes.Usage);
        }
        var connection = new MySqlConnection(_connectionString.ToMySqlConnector());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand(SessionSetup, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch (Exception e)
        {
            await connection.DisposeAsync();
            if (e is MySqlException mysql && !cancellationToken.IsCancellationRequested)
            {
                throw TranslateOpenError(_connectionString, mysql);
            }
            throw;
        }
    }

    /// <summary>
    /// A transaction in which the schema is read and the key tables are created: MariaDB refuses
    /// <c>CREATE TEMPORARY TABLE</c> inside a READ ONLY transaction. No InnoDB row is read in it.
    /// </summary>
    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await MySql(connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>
    /// Ends the transaction of <see cref="BeginSnapshotAsync"/> (it wrote nothing but empty temporary tables) and starts
    /// the snapshot every row is read in: <c>START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY</c>, which refuses
    /// writes to real tables and still fills temporary ones. The transaction object stays the handle that commands
    /// carry and that rolls back at the end: to MySqlConnector it only sends COMMIT or ROLLBACK.
    /// </summary>
    public async Task SealSnapshotAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand("COMMIT; SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
            MySql(connection), (MySqlTransaction)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) => throw MariaDbDialect.SourceOnly();

    public Task<DatabaseSchema> ReadSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var mysql = MySql(connection);
        return MariaDbSchemaReader.ReadAsync(mysql, (MySqlTransaction?)transaction, mysql.ServerVersion.Contains("MariaDB", StringComparison.OrdinalIgnoreCase), cancellationToken);
    }

    public IAsyncEnumerable<object?[]> ReadRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        CancellationToken cancellationToken) =>
        MariaDbRowReader.ReadAsync(MySql(connection), (MySqlTransaction)transaction, selectSql, tableName, columns, _connectionString.ZeroDates, cancellationToken);

    public Task<long> BulkLoadAsync(
        DbConnection connection,
        DbTransaction transaction,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken) => throw MariaDbDialect.SourceOnly();

    /// <summary>The one-line message for a failure to open a session.</summary>
    internal static FerryException TranslateOpenError(MariaDbConnectionString cs, MySqlException e)
    {
        var at = $"{cs.Host}:{cs.Port}";
        var message = e.ErrorCode switch
        {
            MySqlErrorCode.AccessDenied when cs.Password is null =>
                $"MariaDB at {at} refused the login of user '{cs.User}' without a password: give --from-password-file, FERRY_FROM_PASSWORD or MYSQL_PWD",
            MySqlErrorCode.AccessDenied => $"MariaDB at {at} refused the login of user '{cs.User}' (wrong password, or no such user for this host)",
            MySqlErrorCode.UnknownDatabase => $"database '{cs.Database}' does not exist on MariaDB at {at}",
            MySqlErrorCode.DatabaseAccessDenied => $"user '{cs.User}' may not use database '{cs.Database}' on MariaDB at {at}",
            _ => $"cannot connect to MariaDB at {at}: {e.Message}",
        };
        return new FerryException(message, ExitCodes.Failure, e);
    }

    private static MySqlConnection MySql(DbConnection connection) =>
        connection as MySqlConnection
            ?? throw new ArgumentException("the connection was not opened by the MariaDB engine", nameof(connection));
}
