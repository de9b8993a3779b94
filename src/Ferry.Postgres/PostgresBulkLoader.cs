using System.Buffers;
using System.Text;
using Ferry.Engines;
using Ferry.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Postgres;

/// <summary>
/// Loads rows into a staging table with <c>COPY … FROM STDIN (FORMAT BINARY)</c>. Rows that can be pushed
/// (<see cref="IRowValueSource"/>, the archive) are written value by value from their UTF-8, through one reused
/// character buffer: no string, box or array per value, so a large text value costs its size once, not three times.
/// </summary>
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
            if (rows is IRowValueSource source)
            {
                using var sink = new ImporterSink(importer, types, stagingTable, columns);
                await source.PushAsync(sink, cancellationToken);
                return (long)await importer.CompleteAsync(cancellationToken);
            }

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

    /// <summary>
    /// Writes pushed values straight into the COPY (synchronously: the archive reader pushes synchronously).
    /// Text is decoded into a character buffer that grows to the longest value and is then reused.
    /// </summary>
    private sealed class ImporterSink(NpgsqlBinaryImporter importer, FerryType[] types, string table, IReadOnlyList<StagingColumn> columns) : IRowValueSink, IDisposable
    {
        private char[] _chars = ArrayPool<char>.Shared.Rent(256);
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(256);
        private int _next;

        public void Null(int column)
        {
            Start(column);
            importer.WriteNull();
        }

        public void Integer(int column, long value)
        {
            Start(column);
            Expect(column, FerryType.Int, "an integer");
            importer.Write(value, NpgsqlDbType.Bigint);
        }

        public void Real(int column, double value)
        {
            Start(column);
            Expect(column, FerryType.Float, "a number");
            importer.Write(value, NpgsqlDbType.Double);
        }

        public void Boolean(int column, bool value)
        {
            Start(column);
            Expect(column, FerryType.Bool, "a boolean");
            importer.Write(value, NpgsqlDbType.Boolean);
        }

        public void Text(int column, ReadOnlySpan<byte> utf8)
        {
            Start(column);
            if (types[column] is FerryType.Int or FerryType.Float or FerryType.Bool or FerryType.Bytes)
            {
                throw Mismatch(column, "text");
            }

            var length = Encoding.UTF8.GetMaxCharCount(utf8.Length);
            if (_chars.Length < length)
            {
                ArrayPool<char>.Shared.Return(_chars);
                _chars = ArrayPool<char>.Shared.Rent(length);
            }

            var count = Encoding.UTF8.GetChars(utf8, _chars);
            importer.Write(new ReadOnlyMemory<char>(_chars, 0, count), NpgsqlDbType.Text);
        }

        public void Bytes(int column, ReadOnlySpan<byte> value)
        {
            Start(column);
            Expect(column, FerryType.Bytes, "binary");
            // The archive's span lives only during this call, and Write copies it into the COPY before returning.
            if (_bytes.Length < value.Length)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = ArrayPool<byte>.Shared.Rent(value.Length);
            }

            value.CopyTo(_bytes);
            importer.Write(new ReadOnlyMemory<byte>(_bytes, 0, value.Length), NpgsqlDbType.Bytea);
        }

        public void EndRow()
        {
            if (_next != types.Length)
            {
                throw new FerryException($"loading {table}: a row has {_next} values, expected {types.Length}");
            }

            _next = 0;
        }

        public void Dispose()
        {
            ArrayPool<char>.Shared.Return(_chars);
            ArrayPool<byte>.Shared.Return(_bytes);
        }

        private void Start(int column)
        {
            if (column == 0)
            {
                importer.StartRow();
            }

            _next = column + 1;
        }

        private void Expect(int column, FerryType type, string what)
        {
            if (types[column] != type)
            {
                throw Mismatch(column, what);
            }
        }

        private FerryException Mismatch(int column, string what) =>
            new($"loading {table}.{columns[column].Name}: {what} value cannot be a {types[column].ToName()} (a bug in the caller)");
    }
}
