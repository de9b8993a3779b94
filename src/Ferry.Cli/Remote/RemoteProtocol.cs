using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ferry.Import;

namespace Ferry.Cli.Remote;

/// <summary>
/// The import endpoint's protocol, shared by <c>ferry serve</c> and <c>ferry push</c>:
/// <c>POST /import</c> with the archive as the body, options in headers, and a response of JSON
/// lines (<c>application/x-ndjson</c>): progress events, then one report event.
/// </summary>
public static class RemoteProtocol
{
    public const string Path = "/import";
    public const string ContentType = "application/x-ndjson";

    /// <summary>The archive password, base64 of its UTF-8 bytes; only over TLS, never in a URL or a log.</summary>
    public const string PasswordHeader = "X-Ferry-Password";

    /// <summary>Match rules, comma-separated: <c>users:email,tags:name</c>.</summary>
    public const string MatchHeader = "X-Ferry-Match";

    /// <summary><c>true</c> for a dry run.</summary>
    public const string DryRunHeader = "X-Ferry-Dry-Run";

    /// <summary>The id the server gives the import, also in its log line.</summary>
    public const string ImportIdHeader = "X-Ferry-Import-Id";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string EncodePassword(char[] password) => Convert.ToBase64String(Encoding.UTF8.GetBytes(password));

    public static char[] DecodePassword(string header) => Encoding.UTF8.GetChars(Convert.FromBase64String(header));
}

/// <summary>One line of the response: <c>progress</c> (a text for people) or <c>report</c> (the end).</summary>
/// <param name="Event"><c>progress</c>, <c>warning</c> or <c>report</c>.</param>
/// <param name="Text">For progress and warnings.</param>
/// <param name="ExitCode">For the report: what <c>ferry import</c> would have exited with (0, 1 or 3).</param>
/// <param name="Error">For the report of a failure: the one-line message.</param>
/// <param name="Report">For the report: the import's report (also with conflicts), null when it failed before one existed.</param>
public sealed record RemoteEvent(string Event, string? Text = null, int? ExitCode = null, string? Error = null, ImportReport? Report = null);
