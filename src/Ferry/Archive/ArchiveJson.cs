using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Ferry.Schema;

namespace Ferry.Archive;

/// <summary>
/// <c>manifest.json</c> and <c>trailer.json</c>: camelCase, indented, types by their lower-case name,
/// and nulls rejected where the records do not allow them.
/// </summary>
internal static class ArchiveJson
{
    // Source-generated (ArchiveJsonContext): the reflection-based serializer cost every command that opens an
    // archive about 0.1 s of start-up, compiling its readers for Ferry's records.
    private static readonly JsonSerializerOptions Options = ArchiveJsonContext.Default.Options;

    /// <summary>The manifest with <c>"format": "ferry-archive"</c> as its first property.</summary>
    public static byte[] SerializeManifest(Manifest manifest)
    {
        var body = JsonSerializer.SerializeToNode(manifest, ArchiveJsonContext.Default.Manifest)!.AsObject();
        var root = new JsonObject { ["format"] = ArchiveFormat.Name };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            root[key] = value;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            root.WriteTo(writer, Options);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a manifest; checks <c>format</c> and <c>formatVersion</c> before the rest, since a newer
    /// version may have another shape. Throws <see cref="ArchiveException"/> or <see cref="JsonException"/>.
    /// </summary>
    public static Manifest DeserializeManifest(ReadOnlySpan<byte> json)
    {
        using (var document = JsonDocument.Parse(json.ToArray()))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != ArchiveFormat.Name
                || !root.TryGetProperty("formatVersion", out var version) || !version.TryGetInt32(out var v) || v < 1)
            {
                throw new ArchiveException($"not a Ferry archive: its {ArchiveFormat.ManifestMember} does not say \"format\": \"{ArchiveFormat.Name}\" with a format version");
            }

            if (v > ArchiveFormat.Version)
            {
                throw new ArchiveException(
                    $"archive format version {v} is newer than this Ferry supports ({ArchiveFormat.Version}); use a newer Ferry to read it");
            }
        }

        return JsonSerializer.Deserialize(json, ArchiveJsonContext.Default.Manifest) ?? throw new JsonException("manifest is null");
    }

    public static byte[] SerializeTrailer(Trailer trailer) => JsonSerializer.SerializeToUtf8Bytes(trailer, ArchiveJsonContext.Default.Trailer);

    public static Trailer DeserializeTrailer(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, ArchiveJsonContext.Default.Trailer) ?? throw new JsonException("trailer is null");

    internal sealed class FerryTypeConverter : JsonConverter<FerryType>
    {
        public override FerryType Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("a column type must be a string");
            }

            try
            {
                return FerryTypes.Parse(reader.GetString()!);
            }
            catch (FormatException e)
            {
                throw new JsonException(e.Message, e);
            }
        }

        public override void Write(Utf8JsonWriter writer, FerryType value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToName());
    }
}

/// <summary>The archive's JSON members, serialised by generated code (camelCase, indented, nulls rejected where the
/// records do not allow them).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(ArchiveJson.FerryTypeConverter)])]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(Trailer))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
