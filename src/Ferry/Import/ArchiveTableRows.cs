using Ferry.Archive;
using Ferry.Engines;
using Ferry.Reporting;

namespace Ferry.Import;

/// <summary>
/// One archive table's rows for a staging load, counted into a progress task: as objects when
/// enumerated, as spans when pushed into an engine's <see cref="IRowValueSink"/>.
/// </summary>
internal sealed class ArchiveTableRows(ArchiveReader archive, ManifestTable table, IProgressTask task) : IRowValueSource
{
    private const int Batch = 4096;

    public IAsyncEnumerator<object?[]> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        archive.ReadTableAsync(table, cancellationToken).Counted(task, cancellationToken).GetAsyncEnumerator(cancellationToken);

    public async Task<long> PushAsync(IRowValueSink sink, CancellationToken cancellationToken)
    {
        var counting = new Counting(sink, task);
        var rows = await archive.PushTableAsync(table, counting, cancellationToken);
        counting.Flush();
        return rows;
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
