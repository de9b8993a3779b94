using Ferry.Engines;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ferry.Sqlite;

/// <summary>
/// Loads rows into a staging table with one prepared INSERT whose parameters are rebound per row,
/// through SQLite's own statement API on the connection's handle: a Microsoft.Data.Sqlite command
/// costs a data reader and a parameter walk per execution, which was most of the time of a row.
/// The statement runs inside the connection's open transaction.
/// </summary>
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
        ArgumentNullException.ThrowIfNull(transaction);
        var db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        var text = dialect.InsertRow(stagingTable, columns.Select(c => c.Name).ToList());
        Check(raw.sqlite3_prepare_v2(db, text, out var statement), db);
        using (statement)
        {
            var sink = new StatementSink(db, statement, columns.Count, stagingTable);
            if (rows is IRowValueSource source)
            {
                // Straight from the archive's UTF-8: no string, box or array per value.
                return await source.PushAsync(sink, cancellationToken);
            }

            long count = 0;
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                sink.Row(row);
                count++;
            }
            return count;
        }
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc, db);
        }
    }

    /// <summary>Binds each value as it is decoded, the same types as the object path, and steps at the end of each row.</summary>
    private sealed class StatementSink(sqlite3 db, sqlite3_stmt statement, int columns, string stagingTable) : IRowValueSink
    {
        private int _bound;

        public void Null(int column) => Bound(raw.sqlite3_bind_null(statement, column + 1));

        public void Integer(int column, long value) => Bound(raw.sqlite3_bind_int64(statement, column + 1, value));

        public void Real(int column, double value) => Bound(raw.sqlite3_bind_double(statement, column + 1, value));

        public void Boolean(int column, bool value) => Bound(raw.sqlite3_bind_int64(statement, column + 1, value ? 1 : 0));

        // An empty span has no pointer, which SQLite would store as NULL: bind empty values explicitly.
        public void Text(int column, ReadOnlySpan<byte> utf8) =>
            Bound(utf8.IsEmpty ? raw.sqlite3_bind_text(statement, column + 1, string.Empty) : raw.sqlite3_bind_text(statement, column + 1, utf8));

        public void Bytes(int column, ReadOnlySpan<byte> value) =>
            Bound(value.IsEmpty ? raw.sqlite3_bind_zeroblob(statement, column + 1, 0) : raw.sqlite3_bind_blob(statement, column + 1, value));

        /// <summary>Binds and steps a row of in-memory values; no conversion: BLOB affinity keeps each as its type.</summary>
        public void Row(object?[] row)
        {
            if (row.Length != columns)
            {
                throw new InvalidOperationException($"a row for {stagingTable} has {row.Length} values, not {columns}");
            }
            for (var i = 0; i < row.Length; i++)
            {
                switch (row[i])
                {
                    case null: Null(i); break;
                    case long n: Integer(i, n); break;
                    case bool b: Boolean(i, b); break;
                    case double d: Real(i, d); break;
                    case string t: Bound(raw.sqlite3_bind_text(statement, i + 1, t)); break;
                    case byte[] bytes: Bytes(i, bytes); break;
                    case var other: throw new InvalidOperationException($"{stagingTable}: no SQLite binding for a {other.GetType().Name}");
                }
            }
            EndRow();
        }

        public void EndRow()
        {
            if (_bound != columns)
            {
                throw new InvalidOperationException($"a row for {stagingTable} has {_bound} values, not {columns}");
            }
            _bound = 0;
            Step(db, statement);
        }

        private void Bound(int rc)
        {
            Check(rc, db);
            _bound++;
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
