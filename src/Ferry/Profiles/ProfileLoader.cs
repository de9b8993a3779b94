using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ferry.Profiles;

/// <summary>
/// Reads a profile (<c>docs/profiles.md</c>, <c>docs/profile.schema.json</c>) into a <see cref="Profile"/>.
/// The file must say exactly what the format allows: every mistake (YAML syntax, unknown key,
/// wrong type, missing field, bad value) is a <see cref="FerryException"/> with exit code
/// <see cref="ExitCodes.Usage"/> and the message <c>profile NAME.yaml:LINE: what is wrong and what is expected</c>.
/// Names are not checked against a database here: see <see cref="ProfileCheck"/>.
/// </summary>
public static partial class ProfileLoader
{
    /// <summary>Reads and parses the profile file at <paramref name="path"/>.</summary>
    /// <exception cref="FerryException">The file cannot be read (<c>cannot read profile FILE: ...</c>) or is not a valid profile.</exception>
    public static Profile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new FerryException($"cannot read profile {path}: {e.Message}", ExitCodes.Usage, e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses profile text; <paramref name="path"/> names the file in messages and in <see cref="Profile.Path"/>.</summary>
    /// <exception cref="FerryException">The text is not a valid profile.</exception>
    public static Profile Parse(string yaml, string path)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(path);
        var reader = new ProfileYaml(path);
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(yaml)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw reader.Error(checked((int)Math.Max(1, e.Start.Line)), $"not valid YAML: {SyntaxMessage(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some unfinished input (an unclosed [ or {): name
            // the line of the last thing it could read.
            throw reader.Error(parser.LastLine, "not valid YAML: cannot read past this point (an unclosed [ or {, or a missing quote?)");
        }
        if (stream.Documents.Count == 0)
        {
            throw reader.Error(1, $"the profile is empty; expected a mapping with keys {string.Join(", ", ProfileKeys.Top)}");
        }
        if (stream.Documents.Count > 1)
        {
            throw reader.Error(ProfileYaml.Line(stream.Documents[1].RootNode), "a profile is one YAML document; found a second one (---)");
        }
        return new Sections(reader, path).Read(stream.Documents[0].RootNode);
    }

    // YamlDotNet prefixes its message with the location ("(Line: 3, Col: 1, Idx: 20) - (...): "): the line is already said.
    private static string SyntaxMessage(YamlException e)
    {
        var message = LocationPrefix().Replace(e.Message, "").ReplaceLineEndings(" ").Trim();
        return e.InnerException is { } inner && message.Length == 0 ? inner.Message : message;
    }

    /// <summary>A parser that remembers the line of the last event it produced.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public int LastLine { get; private set; } = 1;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastLine = checked((int)Math.Max(1, current.End.Line));
            }
            return moved;
        }
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex LocationPrefix();
}
