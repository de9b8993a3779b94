using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>A relation whose keys sit in a JSON document: where, and of which type.</summary>
/// <param name="Path">Where the keys are (an array relation in a JSON column: <c>$[*]</c>).</param>
/// <param name="KeyType">The type of the keys it points at (see <see cref="ReferenceKey"/>).</param>
internal sealed record DocumentKey(JsonKeyPath Path, FerryType KeyType);

/// <summary>A rewritten document: its new text (null when nothing changed) and how many keys were nulled or dropped.</summary>
internal readonly record struct RewrittenDocument(string? Text, int Unmapped);

/// <summary>
/// Gives the keys inside one JSON document their new values, keeping every other byte of its text: key order,
/// spacing, escapes and number spellings stay as they were. Pure. A value at a relation's path is a key when it
/// has the key type's form (<see cref="Canonical(JsonTokenType, string, FerryType)"/>, the same rule as the SQL that found the keys on export and
/// looked up their new values); a key with a new value gets it, in the same JSON kind (a string stays a string);
/// a key whose row did not travel becomes <c>null</c>, or, when the path ends in <c>[*]</c>, its element is removed
/// from the array with its comma; anything that is not a key is left as it is.
/// </summary>
internal sealed partial class DocumentRewriter(IReadOnlyList<DocumentKey> keys)
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The relations, in profile order: a value two of them reach is rewritten by the first.</summary>
    public IReadOnlyList<DocumentKey> Keys => keys;

    /// <summary>
    /// Rewrites <paramref name="document"/>. <paramref name="newKeys"/> gives, per relation (in <see cref="Keys"/>
    /// order), the new value of each old key (canonical text → the new key as JSON: a number or a string).
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public RewrittenDocument Rewrite(string document, IReadOnlyList<IReadOnlyDictionary<string, string>> newKeys)
    {
        ArgumentNullException.ThrowIfNull(document);
        var bytes = Encoding.UTF8.GetBytes(document);
        var edits = new List<(int Start, int End, string Text)>();
        var unmapped = 0;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 512 });
        var frames = new Stack<Frame>();
        string? member = null;
        while (reader.Read())
        {
            var token = reader.TokenType;
            if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                var done = frames.Pop();
                if (done.Elements is not null)
                {
                    DropElements(done, edits);
                }
                if (frames.Count > 0)
                {
                    frames.Peek().EndElement((int)reader.BytesConsumed);
                }
                continue;
            }
            if (token == JsonTokenType.PropertyName)
            {
                member = reader.GetString();
                continue;
            }

            // A value: where it sits, and which relations still lead through it.
            var parent = frames.Count > 0 ? frames.Peek() : null;
            var depth = frames.Count;
            var index = parent is { IsArray: true } ? parent.Count++ : -1;
            var start = (int)reader.TokenStartIndex;
            parent?.Elements?.Add(new Span(start, start));
            var active = parent is null ? AllKeys() : Reached(parent, depth - 1, member, index);
            if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                var deeper = active.Where(k => keys[k].Path.Steps.Count > depth).ToList();
                if (deeper.Count == 0 && parent is not null)
                {
                    reader.Skip();
                    parent.EndElement((int)reader.BytesConsumed);
                    continue;
                }
                var isArray = token == JsonTokenType.StartArray;
                var holdsKeys = isArray && deeper.Any(k => keys[k].Path.Steps.Count == depth + 1 && keys[k].Path.EndsInEvery);
                frames.Push(new Frame(isArray, deeper, holdsKeys ? [] : null));
                continue;
            }
            parent?.EndElement((int)reader.BytesConsumed);
            var relation = active.FirstOrDefault(k => keys[k].Path.Steps.Count == depth, -1);
            if (relation < 0 || Canonical(ref reader, keys[relation].KeyType) is not { } old)
            {
                continue;
            }
            if (newKeys[relation].TryGetValue(old, out var replacement))
            {
                edits.Add((start, (int)reader.BytesConsumed, Spell(replacement, token == JsonTokenType.String)));
            }
            else
            {
                unmapped++;
                if (keys[relation].Path.EndsInEvery && parent is { Elements: not null })
                {
                    parent.Dropped.Add(parent.Count - 1);
                }
                else
                {
                    edits.Add((start, (int)reader.BytesConsumed, "null"));
                }
            }
        }
        if (edits.Count == 0)
        {
            return new RewrittenDocument(null, unmapped);
        }
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var text = new StringBuilder(document.Length);
        var at = 0;
        foreach (var (editStart, editEnd, replacementText) in edits)
        {
            text.Append(Encoding.UTF8.GetString(bytes, at, editStart - at)).Append(replacementText);
            at = editEnd;
        }
        text.Append(Encoding.UTF8.GetString(bytes, at, bytes.Length - at));
        return new RewrittenDocument(text.ToString(), unmapped);

        List<int> AllKeys() => Enumerable.Range(0, keys.Count).ToList();
    }

    /// <summary>
    /// The canonical text of the key a JSON value holds, or null when it holds none: for an integer key, a JSON
    /// integer or a string of 1 to 18 digits with an optional minus (as digits, no leading zeros); for a UUID, a
    /// string of one (in lower case); for any other key, a string as it is.
    /// </summary>
    public static string? Canonical(JsonTokenType token, string raw, FerryType keyType) => keyType switch
    {
        FerryType.Int when token is JsonTokenType.Number or JsonTokenType.String && IntegerText().IsMatch(raw) =>
            long.Parse(raw, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture),
        FerryType.Uuid when token == JsonTokenType.String && UuidText().IsMatch(raw) => raw.ToLowerInvariant(),
        FerryType.Int or FerryType.Uuid => null,
        _ => token == JsonTokenType.String ? raw : null,
    };

    private static string? Canonical(ref Utf8JsonReader reader, FerryType keyType) => reader.TokenType switch
    {
        JsonTokenType.String => Canonical(JsonTokenType.String, reader.GetString()!, keyType),
        JsonTokenType.Number => Canonical(JsonTokenType.Number, Encoding.UTF8.GetString(reader.ValueSpan), keyType),
        _ => null,
    };

    // The relations of the parent frame whose step at the value's depth names the value.
    private List<int> Reached(Frame parent, int step, string? member, int index) =>
        parent.Active.Where(k =>
        {
            var s = keys[k].Path.Steps[step];
            return s.Kind switch
            {
                JsonStepKind.Member => !parent.IsArray && s.Name == member,
                JsonStepKind.Index => parent.IsArray && s.Index == index,
                _ => parent.IsArray,
            };
        }).ToList();

    // A new key in the JSON kind of the old one: a string stays a string, a number a number when it is one.
    private static string Spell(string newKey, bool asString)
    {
        var isNumber = newKey.Length > 0 && newKey[0] != '"';
        var text = isNumber ? newKey : JsonSerializer.Deserialize<string>(newKey)!;
        return asString || !isNumber ? "\"" + JsonEncodedText.Encode(text, Encoder).Value + "\"" : text;
    }

    // Removes dropped elements with their commas: the elements before the first kept one up to it, and each
    // later dropped element from the end of the element before it; an array left empty keeps only its brackets.
    private static void DropElements(Frame frame, List<(int Start, int End, string Text)> edits)
    {
        if (frame.Dropped.Count == 0)
        {
            return;
        }
        var spans = frame.Elements!;
        var dropped = frame.Dropped.ToHashSet();
        var kept = Enumerable.Range(0, spans.Count).FirstOrDefault(i => !dropped.Contains(i), -1);
        if (kept < 0)
        {
            edits.Add((spans[0].Start, spans[^1].End, ""));
            return;
        }
        if (kept > 0)
        {
            edits.Add((spans[0].Start, spans[kept].Start, ""));
        }
        foreach (var i in frame.Dropped.Where(i => i > kept))
        {
            edits.Add((spans[i - 1].End, spans[i].End, ""));
        }
    }

    /// <summary>An open object or array: the relations that lead through it, and for an array whose elements are keys, where each element is.</summary>
    private sealed class Frame(bool isArray, List<int> active, List<Span>? elements)
    {
        public bool IsArray { get; } = isArray;

        public List<int> Active { get; } = active;

        /// <summary>The elements' places, for an array of keys: the last one's end is known once it is read.</summary>
        public List<Span>? Elements { get; } = elements;

        public List<int> Dropped { get; } = [];

        public int Count { get; set; }

        /// <summary>Where the element just read ends (for an array of keys).</summary>
        public void EndElement(int end)
        {
            if (Elements is { Count: > 0 })
            {
                Elements[^1] = Elements[^1] with { End = end };
            }
        }
    }

    private readonly record struct Span(int Start, int End);

    [GeneratedRegex(@"^-?[0-9]{1,18}$")]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UuidText();
}
