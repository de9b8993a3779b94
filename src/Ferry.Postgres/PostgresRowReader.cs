using System.Runtime.CompilerServices;
using Ferry.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Postgres;

/// <summary>
/// Streams a SELECT through <c>COPY (…) TO STDOUT (FORMAT BINARY)</c>. The select list comes from
/// <see cref="PostgresDialect.ExportColumn"/>, so each column arrives as int8, float8, bool, bytea or text.
/// </summary>
internal static class PostgresRowReader
{
    private enum Read { Int, Float, Bool, Bytes, Text, TextWithOffset }

    public static string CopySql(string selectSql) => $"COPY ({selectSql}) TO STDOUT (FORMAT BINARY)";

    public static async IAsyncEnumerable<object?[]> ReadAsync(
        NpgsqlConnection connection,
        string selectSql,
        string tableName,
        IReadOnlyList<Column> columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reads = columns.Select(Plan).ToArray();
        var row = new object?[reads.Length];
        await using var exporter = await Wrap(connection.BeginBinaryExportAsync(CopySql(selectSql), cancellationToken), tableName);
        while (await ReadRowAsync(exporter, reads, row, tableName, cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>
    /// PostgreSQL prints a whole-hour offset as <c>+00</c>; ISO 8601 readers (and SQLite) want
    /// <c>+00:00</c>. Values already carrying minutes, and <c>infinity</c>, are returned unchanged.
    /// </summary>
    public static string NormaliseOffset(string value)
    {
        var n = value.Length;
        return n >= 4
            && value[n - 3] is '+' or '-'
            && char.IsAsciiDigit(value[n - 2]) && char.IsAsciiDigit(value[n - 1])
            && char.IsAsciiDigit(value[n - 4])
            && value.IndexOf(':', StringComparison.Ordinal) is >= 0 and var colon && colon < n - 3
                ? value + ":00"
                : value;
    }

    private static Read Plan(Column column) => column.Type switch
    {
        FerryType.Int => Read.Int,
        FerryType.Float => Read.Float,
        FerryType.Bool => Read.Bool,
        FerryType.Bytes => Read.Bytes,
        FerryType.TimestampTz => Read.TextWithOffset,
        _ when column.SqlType.StartsWith("time with time zone", StringComparison.Ordinal) => Read.TextWithOffset,
        _ => Read.Text,
    };

    private static async ValueTask<object?> ReadValueAsync(NpgsqlBinaryExporter exporter, Read read, CancellationToken cancellationToken)
    {
        if (exporter.IsNull)
        {
            await exporter.SkipAsync(cancellationToken);
            return null;
        }
        return read switch
        {
            Read.Int => await exporter.ReadAsync<long>(NpgsqlDbType.Bigint, cancellationToken),
            Read.Float => await exporter.ReadAsync<double>(NpgsqlDbType.Double, cancellationToken),
            Read.Bool => await exporter.ReadAsync<bool>(NpgsqlDbType.Boolean, cancellationToken),
            Read.Bytes => await exporter.ReadAsync<byte[]>(NpgsqlDbType.Bytea, cancellationToken),
            Read.TextWithOffset => NormaliseOffset(await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken)),
            _ => await exporter.ReadAsync<string>(NpgsqlDbType.Text, cancellationToken),
        };
    }

    // One call per row, so that the catch (which an iterator cannot hold around a yield) costs nothing per value.
    private static async ValueTask<bool> ReadRowAsync(
        NpgsqlBinaryExporter exporter, Read[] reads, object?[] row, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            var count = await exporter.StartRowAsync(cancellationToken);
            if (count < 0)
            {
                return false;
            }
            if (count != reads.Length)
            {
                throw new FerryException($"reading table {tableName}: the query returned {count} columns, expected {reads.Length}");
            }
            for (var i = 0; i < reads.Length; i++)
            {
                row[i] = await ReadValueAsync(exporter, reads[i], cancellationToken);
            }
            return true;
        }
        catch (PostgresException e)
        {
            throw Failed(tableName, e);
        }
    }

    private static async Task<T> Wrap<T>(Task<T> task, string tableName)
    {
        try
        {
            return await task;
        }
        catch (PostgresException e)
        {
            throw Failed(tableName, e);
        }
    }

    private static FerryException Failed(string tableName, PostgresException e) =>
        new($"reading table {tableName} failed: {e.MessageText}", ExitCodes.Failure, e);
}
