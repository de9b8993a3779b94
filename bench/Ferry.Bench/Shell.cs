using System.Diagnostics;
using System.Globalization;

namespace Ferry.Bench;

/// <summary>Runs bash commands; the harness drives psql, sqlite3, pg_dump and ./ferry through it.</summary>
internal static class Shell
{
    public static string Run(string command, IDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("bash", ["-o", "pipefail", "-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"exit {process.ExitCode}: {command}\n{stderr.Result}");
        }
        return stdout + stderr.Result;
    }

    /// <summary>Wall-clock seconds of a command.</summary>
    public static double Time(string command, IDictionary<string, string>? env = null)
    {
        var watch = Stopwatch.StartNew();
        Run(command, env);
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Wall-clock seconds, peak RSS (KB) from /usr/bin/time -f %M, and the command's output.</summary>
    public static (double Seconds, long RssKb, string Output) TimeWithRss(string command, IDictionary<string, string>? env = null)
    {
        var file = Path.GetTempFileName();
        try
        {
            var watch = Stopwatch.StartNew();
            var output = Run($"/usr/bin/time -f %M -o {file} {command}", env);
            var seconds = watch.Elapsed.TotalSeconds;
            return (seconds, LastNumber(file), output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The number on the last non-empty line of a file (what /usr/bin/time -o writes).</summary>
    public static long LastNumber(string file) =>
        long.Parse(File.ReadAllLines(file).Last(l => l.Length > 0).Trim(), CultureInfo.InvariantCulture);

    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
