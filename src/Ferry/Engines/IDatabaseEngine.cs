using System.Data.Common;
using Ferry.Schema;

namespace Ferry.Engines;

/// <summary>Whether a connection may write.</summary>
public enum Access
{
    /// <summary>The source: never written to (temporary tables of the session excepted).</summary>
    ReadOnly,
    /// <summary>The target of an import.</summary>
    ReadWrite,
}

/// <summary>Recognises an engine's connection strings and makes engines for them.</summary>
public interface IEngineFactory
{
    /// <summary>True when <paramref name="connectionString"/> has this engine's scheme (<c>sqlite:</c>, <c>postgres://</c>).</summary>
    bool Accepts(string connectionString);

    /// <summary>
    /// An engine bound to one database. A malformed connection string is a <see cref="FerryException"/>
    /// with exit code <see cref="ExitCodes.Usage"/> that says what form is expected.
    /// </summary>
    IDatabaseEngine Create(string connectionString);

    /// <summary>True when this engine's databases take a password (PostgreSQL), false when not (SQLite).</summary>
    bool TakesPassword => false;

    /// <summary>
    /// An engine bound to one database, with a password given apart from the connection string (from a file
    /// or an environment variable, never a command line); null: none. Engines without passwords refuse one.
    /// </summary>
    IDatabaseEngine Create(string connectionString, string? password) =>
        password is null ? Create(connectionString) : throw new FerryException("this database takes no password", ExitCodes.Usage);
}

/// <summary>
/// One database (SQLite file, PostgreSQL database and schema) of one engine. The core drives
/// export and import through this small contract and <see cref="ISqlDialect"/>; it never sees
/// Npgsql or SQLite types.
/// </summary>
public interface IDatabaseEngine
{
    /// <summary>Short name: <c>sqlite</c>, <c>postgres</c>.</summary>
    string Name { get; }

    /// <summary>The connection string with any password removed, for messages and manifests.</summary>
    string Description { get; }

    /// <summary>
    /// Names this database stably, whichever way its connection string was written where that can be told
    /// (a SQLite file's absolute path): the source instance of a tenant in a target's ledger. No password.
    /// </summary>
    string Instance => Description;

    /// <summary>SQL text building for this engine and schema (pure).</summary>
    ISqlDialect Dialect { get; }

    /// <summary>
    /// Why this engine cannot be an import's target, as a message for people; null
    /// when it can. <see cref="OpenAsync"/> refuses <see cref="Access.ReadWrite"/> then; <c>serve</c> asks before listening.
    /// </summary>
    string? NotATarget => null;

    /// <summary>
    /// Opens a connection. A SQLite file that does not exist is a <see cref="FerryException"/>
    /// (never created by accident); so is a server that cannot be reached, refuses the login, or
    /// lacks the database or schema. Sessions use UTC as their time zone.
    /// </summary>
    Task<DbConnection> OpenAsync(Access access, CancellationToken cancellationToken);

    /// <summary>
    /// A second, read-only connection that sees what the import's write transaction on another connection sees, as long
    /// as that transaction has written nothing but temporary tables: reads can then run beside the import's own work
    /// (<c>--update</c> reads the ledger of the next table while one is staged). SQLite: its import holds the
    /// database's one write lock from its start (<see cref="BeginWriteAsync"/>), so no one else writes either. Null
    /// where another session could write meanwhile (the servers): the default.
    /// </summary>
    Task<DbConnection?> OpenSideReaderAsync(CancellationToken cancellationToken) => Task.FromResult<DbConnection?>(null);

    /// <summary>
    /// Starts the export snapshot. PostgreSQL: REPEATABLE READ; the caller creates its temporary
    /// tables, then calls <see cref="SealSnapshotAsync"/>, which makes the transaction READ ONLY.
    /// SQLite: one read transaction.
    /// </summary>
    Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Marks the snapshot read-only once its temporary tables exist (see <see cref="BeginSnapshotAsync"/>).</summary>
    Task SealSnapshotAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Starts the import transaction: SQLite <c>BEGIN IMMEDIATE</c> with foreign keys enforced;
    /// PostgreSQL READ COMMITTED. Disposing without commit rolls everything back.
    /// </summary>
    Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Reads the tables of the connection's schema (PostgreSQL: <c>?schema=</c>, default public; SQLite: main).</summary>
    Task<DatabaseSchema> ReadSchemaAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Streams the rows of <paramref name="selectSql"/>, whose select list was built with
    /// <see cref="ISqlDialect.ExportColumn"/> for <paramref name="columns"/> in order. Each row holds
    /// values in the in-memory representation of each column's <see cref="FerryType"/>, or null.
    /// A value that cannot be represented (SQLite text in a timestamp column that is not ISO 8601)
    /// is a <see cref="FerryException"/> naming table, column and value. The array may be reused
    /// between rows: consume it before moving on.
    /// </summary>
    IAsyncEnumerable<object?[]> ReadRowsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        CancellationToken cancellationToken);

    /// <summary>
    /// Bulk-loads rows into the temporary table <paramref name="stagingTable"/> created with
    /// <see cref="ISqlDialect.CreateTempTable"/> and <see cref="ISqlDialect.StagingType"/> for these
    /// columns (PostgreSQL binary COPY; SQLite one prepared statement). Values arrive in the
    /// in-memory representation of each column's archive type. When <paramref name="rows"/> is also an
    /// <see cref="IRowValueSource"/>, the engine may push it into a sink of its own instead of enumerating
    /// it (SQLite binds the archive's UTF-8 that way). Returns the number of rows loaded.
    /// </summary>
    Task<long> BulkLoadAsync(
        DbConnection connection,
        DbTransaction transaction,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="sql"/> (with named parameters, <c>@name</c>) and pushes each row's values into
    /// <paramref name="sink"/> as the database gives them (integers, reals, text as UTF-8, binary, NULL), then
    /// <see cref="IRowValueSink.EndRow"/>: for results too large for an object per value. Here through the provider's
    /// data reader; SQLite reads its own statement API (about a microsecond less per row).
    /// </summary>
    async Task PushQueryAsync(
        DbConnection connection,
        DbTransaction transaction,
        string sql,
        IReadOnlyList<(string Name, object? Value)> parameters,
        IRowValueSink sink,
        CancellationToken cancellationToken)
    {
        await using var command = Sql.SqlRunner.Create(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                switch (reader.IsDBNull(i) ? null : reader.GetValue(i))
                {
                    case null: sink.Null(i); break;
                    case long l: sink.Integer(i, l); break;
                    case int n: sink.Integer(i, n); break;
                    case ulong u when u <= long.MaxValue: sink.Integer(i, (long)u); break;
                    case double d: sink.Real(i, d); break;
                    case bool b: sink.Boolean(i, b); break;
                    case byte[] bytes: sink.Bytes(i, bytes); break;
                    case var other: sink.Text(i, System.Text.Encoding.UTF8.GetBytes(Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!)); break;
                }
            }
            sink.EndRow();
        }
    }
}

/// <summary>A staging column: its name there, the archive type of its values, and the target column it feeds (null when none).</summary>
public sealed record StagingColumn(string Name, FerryType Type, Column? Target);
