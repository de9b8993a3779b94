using System.Text;

namespace Ferry.Cli.Tests;

/// <summary>One in-process run of the command line with captured streams.</summary>
public sealed record CliRun(int ExitCode, byte[] Stdout, string Stderr)
{
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    public IReadOnlyList<string> ErrorLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();

    /// <summary>Runs <c>ferry ARGS</c> with the given stdin and environment (nothing inherited).</summary>
    public static async Task<CliRun> RunAsync(string[] args, byte[]? stdin = null, Dictionary<string, string>? environment = null,
        bool inIsTerminal = false, bool errorIsTerminal = false)
    {
        using var input = new MemoryStream(stdin ?? []);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var console = new CliConsole(input, output, error, InIsTerminal: inIsTerminal, ErrorIsTerminal: errorIsTerminal,
            name => environment?.GetValueOrDefault(name));
        var code = await FerryApp.RunAsync(args, console, CancellationToken.None);
        return new CliRun(code, output.ToArray(), error.ToString());
    }

    /// <summary>Asserts success (exit 0), showing stderr otherwise.</summary>
    public void AssertSucceeds() => Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr:\n{Stderr}");

    /// <summary>Asserts a failure: the exit code, exactly one <c>error:</c> line, last, containing <paramref name="text"/>, and no stack trace.</summary>
    public void AssertFails(int exitCode, string text)
    {
        Assert.True(ExitCode == exitCode, $"exit code {ExitCode}, expected {exitCode}; stderr:\n{Stderr}");
        var line = Assert.Single(ErrorLines);
        Assert.True(line.Contains(text, StringComparison.Ordinal), $"expected \"{text}\" in the error line:\n{line}");
        Assert.Equal(line, Stderr.TrimEnd('\n').Split('\n')[^1]);
        Assert.DoesNotContain("   at ", Stderr, StringComparison.Ordinal);
    }
}
