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
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<long> CountAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        IReadOnlyList<(string Name, object? Value)>? parameters = null)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a small result (examples for messages, found keys) as text values.</summary>
    public static async Task<List<string?[]>> QueryTextAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        IReadOnlyList<(string Name, object? Value)>? parameters = null)
    {
        await using var command = Create(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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

    private static DbCommand Create(
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
