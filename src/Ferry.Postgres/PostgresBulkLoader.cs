using Ferry.Engines;
using Ferry.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Postgres;

/// <summary>Loads rows into a staging table with <c>COPY … FROM STDIN (FORMAT BINARY)</c>.</summary>
internal static class PostgresBulkLoader
{
    public static string CopySql(PostgresDialect dialect, string stagingTable, IReadOnlyList<StagingColumn> columns) =>
        $"COPY {dialect.TempTable(stagingTable)} ({string.Join(", ", columns.Select(c => dialect.Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";

    /// <summary>Values must be in the in-memory representation of each column's type; anything else is a <see cref="FerryException"/>.</summary>
    public static async Task<long> LoadAsync(
        NpgsqlConnection connection,
        PostgresDialect dialect,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        var types = columns.Select(c => c.Type).ToArray();
        long loaded = 0;
        try
        {
            // Disposing without CompleteAsync cancels the COPY: nothing of a failed load stays.
            await using var importer = await connection.BeginBinaryImportAsync(CopySql(dialect, stagingTable, columns), cancellationToken);
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                if (row.Length != types.Length)
                {
                    throw new FerryException($"loading {stagingTable}: row {loaded + 1} has {row.Length} values, expected {types.Length}");
                }
                await importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < types.Length; i++)
                {
                    await WriteAsync(importer, types[i], row[i], stagingTable, columns[i].Name, cancellationToken);
                }
                loaded++;
            }
            return (long)await importer.CompleteAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            // Where names the row and column ("COPY s, line 2, column v"): the server sees rows later than they are sent.
            var where = string.IsNullOrEmpty(e.Where) ? "" : $" ({e.Where.ReplaceLineEndings(" ")})";
            throw new FerryException($"loading {stagingTable} failed: {e.MessageText}{where}", ExitCodes.Failure, e);
        }
    }

    private static Task WriteAsync(
        NpgsqlBinaryImporter importer, FerryType type, object? value, string table, string column, CancellationToken cancellationToken)
    {
        return value switch
        {
            null => importer.WriteNullAsync(cancellationToken),
            long v when type == FerryType.Int => importer.WriteAsync(v, NpgsqlDbType.Bigint, cancellationToken),
            double v when type == FerryType.Float => importer.WriteAsync(v, NpgsqlDbType.Double, cancellationToken),
            bool v when type == FerryType.Bool => importer.WriteAsync(v, NpgsqlDbType.Boolean, cancellationToken),
            byte[] v when type == FerryType.Bytes => importer.WriteAsync(v, NpgsqlDbType.Bytea, cancellationToken),
            string v when type is not (FerryType.Int or FerryType.Float or FerryType.Bool or FerryType.Bytes) =>
                importer.WriteAsync(v, NpgsqlDbType.Text, cancellationToken),
            _ => throw new FerryException(
                $"loading {table}.{column}: a {value.GetType().Name} value cannot be a {type.ToName()} (a bug in the caller)"),
        };
    }
}
