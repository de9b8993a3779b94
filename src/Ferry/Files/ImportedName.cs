using System.Security.Cryptography;

namespace Ferry.Files;

/// <summary>
/// The name an imported file gets in the target store: <c>imported/</c>, 32 random lower-case hex
/// digits (128 bits from a CSPRNG), and the source path's extension when it is a plain one
/// (<c>.jpg</c>, <c>.tar</c>: a dot and 1 to 16 ASCII letters or digits), e.g. <c>imported/3f2a…c9.jpg</c>.
/// </summary>
public static class ImportedName
{
    /// <summary>The directory, relative to the store, that imported files are written into.</summary>
    public const string Directory = "imported";

    /// <summary>A new relative path (with <c>/</c>) for the file the source knew as <paramref name="sourcePath"/>.</summary>
    public static string For(string sourcePath) => For(sourcePath, RandomNumberGenerator.GetBytes(16));

    /// <summary>The relative path for <paramref name="sourcePath"/> with the given random bytes (pure).</summary>
    public static string For(string sourcePath, ReadOnlySpan<byte> random) =>
        $"{Directory}/{Convert.ToHexStringLower(random)}{Extension(sourcePath)}";

    /// <summary>The extension kept from <paramref name="sourcePath"/>, with its dot; empty when it has none or an unusual one.</summary>
    public static string Extension(string sourcePath)
    {
        var name = sourcePath[(sourcePath.LastIndexOfAny(['/', '\\']) + 1)..];
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || name.Length - dot - 1 is < 1 or > 16)
        {
            return "";
        }

        var extension = name[dot..];
        return extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension : "";
    }
}
