using System.Runtime.CompilerServices;
using System.Text;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Reporting;

namespace Ferry.Import;

/// <summary>
/// One archive table's rows for a staging load, counted into a progress task and checked against the target
/// columns (<see cref="ValueCheck"/>): as objects when enumerated, as spans when pushed into an engine's
/// <see cref="IRowValueSink"/>. A value that does not fit stops the load with a <see cref="FerryException"/>
/// naming table, column and row. With <c>digest</c>, each row carries one value more after its own: its source
/// digest (<see cref="SourceRowDigest"/>), for the ledger; with <c>unchanged</c> too, the rows the ledger recorded as
/// they are now are not given at all (<see cref="Skipped"/> counts them).
/// </summary>
internal sealed class ArchiveTableRows(ArchiveReader archive, ManifestTable table, IReadOnlyList<ValueCheck?> checks, IProgressTask task,
    bool digest = false, UnchangedRows? unchanged = null) : IRowValueSource
{
    private const int Batch = 4096;

    /// <summary>The rows read but not given, found unchanged (<see cref="UnchangedRows"/>).</summary>
    public long Skipped { get; private set; }

    public IAsyncEnumerator<object?[]> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        var rows = Checked(archive.ReadTableAsync(table, cancellationToken), cancellationToken).Counted(task, cancellationToken);
        return (digest ? Digested(rows, cancellationToken) : rows).GetAsyncEnumerator(cancellationToken);
    }

    public async Task<long> PushAsync(IRowValueSink sink, CancellationToken cancellationToken)
    {
        // The digest sees the values the checks let through, in the archive's form.
        using var digested = digest ? new SourceRowDigest.Sink(sink, checks.Count, unchanged) : null;
        var inner = (IRowValueSink?)digested ?? sink;
        var counting = new Counting(checks.Any(c => c is not null) ? new CheckedSink(inner, checks, this) : inner, task);
        var rows = await archive.PushTableAsync(table, counting, cancellationToken);
        counting.Flush();
        Skipped = digested?.Skipped ?? 0;
        // The rows given to the sink, as enumerating gives them: the engine's loader returns this as the rows it loaded.
        return rows - Skipped;
    }

    private async IAsyncEnumerable<object?[]> Checked(IAsyncEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (checks.All(c => c is null))
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                yield return row;
            }

            yield break;
        }

        long number = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            number++;
            for (var i = 0; i < row.Length; i++)
            {
                if (checks[i] is { } check && row[i] is { } value && Problem(check, value) is { } problem)
                {
                    throw Misfit(i, number, value, problem);
                }
            }

            yield return row;
        }
    }

    private async IAsyncEnumerable<object?[]> Digested(IAsyncEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var digest = new SourceRowDigest();
        object?[]? row = null;
        await foreach (var values in rows.WithCancellation(cancellationToken))
        {
            row ??= new object?[values.Length + 1];
            for (var i = 0; i < values.Length; i++)
            {
                digest.Value(values[i]);
                row[i] = values[i];
            }
            var text = digest.Finish();
            if (unchanged is not null && values[unchanged.KeyColumn] is long key && unchanged.Skip(key, text))
            {
                Skipped++;
                continue;
            }
            row[^1] = text;
            yield return row;
        }
    }

    private static string? Problem(ValueCheck check, object value) => value switch
    {
        long l => check.Integer(l),
        double d => check.Real(d),
        bool b => check.Boolean(b),
        string s => check.Text(Encoding.UTF8.GetBytes(s)),
        _ => null,
    };

    private FerryException Misfit(int column, long row, object value, string problem) =>
        new($"a value does not fit the target: table {table.Name}, column {table.Columns[column].Name}, row {row:N0} of the archive: " +
            $"{ArchiveText.Show(value is double d ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture))} is {problem}; nothing was written");

    private sealed class CheckedSink(IRowValueSink inner, IReadOnlyList<ValueCheck?> checks, ArchiveTableRows rows) : IRowValueSink
    {
        private long _row = 1;

        public void Null(int column) => inner.Null(column);

        public void Integer(int column, long value)
        {
            if (checks[column]?.Integer(value) is { } problem)
            {
                throw rows.Misfit(column, _row, value, problem);
            }

            inner.Integer(column, value);
        }

        public void Real(int column, double value)
        {
            if (checks[column]?.Real(value) is { } problem)
            {
                throw rows.Misfit(column, _row, value, problem);
            }

            inner.Real(column, value);
        }

        public void Boolean(int column, bool value)
        {
            if (checks[column]?.Boolean(value) is { } problem)
            {
                throw rows.Misfit(column, _row, value, problem);
            }

            inner.Boolean(column, value);
        }

        public void Text(int column, ReadOnlySpan<byte> utf8)
        {
            if (checks[column]?.Text(utf8) is { } problem)
            {
                throw rows.Misfit(column, _row, Encoding.UTF8.GetString(utf8), problem);
            }

            inner.Text(column, utf8);
        }

        public void Bytes(int column, ReadOnlySpan<byte> value) => inner.Bytes(column, value);

        public void EndRow()
        {
            inner.EndRow();
            _row++;
        }
    }

    private sealed class Counting(IRowValueSink inner, IProgressTask task) : IRowValueSink
    {
        private int _pending;

        public void Null(int column) => inner.Null(column);

        public void Integer(int column, long value) => inner.Integer(column, value);

        public void Real(int column, double value) => inner.Real(column, value);

        public void Boolean(int column, bool value) => inner.Boolean(column, value);

        public void Text(int column, ReadOnlySpan<byte> utf8) => inner.Text(column, utf8);

        public void Bytes(int column, ReadOnlySpan<byte> value) => inner.Bytes(column, value);

        public void EndRow()
        {
            inner.EndRow();
            if (++_pending == Batch)
            {
                task.Increment(_pending);
                _pending = 0;
            }
        }

        // The rows of a partial batch, once the table ends.
        public void Flush()
        {
            task.Increment(_pending);
            _pending = 0;
        }
    }
}
