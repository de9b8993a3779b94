using Ferry.Engines;
using Ferry.IO;
using Ferry.Import;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace Ferry.Cli.Remote;

/// <summary>
/// One accepted import: the request body flows into <see cref="Importer"/> as it arrives (nothing
/// buffered whole), progress and the report flow back as JSON lines. Whatever fails, or a client
/// that goes away, aborts the import and its transaction rolls back. The body is read through an
/// <see cref="UploadGuard"/>: a client that sends too slowly, or stops, ends the import ("upload too slow").
/// </summary>
public sealed class RemoteImport(IDatabaseEngine engine, long maxSize, UploadLimits limits)
{
    /// <summary>How long a client may take to read the report once the import has ended.</summary>
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs the import; calls <paramref name="importEnded"/> as soon as the import has committed or rolled
    /// back (before the report is sent, so that a client slow to read it does not hold the target); returns
    /// the status, outcome and rows inserted for the log.
    /// </summary>
    public async Task<(int Status, string Outcome, long Rows)> RunAsync(HttpContext context, ImportOptions options, string id, Action importEnded, CancellationToken stopping)
    {
        // The archive reader is synchronous (BouncyCastle has no async API).
        context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var upload = new UploadGuard(context.Request.Body, limits, abort.Token);
        // Wait for the first bytes of the archive (which sends "100 Continue" to a client that asked)
        // before answering 200: a response must not start before the client was told to send.
        try
        {
            await upload.WaitForFirstBytesAsync(abort.Token);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            importEnded();
            if (upload.Failure is { } slow)
            {
                var (status, _, _) = await ImportEndpoint.RefuseAsync(context, StatusCodes.Status408RequestTimeout, slow);
                return (status, $"failed: {slow}; nothing was written", 0);
            }
            return (context.Response.StatusCode, $"failed: {Describe(e)}", 0);
        }
        context.Response.ContentType = RemoteProtocol.ContentType;
        await context.Response.StartAsync(abort.Token);
        var events = new EventStream(context.Response.Body, abort.Token);
        events.Info($"import {id} into {engine.Description}");
        RemoteEvent report;
        string outcome;
        long rows = 0;
        try
        {
            await using var body = new CountingStream(upload, maxSize);
            var result = await new Importer(engine, events).ImportAsync(options, body, abort.Token);
            report = new RemoteEvent("report", ExitCode: ExitCodes.Success, Report: result);
            (outcome, rows) = (result.Outcome, result.Inserted);
        }
        catch (ConflictException conflicts)
        {
            report = new RemoteEvent("report", ExitCode: conflicts.ExitCode, Error: conflicts.Message, Report: conflicts.Report);
            outcome = "conflicts";
        }
        catch (Exception) when (upload.Failure is { } slow)
        {
            // Whatever the reader made of the failed read ("damaged", "wrong password"), this is what happened.
            report = new RemoteEvent("report", ExitCode: ExitCodes.Failure, Error: $"{slow}; nothing was written");
            outcome = $"failed: {slow}; nothing was written";
        }
        catch (Exception) when (abort.IsCancellationRequested || upload.Interrupted is not null)
        {
            // The client went away (or the server is stopping): the transaction was rolled back.
            return (context.Response.StatusCode, stopping.IsCancellationRequested ? "cancelled: the server is stopping" : "cancelled: the client went away", 0);
        }
        catch (Exception e)
        {
            var message = Describe(e);
            report = new RemoteEvent("report", ExitCode: ExitCodes.Failure, Error: message);
            outcome = $"failed: {message}";
        }
        finally
        {
            importEnded();
        }
        try
        {
            await events.CompleteAsync(report).WaitAsync(ReportTimeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            context.Abort();
            outcome += " (the client did not read the report)";
        }
        return (context.Response.StatusCode, outcome, rows);
    }

    private string Describe(Exception e)
    {
        if (e is ArchiveException { InnerException: null })
        {
            // The reader's own refusal (what the archive expands to, a bad value): already says what happened.
            return e.Message;
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SizeLimitExceededException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return $"the archive exceeds the server's --max-size ({maxSize:N0} bytes); nothing was written";
            }
        }
        return e switch
        {
            FerryException f => f.Message,
            BadHttpRequestException or IOException => $"the upload was interrupted ({e.Message}); nothing was written",
            _ => $"unexpected {e.GetType().Name}: {e.Message}; nothing was written",
        };
    }
}
