using System.Text.Json;
using System.Threading.Channels;
using Ferry.Reporting;

namespace Ferry.Cli.Remote;

/// <summary>
/// The response of the import endpoint: progress as JSON lines, written by one writer loop so
/// that the import (which reports synchronously) never waits on the network, then the report.
/// A client that has gone away only stops the writing; the request's cancellation stops the import.
/// </summary>
public sealed class EventStream : IProgressSink
{
    private readonly Channel<RemoteEvent> _events = Channel.CreateUnbounded<RemoteEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public EventStream(Stream body, CancellationToken cancellationToken) => _writer = WriteAllAsync(body, cancellationToken);

    public void Info(string text) => _events.Writer.TryWrite(new RemoteEvent("progress", text));

    public void Warning(string text) => _events.Writer.TryWrite(new RemoteEvent("warning", text));

    public IProgressTask Start(string description, long? total) => new RowsTask(this, description);

    /// <summary>Writes <paramref name="report"/> last and waits until everything is sent (or the client is gone).</summary>
    public async Task CompleteAsync(RemoteEvent report)
    {
        _events.Writer.TryWrite(report);
        _events.Writer.Complete();
        await _writer;
    }

    private async Task WriteAllAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in _events.Reader.ReadAllAsync(cancellationToken))
            {
                await JsonSerializer.SerializeAsync(body, e, RemoteProtocol.Json, cancellationToken);
                body.WriteByte((byte)'\n');
                await body.FlushAsync(cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client is gone: nobody is left to tell.
        }
    }

    private sealed class RowsTask(EventStream stream, string description) : IProgressTask
    {
        private long _rows;

        public void Increment(long rows) => Interlocked.Add(ref _rows, rows);

        public void Dispose() => stream.Info($"{description}: {_rows:N0} rows");
    }
}
