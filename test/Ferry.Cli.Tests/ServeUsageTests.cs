namespace Ferry.Cli.Tests;

/// <summary>serve and push refuse to start on a wrong command line: exit 2, one error line, nothing listening.</summary>
public sealed class ServeUsageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("", "--allow is required")]
    [InlineData("--allow 10.0.0.0/33", "--allow '10.0.0.0/33'")]
    [InlineData("--allow 127.0.0.1 --cert c.pem", "--cert and --key go together")]
    [InlineData("--allow 127.0.0.1 --max-size 5X", "--max-size '5X'")]
    [InlineData("--allow 127.0.0.1 --listen example.org:8443", "--listen 'example.org:8443'")]
    [InlineData("--allow 127.0.0.1 --log-file /nonexistent/dir/serve.log", "cannot append to the log file '/nonexistent/dir/serve.log'")]
    [InlineData("--allow 127.0.0.1 --to-password-file token", "takes no password")]
    public async Task Serve_refuses_a_wrong_command_line(string extra, string text)
    {
        var token = File("token", "0123456789abcdef-token\n");
        var target = File("target.db", "");
        var listen = extra.Contains("--listen", StringComparison.Ordinal) ? "" : " --listen 127.0.0.1:1";
        string[] args = ["serve", "--to", $"sqlite:{target}", "--token-file", token, "--state-dir", _dir, .. (extra + listen).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

        var run = await CliRun.RunAsync(args);

        run.AssertFails(ExitCodes.Usage, text);
    }

    [Theory]
    [InlineData(null, "--token-file is required")]
    [InlineData("", "at least 16 characters")]
    [InlineData("short-token\nand a long second line", "at least 16 characters")]
    public async Task Serve_refuses_to_start_without_a_good_token(string? token, string text)
    {
        var target = File("target.db", "");
        string[] tokenFile = token is null ? [] : ["--token-file", File("token", token)];

        var run = await CliRun.RunAsync(["serve", "--to", $"sqlite:{target}", "--listen", "127.0.0.1:1", "--allow", "0.0.0.0/0", "--state-dir", _dir, .. tokenFile]);

        run.AssertFails(ExitCodes.Usage, text);
    }

    [Theory]
    [InlineData("--url http://127.0.0.1:1", "expected https://HOST:PORT")]
    [InlineData("--url https://127.0.0.1:1 --pin 12:34", "--pin '12:34'")]
    [InlineData("--url https://127.0.0.1:1 --pin 00 --ca ca.pem", "--pin and --ca contradict")]
    [InlineData("--url https://127.0.0.1:1 --match users", "--match 'users'")]
    public async Task Push_refuses_a_wrong_command_line(string extra, string text)
    {
        var archive = File("a.tar.gpg", "x");
        var token = File("token", "0123456789abcdef-token\n");

        var run = await CliRun.RunAsync(["push", archive, "--token-file", token, .. extra.Split(' ')]);

        run.AssertFails(ExitCodes.Usage, text);
    }
}
