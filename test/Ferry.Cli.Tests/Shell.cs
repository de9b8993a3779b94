using System.Diagnostics;

namespace Ferry.Cli.Tests;

/// <summary>Runs a bash script in the repository root, so that <c>./ferry</c> is the real launcher and pipes are real pipes.</summary>
public static class Shell
{
    /// <summary>The repository root: the first parent of the test binaries that holds the <c>ferry</c> launcher.</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Runs <c>bash -c SCRIPT</c> with <paramref name="environment"/> added; killed (and failed) after <paramref name="timeout"/>.</summary>
    public static async Task<CliRun> RunAsync(string script, Dictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output);
        var stderr = process.StandardError.ReadToEndAsync();
        // The first run of ./ferry may build the CLI: allow for it.
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(4));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{script}' did not finish in time");
        }
        await stdout;
        return new CliRun(process.ExitCode, output.ToArray(), await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ferry")) && File.Exists(Path.Combine(dir.FullName, "Ferry.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (with ./ferry) was not found above the test binaries");
    }
}
