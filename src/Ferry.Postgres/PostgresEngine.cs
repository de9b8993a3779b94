using System.Data;
using System.Data.Common;
using System.Net.Sockets;
using Ferry.Engines;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Postgres;

/// <summary>One schema of one PostgreSQL database.</summary>
public sealed class PostgresEngine(PostgresConnectionString connectionString) : IDatabaseEngine
{
    /// <summary>
    /// Run on every new session: UTC and ISO dates so that the text forms of values are portable,
    /// shortest-exact floats inside text (arrays of floats), and ISO 8601 intervals.
    /// </summary>
    internal const string SessionSetup =
        "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; SET IntervalStyle = 'iso_8601'";

    /// <summary>
    /// Run on every new session, before any temporary table: working memory for the set-based steps
    /// over a whole tenant, so that the scope keys, staging tables and id maps stay in the session's
    /// buffers and sorts and hash joins in memory (PostgreSQL's built-in 8 MB and 4 MB spill them to
    /// disk: about 1 s of a 1M-row import). Only settings still at the built-in default change: a value
    /// from postgresql.conf, the role or database, or the client (PGOPTIONS) is kept.
    /// </summary>
    internal const string SessionMemory =
        "SELECT set_config(s.name, w.value, false) FROM (VALUES ('temp_buffers', '128MB'), ('work_mem', '64MB')) AS w (name, value) " +
        "JOIN pg_catalog.pg_settings s ON s.name = w.name WHERE s.source = 'default'";

    private readonly PostgresConnectionString _connectionString = connectionString;
    private readonly PostgresDialect _dialect = new(connectionString.Schema);

    public string Name => "postgres";

    public string Description => _connectionString.Description;

    public string Instance => _connectionString.Instance;

    public ISqlDialect Dialect => _dialect;

    public PostgresConnectionString ConnectionString => _connectionString;

    /// <summary><see cref="Access.ReadOnly"/> opens an ordinary session: the sealed snapshot is what refuses writes.</summary>
    public async Task<DbConnection> OpenAsync(Access access, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(_connectionString.ToNpgsql());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, null, SessionSetup, cancellationToken);
            await ExecuteAsync(connection, null, SessionMemory, cancellationToken);
            await using var command = new NpgsqlCommand(PostgresCatalogSql.SchemaExists, connection);
            command.Parameters.AddWithValue("schema", _connectionString.Schema);
            if (await command.ExecuteScalarAsync(cancellationToken) is not true)
            {
                throw new FerryException(
                    $"schema '{_connectionString.Schema}' does not exist in database '{_connectionString.Database}'");
            }
            return connection;
        }
        catch (Exception e)
        {
            await connection.DisposeAsync();
            if (e is NpgsqlException npgsql && !cancellationToken.IsCancellationRequested)
            {
                throw TranslateOpenError(_connectionString, npgsql);
            }
            throw;
        }
    }

    public async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await Npgsql(connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    /// <summary>
    /// PostgreSQL allows a transaction to become READ ONLY after its first queries. Afterwards it
    /// refuses writes to real tables and all DDL, but still writes the session's temporary tables.
    /// </summary>
    public Task SealSnapshotAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(Npgsql(connection), (NpgsqlTransaction)transaction, "SET TRANSACTION READ ONLY", cancellationToken);

    public async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await Npgsql(connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

    public Task<DatabaseSchema> ReadSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new PostgresSchemaReader(_connectionString.Schema).ReadAsync(connection, transaction, cancellationToken);

    public IAsyncEnumerable<object?[]> ReadRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        CancellationToken cancellationToken) =>
        PostgresRowReader.ReadAsync(Npgsql(connection), selectSql, tableName, columns, cancellationToken);

    public Task<long> BulkLoadAsync(
        DbConnection connection,
        DbTransaction transaction,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken) =>
        PostgresBulkLoader.LoadAsync(Npgsql(connection), _dialect, stagingTable, columns, rows, cancellationToken);

    /// <summary>The one-line message for a failure to open a session.</summary>
    internal static FerryException TranslateOpenError(PostgresConnectionString cs, NpgsqlException e)
    {
        var at = $"{cs.Host}:{cs.Port}";
        var message = e switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } =>
                $"PostgreSQL at {at} refused the password of user '{cs.User}'",
            PostgresException { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } p =>
                $"PostgreSQL at {at} refused the login of user '{cs.User}': {p.MessageText}",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"database '{cs.Database}' does not exist on PostgreSQL at {at}",
            PostgresException p => $"cannot connect to PostgreSQL at {at}: {p.MessageText}",
            _ when cs.Password is null && e.Message.StartsWith("No password has been provided", StringComparison.Ordinal) =>
                $"PostgreSQL at {at} wants a password for user '{cs.User}' and none was found: give --from-password-file or --to-password-file, " +
                "FERRY_FROM_PASSWORD or FERRY_TO_PASSWORD, PGPASSWORD, a service (PGSERVICE) or a ~/.pgpass line",
            _ => $"cannot connect to PostgreSQL at {at}: {Reason(e)}",
        };
        return new FerryException(message, ExitCodes.Failure, e);
    }

    private static string Reason(Exception e) =>
        e.InnerException is SocketException or TimeoutException ? e.InnerException.Message : e.Message;

    private static NpgsqlConnection Npgsql(DbConnection connection) =>
        connection as NpgsqlConnection
            ?? throw new ArgumentException("the connection was not opened by the PostgreSQL engine", nameof(connection));

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
