using Ferry.Engines;
using Ferry.IO;
using Ferry.Import;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;

namespace Ferry.Cli.Remote;

/// <summary>
/// One accepted import: the request body flows into <see cref="Importer"/> as it arrives (nothing
/// buffered whole), progress and the report flow back as JSON lines. Whatever fails, or a client
/// that goes away, aborts the import and its transaction rolls back.
/// </summary>
public sealed class RemoteImport(IDatabaseEngine engine, long maxSize)
{
    /// <summary>Runs the import; returns the outcome and rows inserted for the log.</summary>
    public async Task<(string Outcome, long Rows)> RunAsync(HttpContext context, ImportOptions options, string id, CancellationToken stopping)
    {
        // The archive reader is synchronous (BouncyCastle has no async API).
        context.Features.GetRequiredFeature<IHttpBodyControlFeature>().AllowSynchronousIO = true;
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        // Wait for the first bytes of the archive (which sends "100 Continue" to a client that asked)
        // before answering 200: a response must not start before the client was told to send.
        try
        {
            var first = await context.Request.BodyReader.ReadAsync(abort.Token);
            context.Request.BodyReader.AdvanceTo(first.Buffer.Start);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException or OperationCanceledException)
        {
            return ($"failed: {Describe(e)}", 0);
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
            await using var body = new CountingStream(context.Request.Body, maxSize);
            var result = await new Importer(engine, events).ImportAsync(options, body, abort.Token);
            report = new RemoteEvent("report", ExitCode: ExitCodes.Success, Report: result);
            (outcome, rows) = (result.Outcome, result.Inserted);
        }
        catch (ConflictException conflicts)
        {
            report = new RemoteEvent("report", ExitCode: conflicts.ExitCode, Error: conflicts.Message, Report: conflicts.Report);
            outcome = "conflicts";
        }
        catch (Exception) when (abort.IsCancellationRequested)
        {
            // The client went away (or the server is stopping): the transaction was rolled back.
            return (stopping.IsCancellationRequested ? "cancelled: the server is stopping" : "cancelled: the client went away", 0);
        }
        catch (Exception e)
        {
            var message = Describe(e);
            report = new RemoteEvent("report", ExitCode: ExitCodes.Failure, Error: message);
            outcome = $"failed: {message}";
        }
        await events.CompleteAsync(report);
        return (outcome, rows);
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
