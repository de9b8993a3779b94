using System.Net;

namespace Ferry.Cli.Remote;

/// <summary>
/// The archive <c>ferry push</c> sends, as a new request body for each attempt. A file is opened anew
/// each time, so it can always be sent again. Stdin is read up to its first bytes before anything is
/// sent (an export piped in may plan for a while: the server's slot is not taken meanwhile, and an empty
/// stdin fails before connecting); those bytes are kept, so stdin can be sent again as long as no
/// attempt read past them, which is the case when the server refused (409) before asking for the body.
/// </summary>
public sealed class PushBody
{
    private const int BufferSize = 1 << 16;
    private readonly string? _file;
    private readonly Stream? _stdin;
    private readonly byte[] _first;
    private bool _stdinEnded;

    private PushBody(string? file, Stream? stdin, byte[] first)
    {
        _file = file;
        _stdin = stdin;
        _first = first;
    }

    /// <summary>False once an attempt consumed stdin beyond the bytes kept: it cannot be sent again.</summary>
    public bool Replayable { get; private set; } = true;

    /// <summary>Bytes the last attempt handed to the connection.</summary>
    public long Sent { get; private set; }

    /// <summary>The file's length (the server can refuse it as too large before it is sent); null for stdin.</summary>
    public long? Length => _file is null ? null : new FileInfo(_file).Length;

    /// <summary>A file, or stdin (<paramref name="path"/> is <c>-</c>), whose first bytes are waited for.</summary>
    public static async Task<PushBody> OpenAsync(string path, Stream stdin, CancellationToken cancellationToken)
    {
        if (path != "-")
        {
            return File.Exists(path) ? new PushBody(path, null, []) : throw new FerryException($"archive '{path}' does not exist");
        }
        var buffer = new byte[BufferSize];
        var read = await stdin.ReadAsync(buffer, cancellationToken);
        return read > 0 ? new PushBody(null, stdin, buffer[..read]) : throw new FerryException("stdin is empty: there is no archive to push");
    }

    /// <summary>A request body for one attempt.</summary>
    public HttpContent NewContent() => new Content(this);

    private async Task CopyAsync(Stream target, CancellationToken cancellationToken)
    {
        Sent = 0;
        var buffer = new byte[BufferSize];
        if (_file is not null)
        {
            await using var file = new FileStream(_file, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                Sent += read;
            }
            return;
        }
        // Flushed after every write: HTTP/2 keeps what was written buffered otherwise, and a pipe that
        // pauses (an export between two tables) would leave the server waiting for bytes push already has.
        await target.WriteAsync(_first, cancellationToken);
        await target.FlushAsync(cancellationToken);
        Sent = _first.Length;
        while (!_stdinEnded)
        {
            var read = await _stdin!.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                _stdinEnded = true;
                break;
            }
            Replayable = false;
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            await target.FlushAsync(cancellationToken);
            Sent += read;
        }
    }

    private sealed class Content : HttpContent
    {
        private readonly PushBody _body;

        public Content(PushBody body)
        {
            _body = body;
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _body.CopyAsync(stream, CancellationToken.None);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
            _body.CopyAsync(stream, cancellationToken);

        protected override bool TryComputeLength(out long length)
        {
            length = _body.Length ?? 0;
            return _body.Length is not null;
        }
    }
}
