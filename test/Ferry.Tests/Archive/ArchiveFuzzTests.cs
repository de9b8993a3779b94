using System.Text;
using System.Text.Json;
using CsCheck;
using Ferry.Archive;
using Ferry.Import;
using Ferry.Schema;
using Ferry.Testing;
using Xunit.Abstractions;

namespace Ferry.Tests.Archive;

/// <summary>
/// Fuzzing of what reads untrusted archives (CsCheck, structure-aware and byte mutations): whatever the input,
/// the archive reader, the manifest parser and checks, the row decoder and the import's SQL building either
/// accept it or refuse it with Ferry's own exception; never another exception, never a hang. Each target runs
/// for <c>FERRY_FUZZ_SECONDS</c> (default 5; CI gives 15), and says how many inputs it tried.
/// </summary>
public class ArchiveFuzzTests(ITestOutputHelper output)
{
    private static int Seconds => FuzzManifests.Seconds;

    private static readonly ArchiveReadOptions Reading = new() { AllowPlaintext = true, MaxRowBytes = 1 << 20, MaxExpandedBytes = 16 << 20 };

    /// <summary>Valid tars to mutate: types of every kind, references of every kind, several tables.</summary>
    private static readonly byte[][] Seeds = [.. SeedArchives().Select(a => a.Tar())];

    private static IEnumerable<HostileArchive> SeedArchives()
    {
        yield return HostileArchive.OneTable().AddRows(1, "[1,\"a\"]", "[2,null]", "[3,\"\\u00e9\\n\\\"q\\\"\"]");
        yield return HostileArchive.OneTable("t", ("id", "int", "bigint"), ("f", "float", "float8"), ("b", "bool", "boolean"), ("d", "decimal", "numeric"),
                ("y", "bytes", "bytea"), ("da", "date", "date"), ("ti", "time", "time"), ("ts", "timestamp", "timestamp"), ("tz", "timestamptz", "timestamptz"),
                ("u", "uuid", "uuid"), ("j", "json", "jsonb"))
            .AddRows(1, "[1,-0,true,\"-1.50\",\"AAEC/w==\",\"2024-02-29\",\"23:59:59.5\",\"2024-05-01 10:00:00\",\"2024-05-01 10:00:00+02:00\",\"0b7e6f2c-3d1e-4a5b-9c8d-7e6f5a4b3c2d\",\"{\\\"a\\\":[1]}\"]",
                "[2,\"NaN\",false,\"1e5\",\"\",\"0044-03-15 BC\",\"24:00:00\",\"infinity\",\"1970-01-01 00:00:00Z\",\"00000000-0000-0000-0000-000000000000\",\"null\"]");
        var linked = HostileArchive.OneTable("groups", ("id", "int", "bigint"), ("name", "text", "text"));
        var items = HostileArchive.TableJson("items", "owned", ("id", "int", "bigint"), ("group_id", "int", "bigint"), ("tags", "text", "bigint[]"), ("doc", "json", "jsonb"), ("kind", "text", "text"));
        items["foreignKeys"] = JsonSerializer.SerializeToNode(new object[]
        {
            new { name = "fk_g", table = "items", columns = new[] { "group_id" }, refTable = "groups", refColumns = new[] { "id" }, nullable = false },
            new { name = "fk_t", table = "items", columns = new[] { "tags" }, refTable = "groups", refColumns = new[] { "id" }, nullable = true, reference = new { kind = "array", arrayForm = "sql" } },
            new { name = "fk_d", table = "items", columns = new[] { "doc" }, refTable = "groups", refColumns = new[] { "id" }, nullable = true, reference = new { kind = "json", path = "$.a.ids[*]" } },
            new { name = "fk_k", table = "items", columns = new[] { "group_id" }, refTable = "groups", refColumns = new[] { "id" }, nullable = true, reference = new { kind = "column", typeColumn = "kind", typeValue = "g" } },
        });
        linked.Manifest["tables"]!.AsArray().Add(items);
        linked.Manifest["cycleBreaks"] = JsonSerializer.SerializeToNode(new object[] { new { name = "fk_g", table = "items", columns = new[] { "group_id" }, refTable = "groups", refColumns = new[] { "id" }, nullable = false } });
        yield return linked.AddRows(1, "[1,\"one\"]", "[2,\"two\"]").AddRows(2, "[10,1,\"{1,2}\",\"{\\\"a\\\":{\\\"ids\\\":[2]}}\",\"g\"]");
    }

    [Fact]
    public void Mutated_archives_are_read_or_refused_and_never_crash()
    {
        long inputs = 0, accepted = 0;
        var mutation = Gen.Select(Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Byte, Gen.Int[1, 64]);
        var gen = Gen.Select(Gen.Int[0, Seeds.Length - 1], mutation.Array[1, 8], Gen.Bool);
        gen.Sample((seed, mutations, encrypt) =>
        {
            Interlocked.Increment(ref inputs);
            var tar = Mutate(Seeds[seed], mutations);
            if (ReadFully(HostileArchive.GzipOf(tar)))
            {
                Interlocked.Increment(ref accepted);
            }
        }, time: Seconds);

        output.WriteLine($"archive reader: {inputs:N0} mutated archives, {accepted:N0} accepted, every other one refused with an ArchiveException");
        Assert.True(inputs > 0);
    }

    [Fact]
    public void Generated_manifests_are_refused_or_planned_without_a_crash()
    {
        long inputs = 0, valid = 0;
        FuzzManifests.Manifests.Sample(json =>
        {
            Interlocked.Increment(ref inputs);
            Manifest manifest;
            try
            {
                manifest = ArchiveJson.DeserializeManifest(Encoding.UTF8.GetBytes(json));
                ManifestCheck.Validate(manifest);
            }
            catch (Exception e) when (e is ArchiveException or JsonException)
            {
                return;
            }

            Interlocked.Increment(ref valid);
            Plan(manifest);
        }, time: Seconds);

        output.WriteLine($"manifest parser: {inputs:N0} generated manifests, {valid:N0} valid and planned");
        Assert.True(valid > 0, "the generator should make some valid manifests");
    }

    [Fact]
    public void Random_rows_decode_or_are_refused()
    {
        long inputs = 0;
        var types = Enum.GetValues<FerryType>();
        var token = Gen.OneOf("null", "true", "false", "0", "-0", "1e999", "-9223372036854775809", "9223372036854775807", "1.5", "\"\"", "\"x\"",
            "\"NaN\"", "\"2024-02-30\"", "\"2024-02-29 24:00:00\"", "\"AAEC/w==\"", "\"AAE\"", "\"\\u0000\"", "\"\\ud800\"", "\"{\\\"a\\\":\"", "[", "]", "{}", ",", "\"12.5e-3\"");
        var gen = Gen.Select(Gen.OneOf(types).Array[1, 6], token.Array[0, 10], Gen.Bool);
        gen.Sample((columns, tokens, wrap) =>
        {
            Interlocked.Increment(ref inputs);
            var table = new ManifestTable("t", "root", columns.Select((t, i) => new ManifestColumn($"c{i}", t, t.ToName(), true)).ToList(), ["c0"], [], []);
            var line = wrap ? "[" + string.Join(",", tokens) + "]" : string.Join("", tokens);
            try
            {
                new RowDecoder().Decode(table, Encoding.UTF8.GetBytes(line), new ObjectRowSink(new object?[columns.Length]), "data/0001-t/000001.jsonl", 1);
            }
            catch (ArchiveException)
            {
                // Refused: the only allowed failure.
            }
        }, time: Seconds);

        output.WriteLine($"row decoder: {inputs:N0} generated rows");
    }

    /// <summary>Reads an archive to its end; true when accepted, false when refused with an <see cref="ArchiveException"/>.</summary>
    private static bool ReadFully(byte[] archive)
    {
        using var input = new MemoryStream(archive);
        ArchiveReader? reader = null;
        try
        {
            reader = ArchiveReader.OpenAsync(input, () => null, Reading, CancellationToken.None).GetAwaiter().GetResult();
            foreach (var table in reader.Manifest.Tables)
            {
                reader.PushTableAsync(table, new ObjectRowSink(new object?[table.Columns.Count]), CancellationToken.None).GetAwaiter().GetResult();
            }

            // Skips the files section, verifying it, then checks the trailer.
            reader.VerifyAsync(CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }
        catch (ArchiveException)
        {
            return false;
        }
        finally
        {
            reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static byte[] Mutate(byte[] original, (int Kind, int At, byte Value, int Length)[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var (kind, at, value, length) in mutations)
        {
            if (bytes.Count == 0)
            {
                break;
            }

            var i = at % bytes.Count;
            var n = Math.Min(length, bytes.Count - i);
            switch (kind)
            {
                case 0: bytes[i] = value; break;
                case 1: bytes[i] ^= (byte)(1 << (value % 8)); break;
                case 2: bytes.InsertRange(i, Enumerable.Repeat(value, n)); break;
                case 3: bytes.RemoveRange(i, n); break;
                case 4: bytes.InsertRange(i, bytes.GetRange(at / 7 % bytes.Count, Math.Min(n, bytes.Count - at / 7 % bytes.Count))); break;
                default: bytes.RemoveRange(i, bytes.Count - i); break;
            }
        }

        return [.. bytes];
    }

    /// <summary>Plans an import of a valid manifest into a target built from it: only Ferry's own refusals may come out.</summary>
    private static void Plan(Manifest manifest)
    {
        try
        {
            MergePlan.Build(TransformPlan.None(manifest), FuzzManifests.TargetFor(manifest), []);
        }
        catch (FerryException)
        {
            // A manifest that does not fit its own target (a primary key that is also a reference...): refused.
        }
    }

    private static string Json(object? value) => JsonSerializer.Serialize(value);
}
