using Ferry.Engines;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Ferry.Sqlite;

/// <summary>
/// Runs a query through SQLite's own statement API on the connection's handle (inside its open transaction) and pushes
/// each value into an <see cref="IRowValueSink"/> by its storage class, text as the UTF-8 SQLite holds: a
/// Microsoft.Data.Sqlite reader costs about a microsecond a row more (its checks and a string per text), which is most
/// of the time of reading a table's ledger rows (bench/notes.md).
/// </summary>
internal static class SqliteQueryPusher
{
    public static Task PushAsync(SqliteConnection connection, string sql, IReadOnlyList<(string Name, object? Value)> parameters, IRowValueSink sink, CancellationToken cancellationToken)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, "@" + name);
                if (index == 0)
                {
                    throw new InvalidOperationException($"the query has no parameter @{name}");
                }
                Check(value switch
                {
                    null => raw.sqlite3_bind_null(statement, index),
                    long l => raw.sqlite3_bind_int64(statement, index, l),
                    int n => raw.sqlite3_bind_int64(statement, index, n),
                    string s => raw.sqlite3_bind_text(statement, index, s),
                    var other => throw new InvalidOperationException($"no SQLite binding for a {other.GetType().Name}"),
                }, db);
            }
            var columns = raw.sqlite3_column_count(statement);
            long rows = 0;
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                if ((++rows & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                for (var i = 0; i < columns; i++)
                {
                    switch (raw.sqlite3_column_type(statement, i))
                    {
                        case raw.SQLITE_NULL:
                            sink.Null(i);
                            break;
                        case raw.SQLITE_INTEGER:
                            sink.Integer(i, raw.sqlite3_column_int64(statement, i));
                            break;
                        case raw.SQLITE_FLOAT:
                            sink.Real(i, raw.sqlite3_column_double(statement, i));
                            break;
                        case raw.SQLITE_TEXT:
                            sink.Text(i, raw.sqlite3_column_blob(statement, i));
                            break;
                        default:
                            sink.Bytes(i, raw.sqlite3_column_blob(statement, i));
                            break;
                    }
                }
                sink.EndRow();
            }
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc, db);
            }
        }
        return Task.CompletedTask;
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
