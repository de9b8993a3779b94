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
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        Converters = { new FerryTypeConverter() },
    };

    /// <summary>The manifest with <c>"format": "ferry-archive"</c> as its first property.</summary>
    public static byte[] SerializeManifest(Manifest manifest)
    {
        var body = JsonSerializer.SerializeToNode(manifest, Options)!.AsObject();
        var root = new JsonObject { ["format"] = ArchiveFormat.Name };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            root[key] = value;
        }

        return JsonSerializer.SerializeToUtf8Bytes(root, Options);
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

        return JsonSerializer.Deserialize<Manifest>(json, Options) ?? throw new JsonException("manifest is null");
    }

    public static byte[] SerializeTrailer(Trailer trailer) => JsonSerializer.SerializeToUtf8Bytes(trailer, Options);

    public static Trailer DeserializeTrailer(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<Trailer>(json, Options) ?? throw new JsonException("trailer is null");

    private sealed class FerryTypeConverter : JsonConverter<FerryType>
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
