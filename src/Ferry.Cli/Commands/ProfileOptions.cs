using System.CommandLine;
using Ferry.Profiles;

namespace Ferry.Cli.Commands;

/// <summary>The options that come with profiles: <c>--profile</c>, <c>--files NAME=DIR</c>, <c>--map TABLE=FILE</c>.</summary>
public static class ProfileOptions
{
    /// <summary><c>--profile FILE</c>.</summary>
    public static Option<string> Profile() => new("--profile") { Description = "Application profile (YAML, see docs/profiles.md): root, exclusions, relations, identities, ..." };

    /// <summary><c>--files NAME=DIR</c>, repeatable.</summary>
    public static Option<string[]> Files(string side) => new("--files")
    {
        Description = $"The {side} directory of a file store the profile names: NAME=DIR (repeat for several)",
    };

    /// <summary>The profile at <paramref name="path"/>, or null when none is given.</summary>
    public static Profile? Load(string? path) => path is null ? null : ProfileLoader.Load(path);

    /// <summary>
    /// Parses repeated <c>NAME=VALUE</c> pairs (<paramref name="option"/> names them in messages;
    /// <paramref name="example"/> shows one); null when none are given. A pair without a name or a
    /// value, or a name given twice, is a usage error.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? Pairs(IEnumerable<string>? values, string option, string example)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var text in values ?? [])
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == text.Length - 1)
            {
                throw new FerryException($"{option} '{text}': expected {example}", ExitCodes.Usage);
            }
            if (!pairs.TryAdd(text[..equals], text[(equals + 1)..]))
            {
                throw new FerryException($"{option}: {text[..equals]} is given twice", ExitCodes.Usage);
            }
        }
        return pairs.Count > 0 ? pairs : null;
    }
}
