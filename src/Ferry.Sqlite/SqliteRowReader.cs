using System.Runtime.CompilerServices;
using Ferry.Schema;
using Microsoft.Data.Sqlite;

namespace Ferry.Sqlite;

/// <summary>Streams the rows of an export query, converting each value by its column's archive type.</summary>
internal static class SqliteRowReader
{
    /// <summary>
    /// Yields one array per row, reused between rows. Values are read by storage class (SQLite does
    /// not enforce declared types) and converted by <see cref="SqliteValueConverter"/>.
    /// </summary>
    public static async IAsyncEnumerable<object?[]> ReadAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = selectSql;
        command.Transaction = transaction;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (reader.FieldCount != columns.Count)
        {
            throw new InvalidOperationException($"the query for {tableName} selects {reader.FieldCount} columns, not {columns.Count}");
        }

        var row = new object?[columns.Count];
        // Microsoft.Data.Sqlite's ReadAsync runs synchronously anyway; the Task would only cost time.
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < row.Length; i++)
            {
                var column = columns[i];
                row[i] = SqliteValueConverter.Convert(reader.GetValue(i), column.Type, tableName, column.Name);
            }

            yield return row;
        }
    }
}
