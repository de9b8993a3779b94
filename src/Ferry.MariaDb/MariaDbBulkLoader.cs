using System.Data;
using Ferry.Engines;
using Ferry.Schema;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>
/// Loads rows into a staging table with <c>LOAD DATA LOCAL INFILE</c> (MySqlConnector's <see cref="MySqlBulkCopy"/>),
/// in batches of at most <see cref="BatchRows"/> rows or <see cref="BatchBytes"/> bytes of values: one round trip per
/// batch, never per row, and memory bounded by a batch whatever the table holds (a BLOB is one value, held whole).
/// </summary>
internal static class MariaDbBulkLoader
{
    public const int BatchRows = 10_000;

    public const long BatchBytes = 16 << 20;

    public static async Task<long> LoadAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        MariaDbDialect dialect,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        using var batch = new DataTable();
        foreach (var column in columns)
        {
            batch.Columns.Add(column.Name, ClrType(column.Type));
        }
        var copy = new MySqlBulkCopy(connection, transaction)
        {
            DestinationTableName = dialect.TempTable(stagingTable),
            BulkCopyTimeout = 0,
        };
        long loaded = 0, bytes = 0;
        var values = new object?[columns.Count];
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Staged(row[i], columns[i], loaded + 1, ref bytes) ?? DBNull.Value;
            }
            batch.Rows.Add(values);
            loaded++;
            if (batch.Rows.Count >= BatchRows || bytes >= BatchBytes)
            {
                await WriteAsync(connection, transaction, copy, batch, stagingTable, cancellationToken);
                bytes = 0;
            }
        }
        await WriteAsync(connection, transaction, copy, batch, stagingTable, cancellationToken);
        return loaded;
    }

    private static async Task WriteAsync(MySqlConnection connection, MySqlTransaction transaction, MySqlBulkCopy copy, DataTable batch, string stagingTable, CancellationToken cancellationToken)
    {
        if (batch.Rows.Count == 0)
        {
            return;
        }
        MySqlBulkCopyResult result;
        try
        {
            // MySqlBulkCopy's statement says ESCAPED BY '\\', which NO_BACKSLASH_ESCAPES (every Ferry session's) reads as
            // two characters: the mode is left out for that one statement, which holds no literal of Ferry's.
            await SetModeAsync(connection, transaction, MariaDbEngine.LoadMode, cancellationToken);
            try
            {
                result = await copy.WriteToServerAsync(batch, cancellationToken);
            }
            finally
            {
                await SetModeAsync(connection, transaction, MariaDbEngine.SessionMode, CancellationToken.None);
            }
        }
        catch (MySqlException e)
        {
            // 1148: the server does not allow LOAD DATA LOCAL (MariaDB's local_infile = 0); 3948: MySQL 8's form of it.
            var hint = e.Number is 1148 or 3948 ? " (Ferry loads with LOAD DATA LOCAL INFILE: set local_infile = 1 in the server's configuration)" : "";
            throw new FerryException($"loading {stagingTable} failed: {e.Message}{hint}", ExitCodes.Failure, e);
        }
        // LOAD DATA LOCAL turns errors into warnings and goes on: any warning means a value did not arrive as sent.
        if (result.Warnings.Count > 0 || result.RowsInserted != batch.Rows.Count)
        {
            var first = result.Warnings.FirstOrDefault()?.Message ?? $"{result.RowsInserted} of {batch.Rows.Count} rows arrived";
            throw new FerryException($"loading {stagingTable} failed: {first}");
        }
        batch.Clear();
    }

    private static async Task SetModeAsync(MySqlConnection connection, MySqlTransaction transaction, string mode, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand($"SET SESSION sql_mode = '{mode}'", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static object? Staged(object? value, StagingColumn column, long row, ref long bytes)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                bytes += text.Length * 2L;
                if (MariaDbStagedValue.Convert(column.Type, text, out var reason) is { } staged)
                {
                    return staged;
                }
                var shown = text.Length > 40 ? text[..40] + "…" : text;
                throw new FerryException($"column {column.Name}, row {row} of its table: '{shown}' is {reason}; nothing was written");
            case byte[] blob:
                bytes += blob.Length;
                return blob;
            default:
                bytes += 8;
                return value;
        }
    }

    private static Type ClrType(FerryType type) => type switch
    {
        FerryType.Int => typeof(long),
        FerryType.Float => typeof(double),
        FerryType.Bool => typeof(bool),
        FerryType.Bytes => typeof(byte[]),
        _ => typeof(string),
    };
}
