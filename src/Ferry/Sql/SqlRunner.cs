using System.Data.Common;

namespace Ferry.Sql;

/// <summary>Runs SQL text built elsewhere on any ADO.NET connection; every value is a parameter.</summary>
internal static class SqlRunner
{
    public static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        IReadOnlyList<(string Name, object? Value)>? parameters = null)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Refused(e, sql);
        }
    }

    public static async Task<long> CountAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        IReadOnlyList<(string Name, object? Value)>? parameters = null)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        try
        {
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException e)
        {
            throw Refused(e, sql);
        }
    }

    /// <summary>Reads a small result (examples for messages, found keys) as text values.</summary>
    public static async Task<List<string?[]>> QueryTextAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        IReadOnlyList<(string Name, object? Value)>? parameters = null)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        await using var reader = await ExecuteReaderAsync(command, sql, cancellationToken);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Streams a result as text values, one row at a time (the caller may stop early).</summary>
    public static IAsyncEnumerable<string?[]> QueryStreamAsync(
        DbConnection connection, DbTransaction? transaction, string sql,
        IReadOnlyList<(string Name, object? Value)>? parameters, CancellationToken cancellationToken) =>
        StreamAsync(connection, transaction, sql, parameters,
            value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>Streams a result as the values the provider gives (<c>long</c>, <c>double</c>, <c>string</c>, ...; null for NULL).</summary>
    public static IAsyncEnumerable<object?[]> QueryValuesAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        StreamAsync<object>(connection, transaction, sql, null, value => value, cancellationToken);

    private static async IAsyncEnumerable<T?[]> StreamAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql,
        IReadOnlyList<(string Name, object? Value)>? parameters, Func<object, T?> convert,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        await using var command = Create(connection, transaction, sql, parameters);
        await using var reader = await ExecuteReaderAsync(command, sql, cancellationToken);
        while (true)
        {
            T?[] row;
            try
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    yield break;
                }
                row = new T?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : convert(reader.GetValue(i));
                }
            }
            catch (DbException e)
            {
                throw Refused(e, sql);
            }
            yield return row;
        }
    }

    private static async Task<DbDataReader> ExecuteReaderAsync(DbCommand command, string sql, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken);
        }
        catch (DbException e)
        {
            throw Refused(e, sql);
        }
    }

    // A database error becomes one line: what the database said, and which kind of statement.
    // Everything runs in one transaction, so nothing the statement was part of is kept.
    private static FerryException Refused(DbException e, string sql)
    {
        var words = sql.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
        var what = string.Join(' ', words.Take(3));
        return new FerryException($"the database refused a statement ({what} …): {e.Message.ReplaceLineEndings(" ")}", ExitCodes.Failure, e);
    }

    /// <summary>A command on <paramref name="connection"/> with its transaction, no timeout and named parameters.</summary>
    internal static DbCommand Create(
        DbConnection connection, DbTransaction? transaction, string sql,
        IReadOnlyList<(string Name, object? Value)>? parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        foreach (var (name, value) in parameters ?? [])
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
