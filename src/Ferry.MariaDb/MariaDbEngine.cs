using System.Data;
using System.Data.Common;
using Ferry.Engines;
using Ferry.Schema;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>
/// One database of a MariaDB (or MySQL) server, as an export's source (one consistent snapshot) or an import's target
/// (one transaction, staging in TEMPORARY tables loaded with LOAD DATA LOCAL INFILE).
/// </summary>
public sealed class MariaDbEngine(MariaDbConnectionString connectionString) : IDatabaseEngine
{
    /// <summary>
    /// Run on every new session: UTC, so that TIMESTAMP values read as UTC; NO_BACKSLASH_ESCAPES, so that a string
    /// literal means what standard SQL says (<see cref="MariaDbDialect.Literal"/>); strict mode; group_concat_max_len at
    /// its largest, so that JSON_ARRAYAGG (built on GROUP_CONCAT) never cuts a long array short, which it does with a warning only.
    /// </summary>
    internal const string SessionSetup = "SET time_zone = '+00:00', sql_mode = '" + SessionMode + "', group_concat_max_len = 4294967295";

    /// <summary>The sql_mode of every session: strict, standard string literals.</summary>
    internal const string SessionMode = "STRICT_ALL_TABLES,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION";

    /// <summary>The sql_mode while MySqlBulkCopy's LOAD DATA runs (its ESCAPED BY clause is a backslash-escaped literal).</summary>
    internal const string LoadMode = "STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION";

    private readonly MariaDbConnectionString _connectionString = connectionString;
    private readonly MariaDbDialect _dialect = new(connectionString.Database);

    public string Name => "mariadb";

    public string Description => _connectionString.Description;

    public ISqlDialect Dialect => _dialect;

    public MariaDbConnectionString ConnectionString => _connectionString;

    /// <summary>
    /// Opens a session in UTC with strict mode. A target's session may bulk-load from the client (LOAD DATA LOCAL
    /// INFILE, which the server must allow: local_infile = 1); a source's never reads a client file.
    /// </summary>
    public async Task<DbConnection> OpenAsync(Access access, CancellationToken cancellationToken)
    {
        var connection = new MySqlConnection(_connectionString.ToMySqlConnector(loadLocal: access == Access.ReadWrite));
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

    /// <summary>
    /// Starts the import's transaction, READ COMMITTED (each check reads what is committed when it runs, as on
    /// PostgreSQL). A server whose INSERT … SELECT does not draw AUTO_INCREMENT ids in one block
    /// (innodb_autoinc_lock_mode = 2, MySQL 8's default) is refused before anything is done: Ferry takes ids that way.
    /// </summary>
    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var mysql = MySql(connection);
        await using (var command = new MySqlCommand("SELECT @@innodb_autoinc_lock_mode", mysql))
        {
            var mode = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (mode == 2)
            {
                throw new FerryException(
                    $"{Description}: the server's innodb_autoinc_lock_mode is 2, where an INSERT … SELECT may draw AUTO_INCREMENT ids " +
                    "interleaved with other sessions' and Ferry could not tell which row got which id; set innodb_autoinc_lock_mode = 1 " +
                    "(MariaDB's default) in the server's configuration. Nothing was written");
            }
        }
        return await mysql.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
    }

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
        CancellationToken cancellationToken) =>
        MariaDbBulkLoader.LoadAsync(MySql(connection), (MySqlTransaction)transaction, _dialect, stagingTable, columns, rows, cancellationToken);

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
