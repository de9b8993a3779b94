namespace Ferry.Cli.Remote;

/// <summary>
/// The arithmetic of <see cref="UploadLimits"/>, without a clock: the caller says how long each read
/// waited and what it brought, and asks how much longer the next read may wait before a limit is passed.
/// <para>The rate is measured over a sliding window of waiting time: in the last <c>Window</c> of
/// waiting at least <c>MinRate × Window</c> bytes must have arrived. A client that sends well for an
/// hour and then stalls is cut a window after the stall (Kestrel's MinRequestBodyDataRate averages over
/// the whole body, so a long good start would buy a long stall). No check before a whole window was
/// waited: that is the grace.</para>
/// </summary>
public sealed class UploadPace(UploadLimits limits)
{
    // Reads that end within this much waiting of the previous sample are merged into it, which keeps at
    // most Window / Resolution samples; merging only ever moves a byte later, so it never cuts earlier.
    private static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(250);

    // (waited, bytes received by then); the first is the last sample at or before the window's start.
    private readonly List<(TimeSpan Waited, long Bytes)> _samples = [(TimeSpan.Zero, 0)];

    /// <summary>All the time spent waiting so far.</summary>
    public TimeSpan Waited { get; private set; }

    /// <summary>Bytes received so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>Records one read that waited <paramref name="waited"/> and brought <paramref name="bytes"/>.</summary>
    public void Record(TimeSpan waited, long bytes)
    {
        Waited += waited;
        Bytes += bytes;
        if (_samples.Count > 1 && Waited - _samples[^2].Waited < Resolution)
        {
            _samples[^1] = (Waited, Bytes);
        }
        else
        {
            _samples.Add((Waited, Bytes));
        }
        while (_samples.Count > 1 && _samples[1].Waited <= Waited - limits.Window)
        {
            _samples.RemoveAt(0);
        }
    }

    /// <summary>
    /// How much longer the next read may wait if nothing arrives, and what is passed then: zero or less
    /// means a limit is already passed.
    /// </summary>
    public (TimeSpan Left, string Limit) Allowance()
    {
        var deadline = limits.Timeout - Waited;
        if (limits.MinRate <= 0)
        {
            return (deadline, "timeout");
        }
        // If nothing more arrives, the window ending at waiting time w holds Bytes - bytesAt(w - Window);
        // it first falls short once w - Window reaches the first sample above Bytes - MinRate * Window.
        var needed = Bytes - (long)(limits.MinRate * limits.Window.TotalSeconds);
        var from = _samples.FirstOrDefault(s => s.Bytes > needed, (Waited, Bytes)).Waited;
        var rate = from + limits.Window - Waited;
        return rate < deadline ? (rate, "rate") : (deadline, "timeout");
    }

    /// <summary>What a passed limit is called in the log and in the error push prints.</summary>
    public string Describe(string limit) => limit == "rate"
        ? $"upload too slow: less than {UploadLimits.Size(limits.MinRate)}/s arrived over {UploadLimits.Duration(limits.Window)} of waiting (--min-upload-rate); " +
          $"{Bytes:N0} bytes received in {UploadLimits.Duration(Waited)} of waiting"
        : $"upload too slow: the archive had not arrived after {UploadLimits.Duration(limits.Timeout)} of waiting (--upload-timeout); {Bytes:N0} bytes received";
}
