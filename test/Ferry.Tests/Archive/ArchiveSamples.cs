using System.Runtime.CompilerServices;
using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Tests.Archive;

/// <summary>Manifests, rows and helpers shared by the archive tests.</summary>
internal static class ArchiveSamples
{
    public static readonly char[] Password = "correct horse battery staple ✓".ToCharArray();

    public static ManifestTable Table(string name, params (string Name, FerryType Type)[] columns) =>
        new(name, "owned",
            columns.Select(c => new ManifestColumn(c.Name, c.Type, c.Type.ToName(), Nullable: true)).ToList(),
            [columns[0].Name], [], []);

    /// <summary>One column of every type.</summary>
    public static ManifestTable AllTypes(string name = "all types/ü") => Table(name,
        ("i", FerryType.Int), ("f", FerryType.Float), ("b", FerryType.Bool), ("d", FerryType.Decimal),
        ("t", FerryType.Text), ("y", FerryType.Bytes), ("da", FerryType.Date), ("ti", FerryType.Time),
        ("ts", FerryType.Timestamp), ("tz", FerryType.TimestampTz), ("u", FerryType.Uuid), ("j", FerryType.Json));

    public static Manifest Manifest(params ManifestTable[] tables) => new(
        ArchiveFormat.VersionWithoutFiles, "ferry test", new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero),
        new ManifestSource("sqlite", "Data Source=app.db"), new ManifestRoot(tables.FirstOrDefault()?.Name ?? "none", ["1"]),
        tables,
        tables.SelectMany(t => t.ForeignKeys).Take(1).ToList(),
        ["audit_log"], ["a.b_id"]);

    /// <summary>What the archive tests read: plain archives too (the refusal of those has tests of its own).</summary>
    public static readonly ArchiveReadOptions Reading = new() { AllowPlaintext = true };

    public static async IAsyncEnumerable<object?[]> Async(IEnumerable<object?[]> rows, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            yield return row;
            await Task.CompletedTask;
        }
    }

    /// <summary>Rows generated on demand into one reused array, as an exporter would.</summary>
    public static async IAsyncEnumerable<object?[]> Generated(int count, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var row = new object?[3];
        for (var i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            row[0] = (long)i;
            row[1] = $"name {i} ✓";
            row[2] = i % 7 == 0 ? null : i * 0.5;
            yield return row;
        }

        await Task.CompletedTask;
    }

    public static ManifestTable Generated3(string name) => Table(name, ("id", FerryType.Int), ("name", FerryType.Text), ("score", FerryType.Float));

    /// <summary>Writes an archive of the given tables and row sets into memory.</summary>
    public static async Task<byte[]> WriteAsync(
        Manifest manifest, IReadOnlyList<IAsyncEnumerable<object?[]>> rows, char[]? password, ArchiveWriterOptions? options = null,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>>? nulled = null)
    {
        using var output = new MemoryStream();
        await using (var writer = ArchiveWriter.Create(output, password, options))
        {
            await writer.WriteManifestAsync(manifest, CancellationToken.None);
            for (var i = 0; i < manifest.Tables.Count; i++)
            {
                await writer.WriteTableAsync(manifest.Tables[i], rows[i], CancellationToken.None);
            }

            await writer.CompleteAsync(nulled ?? new Dictionary<string, IReadOnlyDictionary<string, long>>(), CancellationToken.None);
        }

        return output.ToArray();
    }

    /// <summary>Reads every table (rows copied) and verifies.</summary>
    public static async Task<(Manifest Manifest, List<List<object?[]>> Tables, Trailer Trailer, bool Encrypted)> ReadAllAsync(
        byte[] archive, char[]? password)
    {
        using var input = new MemoryStream(archive);
        await using var reader = await ArchiveReader.OpenAsync(input, () => password, Reading, CancellationToken.None);
        var tables = await ReadTablesAsync(reader);
        var trailer = await reader.VerifyAsync(CancellationToken.None);
        return (reader.Manifest, tables, trailer, reader.Encrypted);
    }

    /// <summary>Reads every table (rows copied), without verifying.</summary>
    public static async Task<List<List<object?[]>>> ReadTablesAsync(ArchiveReader reader)
    {
        var tables = new List<List<object?[]>>();
        foreach (var table in reader.Manifest.Tables)
        {
            var rows = new List<object?[]>();
            await foreach (var row in reader.ReadTableAsync(table, CancellationToken.None))
            {
                rows.Add((object?[])row.Clone());
            }

            tables.Add(rows);
        }

        return tables;
    }
}
