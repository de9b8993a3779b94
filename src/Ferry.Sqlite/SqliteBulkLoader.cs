using Ferry.Engines;
using Microsoft.Data.Sqlite;

namespace Ferry.Sqlite;

/// <summary>Loads rows into a staging table with one prepared INSERT whose parameters are rebound per row.</summary>
internal static class SqliteBulkLoader
{
    public static async Task<long> LoadAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        SqliteDialect dialect,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = dialect.InsertRow(stagingTable, columns.Select(c => c.Name).ToList());
        command.Transaction = transaction;
        var parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            // No SqliteType: each value binds by its in-memory type (long, double, string, byte[]), as stored.
            parameters[i] = command.Parameters.Add(new SqliteParameter { ParameterName = SqliteDialect.ParameterName(i) });
        }

        command.Prepare();
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (row.Length != parameters.Length)
            {
                throw new InvalidOperationException($"a row for {stagingTable} has {row.Length} values, not {parameters.Length}");
            }

            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = row[i] switch
                {
                    null => DBNull.Value,
                    bool b => b ? 1L : 0L,
                    var value => value,
                };
            }

            // Microsoft.Data.Sqlite's async methods run synchronously anyway; the Task would only cost time.
            command.ExecuteNonQuery();
            count++;
        }

        return count;
    }
}
