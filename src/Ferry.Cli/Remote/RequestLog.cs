using System.Globalization;
using System.Net;

namespace Ferry.Cli.Remote;

/// <summary>One line per request, to stderr and (appended) to <c>--log-file</c>: time, client, import id, status, outcome, rows, duration. Never a password or token.</summary>
public sealed class RequestLog(TextWriter error, string? file)
{
    private readonly Lock _lock = new();

    public void Write(IPAddress? client, string importId, int status, string outcome, long rows, TimeSpan duration)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} client={client} import={importId} status={status} outcome=\"{outcome.Replace('"', '\'')}\" rows={rows} duration={duration.TotalSeconds:0.000}s");
        lock (_lock)
        {
            error.WriteLine(line);
            if (file is not null)
            {
                File.AppendAllText(file, line + "\n");
            }
        }
    }
}
