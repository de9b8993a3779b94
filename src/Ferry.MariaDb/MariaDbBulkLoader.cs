using System.Collections;
using System.Data.Common;
using System.Runtime.ExceptionServices;
using Ferry.Engines;
using Ferry.Schema;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>
/// Loads a table's rows into its staging table with one <c>LOAD DATA LOCAL INFILE</c> (MySqlConnector's
/// <see cref="MySqlBulkCopy"/> reading a <see cref="DbDataReader"/> over the archive's rows): the rows stream from the
/// archive to the server through MySqlConnector's one buffer of 1 MB, so memory stays flat whatever the table holds
/// (a BLOB is one value, held whole). Each value is put in the form MariaDB reads for its type
/// (<see cref="MariaDbStagedValue"/>) on its way; a value MariaDB cannot hold ends the load with its reason.
/// </summary>
internal static class MariaDbBulkLoader
{
    public static async Task<long> LoadAsync(
        MySqlConnection connection,
        MySqlTransaction transaction,
        MariaDbDialect dialect,
        string stagingTable,
        IReadOnlyList<StagingColumn> columns,
        IAsyncEnumerable<object?[]> rows,
        CancellationToken cancellationToken)
    {
        await using var reader = new StagedRows(columns, rows, cancellationToken);
        var copy = new MySqlBulkCopy(connection, transaction)
        {
            DestinationTableName = dialect.TempTable(stagingTable),
            BulkCopyTimeout = 0,
        };
        // Each value to its staging column by name: a stage may hold more columns than the archive gives (those a
        // profile's transforms fill), which MySqlBulkCopy's default mapping by position does not allow. A name that
        // starts with @ would read as a variable: such a column takes its value through one.
        for (var i = 0; i < columns.Count; i++)
        {
            var name = columns[i].Name;
            var variable = $"@`ferry_v{i}`";
            copy.ColumnMappings.Add(name.StartsWith('@')
                ? new MySqlBulkCopyColumnMapping(i, variable, $"{dialect.Quote(name)} = {(columns[i].Type == FerryType.Bytes ? $"UNHEX({variable})" : variable)}")
                : new MySqlBulkCopyColumnMapping(i, name));
        }
        MySqlBulkCopyResult result;
        // MySqlBulkCopy's statement says ESCAPED BY '\\', which NO_BACKSLASH_ESCAPES (every Ferry session's) reads as two
        // characters: the mode is left out for that one statement, which holds no literal of Ferry's.
        await SetModeAsync(connection, transaction, MariaDbEngine.LoadMode, cancellationToken);
        try
        {
            result = await copy.WriteToServerAsync(reader, cancellationToken);
        }
        catch (MySqlException e) when (e.InnerException is FerryException or OperationCanceledException)
        {
            // A row the archive could not give (damaged, altered, a value MariaDB cannot hold, cancelled): MySqlConnector
            // ended the load and wrapped the reason, which is the error to report.
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        catch (MySqlException e)
        {
            // 1148: the server does not allow LOAD DATA LOCAL (MariaDB's local_infile = 0); 3948: MySQL 8's form of it.
            var hint = e.Number is 1148 or 3948 ? " (Ferry loads with LOAD DATA LOCAL INFILE: set local_infile = 1 in the server's configuration)" : "";
            var reason = e.InnerException is { } inner and not MySqlException ? $"{e.Message}: {inner.Message}" : e.Message;
            throw new FerryException($"loading {stagingTable} failed: {reason}{hint}", ExitCodes.Failure, e);
        }
        finally
        {
            // A row that failed on its way ends the load and, with it, the session (MySqlConnector marks it broken): the
            // server rolls the transaction back, and the error above is the one to report.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await SetModeAsync(connection, transaction, MariaDbEngine.SessionMode, CancellationToken.None);
            }
        }
        // LOAD DATA LOCAL turns errors into warnings and goes on: any warning means a value did not arrive as sent.
        if (result.Warnings.Count > 0 || result.RowsInserted != reader.Rows)
        {
            var first = result.Warnings.FirstOrDefault()?.Message ?? $"{result.RowsInserted} of {reader.Rows} rows arrived";
            throw new FerryException($"loading {stagingTable} failed: {first}");
        }
        return reader.Rows;
    }

    private static async Task SetModeAsync(MySqlConnection connection, MySqlTransaction transaction, string mode, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand($"SET SESSION sql_mode = '{mode}'", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The archive's rows as the forward-only reader <see cref="MySqlBulkCopy"/> reads (<c>ReadAsync</c>, then
    /// <c>GetValues</c>), each value staged for its column's type; one row is held at a time.
    /// </summary>
    private sealed class StagedRows(IReadOnlyList<StagingColumn> columns, IAsyncEnumerable<object?[]> rows, CancellationToken cancellationToken) : DbDataReader
    {
        private readonly IAsyncEnumerator<object?[]> _rows = rows.GetAsyncEnumerator(cancellationToken);
        private readonly object[] _values = new object[columns.Count];
        private bool _closed;

        /// <summary>Rows read so far.</summary>
        public long Rows { get; private set; }

        public override int FieldCount => columns.Count;

        public override int RecordsAffected => -1;

        public override bool HasRows => true;

        public override bool IsClosed => _closed;

        public override int Depth => 0;

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => GetValue(GetOrdinal(name));

        public override bool Read() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<bool> ReadAsync(CancellationToken token)
        {
            if (_closed || !await _rows.MoveNextAsync())
            {
                _closed = true;
                return false;
            }
            var row = _rows.Current;
            Rows++;
            for (var i = 0; i < _values.Length; i++)
            {
                _values[i] = Staged(row[i], columns[i], Rows) ?? DBNull.Value;
            }
            return true;
        }

        public override int GetValues(object[] values)
        {
            var n = Math.Min(values.Length, _values.Length);
            Array.Copy(_values, values, n);
            return n;
        }

        public override object GetValue(int ordinal) => _values[ordinal];

        public override bool IsDBNull(int ordinal) => _values[ordinal] is DBNull;

        public override string GetName(int ordinal) => columns[ordinal].Name;

        public override int GetOrdinal(string name)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i].Name, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }
            throw new IndexOutOfRangeException($"no staging column {name}");
        }

        public override Type GetFieldType(int ordinal) => ClrType(columns[ordinal].Type);

        public override string GetDataTypeName(int ordinal) => columns[ordinal].Type.ToString();

        public override bool GetBoolean(int ordinal) => (bool)_values[ordinal];

        public override byte GetByte(int ordinal) => Convert.ToByte(_values[ordinal], System.Globalization.CultureInfo.InvariantCulture);

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        {
            var bytes = (byte[])_values[ordinal];
            if (buffer is null)
            {
                return bytes.Length;
            }
            var n = (int)Math.Max(0, Math.Min(length, bytes.Length - dataOffset));
            Array.Copy(bytes, dataOffset, buffer, bufferOffset, n);
            return n;
        }

        public override char GetChar(int ordinal) => GetString(ordinal)[0];

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
        {
            var text = GetString(ordinal);
            if (buffer is null)
            {
                return text.Length;
            }
            var n = (int)Math.Max(0, Math.Min(length, text.Length - dataOffset));
            text.CopyTo((int)dataOffset, buffer, bufferOffset, n);
            return n;
        }

        public override DateTime GetDateTime(int ordinal) => Convert.ToDateTime(_values[ordinal], System.Globalization.CultureInfo.InvariantCulture);

        public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(_values[ordinal], System.Globalization.CultureInfo.InvariantCulture);

        public override double GetDouble(int ordinal) => (double)_values[ordinal];

        public override float GetFloat(int ordinal) => (float)(double)_values[ordinal];

        public override Guid GetGuid(int ordinal) => Guid.Parse(GetString(ordinal));

        public override short GetInt16(int ordinal) => checked((short)(long)_values[ordinal]);

        public override int GetInt32(int ordinal) => checked((int)(long)_values[ordinal]);

        public override long GetInt64(int ordinal) => (long)_values[ordinal];

        public override string GetString(int ordinal) => (string)_values[ordinal];

        public override bool NextResult() => false;

        public override IEnumerator GetEnumerator() => new DbEnumerator(this);

        public override async ValueTask DisposeAsync()
        {
            _closed = true;
            await _rows.DisposeAsync();
            await base.DisposeAsync();
        }
    }

    private static object? Staged(object? value, StagingColumn column, long row)
    {
        switch (value)
        {
            case null:
                return null;
            case string text:
                if (MariaDbStagedValue.Convert(column.Type, text, out var reason) is { } staged)
                {
                    return staged;
                }
                var shown = text.Length > 40 ? text[..40] + "…" : text;
                throw new FerryException($"column {column.Name}, row {row} of its table: '{shown}' is {reason}; nothing was written");
            default:
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
