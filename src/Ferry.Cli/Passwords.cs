using System.Security.Cryptography;

namespace Ferry.Cli;

/// <summary>
/// Where archive passwords come from: <c>--password-file</c>, then <c>FERRY_PASSWORD</c>, then (import)
/// a prompt on a terminal; export generates one from a CSPRNG when none is given.
/// </summary>
public static class Passwords
{
    public const string Variable = "FERRY_PASSWORD";

    /// <summary>The password from a file (its first line) or the environment; null when neither is given.</summary>
    public static char[]? FromFileOrEnvironment(string? file, CliConsole console)
    {
        if (file is not null)
        {
            return ReadFirstLine(file, "password file").ToCharArray();
        }
        return console.Environment(Variable) is { Length: > 0 } fromEnvironment ? fromEnvironment.ToCharArray() : null;
    }

    /// <summary>The first line of <paramref name="file"/> (a password, a token); <paramref name="what"/> names it in errors.</summary>
    public static string ReadFirstLine(string file, string what)
    {
        if (!File.Exists(file))
        {
            throw new FerryException($"{what} '{file}' does not exist");
        }
        var line = File.ReadAllText(file).Split('\n')[0].TrimEnd('\r');
        return line.Length > 0 ? line : throw new FerryException($"{what} '{file}' is empty");
    }

    /// <summary>
    /// A new password: 24 random bytes from the operating system's CSPRNG (192 bits), base64url.
    /// </summary>
    public static char[] Generate() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').ToCharArray();

    /// <summary>Asks on the terminal without echo; null when stdin is not a terminal or is the archive itself.</summary>
    public static char[]? Prompt(CliConsole console, bool archiveOnStdin)
    {
        if (!console.InIsTerminal || archiveOnStdin)
        {
            return null;
        }
        console.Error.Write("Archive password: ");
        var password = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Count > 0)
                {
                    password.RemoveAt(password.Count - 1);
                }
                continue;
            }
            password.Add(key.KeyChar);
        }
        console.Error.WriteLine();
        return password.Count > 0 ? password.ToArray() : null;
    }
}
