using System.Globalization;

namespace Ferry.Cli.Remote;

/// <summary>
/// How long <c>ferry serve</c> waits for an archive, counting only the time it is waiting for the
/// client (time spent importing what has arrived does not count).
/// </summary>
/// <param name="Timeout">All the waiting one upload may cost (<c>--upload-timeout</c>).</param>
/// <param name="MinRate">Bytes per second that must arrive over every <paramref name="Window"/> of waiting (<c>--min-upload-rate</c>); 0: no minimum.</param>
/// <param name="Window">The waiting time the rate is measured over, and the grace before it is first checked (<c>--rate-window</c>).</param>
public sealed record UploadLimits(TimeSpan Timeout, long MinRate, TimeSpan Window)
{
    /// <summary>
    /// An hour of waiting (a 4 GiB archive, the default --max-size, arrives in it at 10 Mbit/s); 16 KiB/s
    /// (128 kbit/s, far below any link a server is pushed over and hundreds of times below what export
    /// writes) over a minute of waiting (what nginx's client_body_timeout gives a silent client).
    /// docs/security.md explains them.
    /// </summary>
    public static readonly UploadLimits Default = new(TimeSpan.FromHours(1), 16 << 10, TimeSpan.FromSeconds(60));

    /// <summary>For people: "16 KiB/s over 60 s, 1 h in all".</summary>
    public override string ToString() =>
        (MinRate > 0 ? $"at least {Size(MinRate)}/s over any {Duration(Window)} of waiting, " : "no minimum rate, ") + $"{Duration(Timeout)} of waiting in all";

    /// <summary>Parses a duration: seconds, or a number with s, m or h (<c>90s</c>, <c>15m</c>, <c>2h</c>).</summary>
    public static TimeSpan ParseDuration(string text, string option)
    {
        var unit = text.Length > 0 ? char.ToLowerInvariant(text[^1]) : ' ';
        var seconds = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var digits = seconds > 0 ? text[..^1] : text;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0 || number > 366L * 86400 / Math.Max(seconds, 1))
        {
            throw new FerryException($"{option} '{text}': expected seconds or a number with s, m or h, e.g. 90s, 15m, 2h", ExitCodes.Usage);
        }
        return TimeSpan.FromSeconds(number * Math.Max(seconds, 1));
    }

    /// <summary>A duration as people write it: 45 s, 15 min, 1 h, 1 h 30 min.</summary>
    public static string Duration(TimeSpan span) =>
        span.TotalSeconds < 60 ? $"{span.TotalSeconds:0.#} s"
        : span.TotalMinutes < 60 ? $"{span.TotalMinutes:0.#} min"
        : span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";

    /// <summary>Bytes as people read them: 16 KiB, 1.5 MiB.</summary>
    public static string Size(long bytes) =>
        bytes >= 1 << 30 ? $"{bytes / (double)(1 << 30):0.#} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB"
        : bytes >= 1 << 10 ? $"{bytes / 1024.0:0.#} KiB"
        : $"{bytes} bytes";
}
