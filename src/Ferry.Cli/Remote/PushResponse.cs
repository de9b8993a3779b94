using System.Net;
using System.Security.Authentication;
using System.Text.Json;
using Ferry.Cli.Output;

namespace Ferry.Cli.Remote;

/// <summary>
/// The client side of one push: sends the request, turns the server's refusals into one clear
/// error each, relays progress to stderr and prints the report as <c>ferry import</c> does.
/// </summary>
public sealed class PushResponse(IInteraction ui, Uri url, CertificateCheck check)
{
    /// <summary>Returns the exit code of a successful import; throws <see cref="FerryException"/> otherwise (3 for conflicts).</summary>
    public async Task<int> ReadAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException e) when (check.Refused || e.InnerException is AuthenticationException)
        {
            throw new FerryException(check.Refused ? check.Refusal : $"TLS with {url.Authority} failed: {e.InnerException?.Message ?? e.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new FerryException($"cannot push to {url.Authority}: {e.Message}");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                throw new ServerBusyException(url.Authority, RetryAfter(response));
            }
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var said = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
                throw new FerryException(Refusal(response.StatusCode, said));
            }
            try
            {
                return await ReadEventsAsync(response, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                throw new FerryException($"the connection to {url.Authority} broke before the import finished ({e.Message}); the server rolls it back");
            }
        }
    }

    private async Task<int> ReadEventsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            var e = JsonSerializer.Deserialize<RemoteEvent>(line, RemoteProtocol.Json)
                ?? throw new FerryException($"{url.Authority} sent an empty event");
            switch (e.Event)
            {
                case "warning":
                    ui.Line($"warning: {e.Text}");
                    break;
                case "report":
                    return Report(e);
                default:
                    ui.Line(e.Text ?? "");
                    break;
            }
        }
        throw new FerryException($"{url.Authority} ended the response without a report: the import did not complete");
    }

    private int Report(RemoteEvent e)
    {
        var view = new ImportReportView(ui);
        if (e.ExitCode == ExitCodes.Success && e.Report is { } report)
        {
            view.ShowSuccess(report);
            return ExitCodes.Success;
        }
        if (e.ExitCode == ExitCodes.Conflicts && e.Report is { } conflicts)
        {
            view.ShowConflicts(conflicts);
        }
        throw new FerryException(e.Error ?? "the server reported a failure", e.ExitCode ?? ExitCodes.Failure);
    }

    /// <summary>The server's Retry-After (seconds or a date), if it sent one.</summary>
    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow,
        _ => null,
    };

    private string Refusal(HttpStatusCode status, string said) => status switch
    {
        HttpStatusCode.Unauthorized => $"{url.Authority} refused the token (401): check --token-file",
        HttpStatusCode.Forbidden => $"{url.Authority} does not accept pushes from this address (403: {said}); add it to serve's --allow",
        HttpStatusCode.RequestTimeout => $"{url.Authority} stopped waiting for the archive (408: {said})",
        HttpStatusCode.RequestEntityTooLarge => $"{url.Authority} refused the archive as too large (413: {said})",
        _ => $"{url.Authority} answered {(int)status} {status}: {said}",
    };
}

/// <summary>The server is busy with another import (409): nothing was sent or written (exit code 4).</summary>
public sealed class ServerBusyException(string authority, TimeSpan? retryAfter)
    : FerryException($"{authority} is busy with another import into this target (409); nothing was sent or written: try again later, or push with --retry N", ExitCodes.Busy)
{
    /// <summary>How long the server asked to wait, if it said.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
