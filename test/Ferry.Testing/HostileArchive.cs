using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

namespace Ferry.Testing;

/// <summary>
/// Builds archives by hand, as an attacker would: a manifest that is any JSON, data members with any bytes, a
/// trailer that matches them (so that only the content is hostile), any tar headers, then gzip or OpenPGP with
/// any cipher, with or without integrity protection. The tests of what Ferry refuses build their corpus here.
/// </summary>
public sealed class HostileArchive
{
    /// <summary>The password the encrypted forms use.</summary>
    public const string Password = "hostile archive password";

    private readonly List<Member> _members = [];

    /// <summary>A member of the tar: name, bytes, type flag (<c>'0'</c> a regular file), and a size to claim instead of the real one.</summary>
    public sealed record Member(string Name, byte[] Data, char Type = '0', long? ClaimedSize = null);

    /// <summary>The manifest, editable as JSON (starts as a valid one-table manifest).</summary>
    public JsonObject Manifest { get; set; }

    /// <summary>Data lines per table number (1-based), one JSON array per row, without the line feed.</summary>
    public Dictionary<int, List<string>> Rows { get; } = [];

    /// <summary>Members written between the manifest and the data (raw; not listed in the trailer).</summary>
    public List<Member> Extra { get; } = [];

    /// <summary>When false, no trailer is written (a truncated archive).</summary>
    public bool WithTrailer { get; set; } = true;

    public HostileArchive(JsonObject manifest) => Manifest = manifest;

    /// <summary>A manifest of one table <c>items(id int, name text)</c> with a primary key, as Ferry writes it.</summary>
    public static HostileArchive OneTable(string table = "items", params (string Name, string Type, string SqlType)[] columns)
    {
        if (columns.Length == 0)
        {
            columns = [("id", "int", "bigint"), ("name", "text", "text")];
        }

        var manifest = new JsonObject
        {
            ["format"] = "ferry-archive",
            ["formatVersion"] = 1,
            ["tool"] = "ferry hostile",
            ["createdAt"] = "2024-05-01T10:00:00+00:00",
            ["source"] = new JsonObject { ["engine"] = "sqlite", ["database"] = "Data Source=elsewhere.db" },
            ["root"] = new JsonObject { ["table"] = table, ["ids"] = new JsonArray("1") },
            ["tables"] = new JsonArray(TableJson(table, "root", columns)),
            ["cycleBreaks"] = new JsonArray(),
            ["excluded"] = new JsonArray(),
            ["followed"] = new JsonArray(),
        };
        return new HostileArchive(manifest);
    }

    /// <summary>A manifest table object: columns (name, type, sqlType), the first column as primary key.</summary>
    public static JsonObject TableJson(string name, string role, params (string Name, string Type, string SqlType)[] columns)
    {
        var list = new JsonArray();
        foreach (var (column, type, sqlType) in columns)
        {
            list.Add(new JsonObject { ["name"] = column, ["type"] = type, ["sqlType"] = sqlType, ["nullable"] = column != columns[0].Name });
        }

        return new JsonObject
        {
            ["name"] = name,
            ["role"] = role,
            ["columns"] = list,
            ["primaryKey"] = new JsonArray(columns[0].Name),
            ["foreignKeys"] = new JsonArray(),
            ["uniques"] = new JsonArray(new JsonObject { ["name"] = name + "_pkey", ["columns"] = new JsonArray(columns[0].Name), ["isPrimaryKey"] = true }),
        };
    }

    /// <summary>A manifest foreign key object of one NOT NULL column.</summary>
    public static JsonObject ForeignKeyJson(string name, string table, string column, string refTable, string refColumn) => new()
    {
        ["name"] = name,
        ["table"] = table,
        ["columns"] = new JsonArray(column),
        ["refTable"] = refTable,
        ["refColumns"] = new JsonArray(refColumn),
        ["nullable"] = false,
    };

    /// <summary>Adds rows (JSON arrays as text) to table <paramref name="table"/> (1-based).</summary>
    public HostileArchive AddRows(int table, params string[] rows)
    {
        if (!Rows.TryGetValue(table, out var list))
        {
            Rows[table] = list = [];
        }

        list.AddRange(rows);
        return this;
    }

    /// <summary>The tar stream: manifest, extra members, one data member per table with rows, the trailer.</summary>
    public byte[] Tar()
    {
        var tableNames = Manifest["tables"]!.AsArray().Select(t => (string)t!["name"]!).ToList();
        var members = new List<Member> { new("manifest.json", Encoding.UTF8.GetBytes(Manifest.ToJsonString())) };
        members.AddRange(Extra);
        var trailerMembers = new JsonArray();
        var trailerTables = new JsonArray();
        for (var i = 0; i < tableNames.Count; i++)
        {
            var rows = Rows.GetValueOrDefault(i + 1) ?? [];
            if (rows.Count > 0)
            {
                var data = Encoding.UTF8.GetBytes(string.Concat(rows.Select(r => r + "\n")));
                var path = $"data/{i + 1:D4}-{Safe(tableNames[i])}/000001.jsonl";
                members.Add(new Member(path, data));
                trailerMembers.Add(new JsonObject
                {
                    ["path"] = path, ["table"] = tableNames[i], ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(data)),
                    ["rows"] = rows.Count, ["bytes"] = data.Length,
                });
            }

            trailerTables.Add(new JsonObject { ["name"] = tableNames[i], ["rows"] = rows.Count, ["nulledReferences"] = new JsonObject() });
        }

        if (WithTrailer)
        {
            members.Add(new Member("trailer.json", Encoding.UTF8.GetBytes(new JsonObject { ["members"] = trailerMembers, ["tables"] = trailerTables }.ToJsonString())));
        }

        return TarOf(members);
    }

    /// <summary>A tar of exactly these members (ustar headers written by hand, so any type flag or claimed size).</summary>
    public static byte[] TarOf(IEnumerable<Member> members)
    {
        using var output = new MemoryStream();
        foreach (var member in members)
        {
            output.Write(Header(member.Name, member.ClaimedSize ?? member.Data.Length, member.Type));
            output.Write(member.Data);
            output.Write(new byte[(512 - member.Data.Length % 512) % 512]);
        }

        output.Write(new byte[1024]);
        return output.ToArray();
    }

    /// <summary>A ustar header block with a correct checksum.</summary>
    public static byte[] Header(string name, long size, char type)
    {
        var header = new byte[512];
        void Put(string text, int offset) => Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        Encoding.UTF8.GetBytes(name).AsSpan(0, Math.Min(Encoding.UTF8.GetByteCount(name), 100)).CopyTo(header);
        Put("0000644\0", 100);
        Put("0000000\0", 108);
        Put("0000000\0", 116);
        Put(Convert.ToString(size, 8).PadLeft(11, '0') + "\0", 124);
        Put("14603072700\0", 136);
        header[156] = (byte)type;
        Put("ustar\0", 257);
        Put("00", 263);
        Put("        ", 148);
        var sum = header.Sum(b => b);
        Put(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ", 148);
        return header;
    }

    /// <summary>The tar as a plain <c>.tar.gz</c>.</summary>
    public byte[] Gzip() => GzipOf(Tar());

    public static byte[] GzipOf(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>The tar encrypted as Ferry does by default (AES-256, MDC, ZLIB).</summary>
    public byte[] Encrypted() => Encrypt(Tar());

    /// <summary>Any bytes as a password-encrypted OpenPGP message with the given cipher, integrity protection and compression.</summary>
    /// <param name="otherPassword">A second password that also opens it: the data key is then a random session key,
    /// carried encrypted in each session-key packet (as gpg does for several passphrases or recipients).</param>
    public static byte[] Encrypt(byte[] data, SymmetricKeyAlgorithmTag cipher = SymmetricKeyAlgorithmTag.Aes256, bool integrity = true,
        CompressionAlgorithmTag compression = CompressionAlgorithmTag.ZLib, string password = Password, string? otherPassword = null)
    {
        using var output = new MemoryStream();
        var generator = new PgpEncryptedDataGenerator(cipher, integrity, new SecureRandom());
        generator.AddMethodUtf8(password.ToCharArray(), HashAlgorithmTag.Sha256);
        if (otherPassword is not null)
        {
            generator.AddMethodUtf8(otherPassword.ToCharArray(), HashAlgorithmTag.Sha256);
        }
        using (var encrypted = generator.Open(output, new byte[1 << 16]))
        {
            var compressor = new PgpCompressedDataGenerator(compression);
            using (var compressed = compressor.Open(encrypted))
            {
                var literal = new PgpLiteralDataGenerator();
                using (var body = literal.Open(compressed, PgpLiteralData.Binary, "ferry.tar", data.Length, DateTime.UtcNow))
                {
                    body.Write(data);
                }

                literal.Close();
            }

            compressor.Close();
        }

        generator.Close();
        return output.ToArray();
    }

    /// <summary>Writes bytes to a file and returns its path.</summary>
    public static string Save(byte[] bytes, string path)
    {
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Safe(string name) =>
        new(name.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_').ToArray());
}
