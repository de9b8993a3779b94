using System.Buffers;
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
internal sealed partial class DocumentRewriter
{
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private readonly IReadOnlyList<DocumentKey> _keys;

    // Per relation: its steps, and the UTF-8 name of each member step (compared with the document's bytes as they are).
    private readonly JsonStep[][] _steps;
    private readonly byte[]?[][] _names;

    public DocumentRewriter(IReadOnlyList<DocumentKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = keys;
        _steps = keys.Select(k => k.Path.Steps.ToArray()).ToArray();
        _names = _steps.Select(steps => steps.Select(s => s.Kind == JsonStepKind.Member ? Encoding.UTF8.GetBytes(s.Name!) : null).ToArray()).ToArray();
    }

    /// <summary>The relations, in profile order: a value two of them reach is rewritten by the first.</summary>
    public IReadOnlyList<DocumentKey> Keys => _keys;

    /// <summary>
    /// Rewrites <paramref name="document"/>. <paramref name="newKeys"/> gives, per relation (in <see cref="Keys"/>
    /// order), the new value of each old key (canonical text → the new key as JSON: a number or a string).
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public RewrittenDocument Rewrite(string document, IReadOnlyList<IReadOnlyDictionary<string, string>> newKeys)
    {
        ArgumentNullException.ThrowIfNull(newKeys);
        return Walk(document, newKeys, null);
    }

    /// <summary>
    /// Adds to <paramref name="found"/> (per relation, in <see cref="Keys"/> order; relations may share a set) the
    /// canonical text of every key <paramref name="document"/> holds: the keys <see cref="Rewrite"/> looks up.
    /// </summary>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public void Collect(string document, IReadOnlyList<ISet<string>> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        Walk(document, null, found);
    }

    // One pass over the text: each key found is either looked up in newKeys (and edited) or added to found. Values
    // no relation leads into are skipped whole; a member name is compared as UTF-8 bytes, never made a string.
    private RewrittenDocument Walk(string document, IReadOnlyList<IReadOnlyDictionary<string, string>>? newKeys, IReadOnlyList<ISet<string>>? found)
    {
        ArgumentNullException.ThrowIfNull(document);
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(document.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(document, buffer);
            var bytes = buffer.AsSpan(0, length);
            List<(int Start, int End, string Text)>? edits = null;
            var unmapped = 0;
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 512 });
            var frames = new List<Frame>();
            var named = new List<int>();   // relations of the innermost object whose step names the member just read
            var reached = new List<int>(); // relations that lead through the value just read
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    var done = frames[^1];
                    frames.RemoveAt(frames.Count - 1);
                    if (done.Elements is not null)
                    {
                        DropElements(done, ref edits);
                    }
                    if (frames.Count > 0)
                    {
                        frames[^1].EndElement((int)reader.BytesConsumed);
                    }
                    continue;
                }
                if (token == JsonTokenType.PropertyName)
                {
                    named.Clear();
                    var step = frames.Count - 1;
                    foreach (var k in frames[^1].Active)
                    {
                        if (_names[k][step] is { } name && reader.ValueTextEquals(name))
                        {
                            named.Add(k);
                        }
                    }
                    continue;
                }

                // A value: where it sits, and which relations still lead through it.
                var parent = frames.Count > 0 ? frames[^1] : null;
                var depth = frames.Count;
                var index = parent is { IsArray: true } ? parent.Count++ : -1;
                var start = (int)reader.TokenStartIndex;
                parent?.Elements?.Add(new Span(start, start));
                Reached(parent, depth, index, named, reached);
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    List<int>? deeper = null;
                    var holdsKeys = false;
                    var isArray = token == JsonTokenType.StartArray;
                    foreach (var k in reached)
                    {
                        if (_steps[k].Length > depth)
                        {
                            (deeper ??= []).Add(k);
                            holdsKeys |= isArray && _steps[k].Length == depth + 1 && _steps[k][depth].Kind == JsonStepKind.Every;
                        }
                    }
                    if (deeper is null && parent is not null)
                    {
                        reader.Skip();
                        parent.EndElement((int)reader.BytesConsumed);
                        continue;
                    }
                    frames.Add(new Frame(isArray, deeper ?? [], holdsKeys ? [] : null));
                    continue;
                }
                parent?.EndElement((int)reader.BytesConsumed);
                var relation = -1;
                foreach (var k in reached)
                {
                    if (_steps[k].Length == depth)
                    {
                        relation = k;
                        break;
                    }
                }
                if (relation < 0 || Canonical(ref reader, _keys[relation].KeyType) is not { } old)
                {
                    continue;
                }
                if (found is not null)
                {
                    found[relation].Add(old);
                    continue;
                }
                if (newKeys![relation].TryGetValue(old, out var replacement))
                {
                    (edits ??= []).Add((start, (int)reader.BytesConsumed, Spell(replacement, token == JsonTokenType.String)));
                }
                else
                {
                    unmapped++;
                    if (_keys[relation].Path.EndsInEvery && parent is { Elements: not null })
                    {
                        parent.Drop(parent.Count - 1);
                    }
                    else
                    {
                        (edits ??= []).Add((start, (int)reader.BytesConsumed, "null"));
                    }
                }
            }
            return edits is null ? new RewrittenDocument(null, unmapped) : new RewrittenDocument(Apply(bytes, edits), unmapped);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The text with its edits (replacements of byte ranges that start and end at token boundaries), decoded once.
    private static string Apply(ReadOnlySpan<byte> bytes, List<(int Start, int End, string Text)> edits)
    {
        edits.Sort((a, b) => a.Start.CompareTo(b.Start));
        var output = new ArrayBufferWriter<byte>(bytes.Length + 64);
        var at = 0;
        foreach (var (editStart, editEnd, replacementText) in edits)
        {
            output.Write(bytes[at..editStart]);
            var size = Encoding.UTF8.GetByteCount(replacementText);
            Encoding.UTF8.GetBytes(replacementText, output.GetSpan(size));
            output.Advance(size);
            at = editEnd;
        }
        output.Write(bytes[at..]);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    // The relations of the parent frame whose step at the value's depth names the value (all of them at the root).
    private void Reached(Frame? parent, int depth, int index, List<int> named, List<int> reached)
    {
        reached.Clear();
        if (parent is null)
        {
            for (var k = 0; k < _keys.Count; k++)
            {
                reached.Add(k);
            }
            return;
        }
        if (!parent.IsArray)
        {
            reached.AddRange(named);
            return;
        }
        foreach (var k in parent.Active)
        {
            var s = _steps[k][depth - 1];
            if (s.Kind == JsonStepKind.Every || (s.Kind == JsonStepKind.Index && s.Index == index))
            {
                reached.Add(k);
            }
        }
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

    // A new key in the JSON kind of the old one: a string stays a string, a number a number when it is one.
    private static string Spell(string newKey, bool asString)
    {
        var isNumber = newKey.Length > 0 && newKey[0] != '"';
        var text = isNumber ? newKey : IsPlain(newKey.AsSpan(1, newKey.Length - 2)) ? newKey[1..^1] : Unquote(newKey);
        if (isNumber && !asString)
        {
            return text;
        }
        return "\"" + (IsPlain(text) ? text : JsonEncodedText.Encode(text, Encoder).Value) + "\"";
    }

    // Letters, digits, '-', '_' and '.' read and escape as themselves (UUIDs, numbers, most text keys).
    private static bool IsPlain(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(PlainKey);

    private static readonly SearchValues<char> PlainKey = SearchValues.Create("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_.");

    // The text a JSON string literal spells.
    private static string Unquote(string literal)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(literal));
        reader.Read();
        return reader.GetString()!;
    }

    // Removes dropped elements with their commas: the elements before the first kept one up to it, and each
    // later dropped element from the end of the element before it; an array left empty keeps only its brackets.
    private static void DropElements(Frame frame, ref List<(int Start, int End, string Text)>? edits)
    {
        if (frame.Dropped is not { } dropped)
        {
            return;
        }
        var spans = frame.Elements!;
        // Dropped holds element indexes in ascending order: the first kept element is the first gap.
        var kept = 0;
        while (kept < dropped.Count && dropped[kept] == kept)
        {
            kept++;
        }
        edits ??= [];
        if (kept == spans.Count)
        {
            edits.Add((spans[0].Start, spans[^1].End, ""));
            return;
        }
        if (kept > 0)
        {
            edits.Add((spans[0].Start, spans[kept].Start, ""));
        }
        foreach (var i in dropped)
        {
            if (i > kept)
            {
                edits.Add((spans[i - 1].End, spans[i].End, ""));
            }
        }
    }

    /// <summary>An open object or array: the relations that lead through it, and for an array whose elements are keys, where each element is.</summary>
    private sealed class Frame(bool isArray, List<int> active, List<Span>? elements)
    {
        public bool IsArray { get; } = isArray;

        public List<int> Active { get; } = active;

        /// <summary>The elements' places, for an array of keys: the last one's end is known once it is read.</summary>
        public List<Span>? Elements { get; } = elements;

        /// <summary>The elements to remove (their keys' rows did not travel), in order; null when none.</summary>
        public List<int>? Dropped { get; private set; }

        public int Count { get; set; }

        public void Drop(int element) => (Dropped ??= []).Add(element);

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

    [GeneratedRegex(@"^-?[0-9]{1,18}\z")]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\z")]
    private static partial Regex UuidText();
}
