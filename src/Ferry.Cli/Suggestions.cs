using System.CommandLine;

namespace Ferry.Cli;

/// <summary>Turns parse errors into one line, with "did you mean" for a misspelt command or option.</summary>
public static class Suggestions
{
    /// <summary>The parse errors of <paramref name="parse"/>, joined, each unknown word followed by its nearest known one.</summary>
    public static string Describe(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        // One line: "Must be one of:\n\t'text'\n\t'json'" becomes "Must be one of: 'text', 'json'".
        var errors = parse.Errors.Select(e => OneLine(e.Message)).Distinct().ToList();
        // "ferry exprt": the unknown word says more than "Required command was not provided".
        if (errors.Count > 1)
        {
            errors.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));
        }
        return string.Join(" ", errors.Select(message =>
        {
            var token = unmatched.FirstOrDefault(t => message.StartsWith("Unrecognized", StringComparison.Ordinal) && message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is null)
            {
                return message;
            }
            var what = token.StartsWith('-') ? "unknown option" : "unknown command or argument";
            return Nearest(token, Candidates(command, token)) is { } best ? $"{what} '{token}' (did you mean {best}?)" : $"{what} '{token}'";
        }));
    }

    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return lines.Length <= 1 ? message.Trim() : $"{lines[0]} {string.Join(", ", lines[1..])}";
    }

    /// <summary>The option names and aliases (for a word starting with '-'), or the subcommand names, of <paramref name="command"/>.</summary>
    private static IEnumerable<string> Candidates(Command command, string token)
    {
        if (token.StartsWith('-'))
        {
            var options = command.Options.Concat(Ancestors(command).SelectMany(c => c.Options.Where(o => o.Recursive)));
            return options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));
        }
        return command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return parent;
        }
    }

    /// <summary>The candidate closest to <paramref name="word"/>: within a third of its length in edits (at least 1), or one it starts.</summary>
    public static string? Nearest(string word, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (candidate: c, distance: Distance(word.TrimStart('-'), c.TrimStart('-'))))
            .OrderBy(x => x.distance).ThenBy(x => x.candidate, StringComparer.Ordinal)
            .FirstOrDefault();
        if (best.candidate is null)
        {
            return null;
        }
        var bare = word.TrimStart('-');
        var allowed = Math.Max(1, bare.Length / 3);
        return best.distance <= allowed || (bare.Length >= 3 && best.candidate.TrimStart('-').StartsWith(bare, StringComparison.Ordinal))
            ? best.candidate
            : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
