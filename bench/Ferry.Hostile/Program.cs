using System.Text;
using Ferry.Testing;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;

// dotnet Ferry.Hostile.dll DIR: writes, encrypted with HostileArchive.Password, archives that expand far beyond their size.
// Each is streamed: none of them is ever held in memory here.
var dir = args.Length > 0 ? args[0] : ".";
Directory.CreateDirectory(dir);
const long GiB = 1L << 30;
var items = HostileArchive.OneTable("items", ("id", "int", "bigint"), ("name", "text", "text"));
var manifest = Encoding.UTF8.GetBytes(items.Manifest.ToJsonString());

// 1. One data member of 2 GiB of zeros (2 GB RSS before: the reader loaded members whole, whatever their size).
Write("member-bomb.ferry", tar =>
{
    Member(tar, "manifest.json", manifest);
    Zeros(tar, "data/0001-items/000001.jsonl", 2 * GiB);
});

// 2. A manifest of 250 MB (558 MB RSS before).
Write("manifest-bomb.ferry", tar =>
{
    var head = Encoding.UTF8.GetBytes("{\"format\":\"ferry-archive\",\"formatVersion\":1,\"tool\":\"");
    var tail = Encoding.UTF8.GetBytes("\"}");
    var size = 250L << 20;
    tar.Write(HostileArchive.Header("manifest.json", size, '0'));
    tar.Write(head);
    Repeat(tar, (byte)'x', size - head.Length - tail.Length);
    tar.Write(tail);
    Pad(tar, size);
});

// 3. A pax header of 1.5 GB (System.Formats.Tar loads it whole: 2.9 GB RSS).
Write("pax-bomb.ferry", tar =>
{
    Member(tar, "manifest.json", manifest);
    var size = 1_500_000_000L;
    tar.Write(HostileArchive.Header("PaxHeader", size, 'x'));
    Repeat(tar, (byte)'a', size);
    Pad(tar, size);
});

// 4. The largest archive the default limits accept in its worst shape: data members of one 30 MiB row each (the default --max-row-size is 32M).
Write("wide-rows.ferry", tar =>
{
    var wide = HostileArchive.OneTable("items", ("id", "int", "bigint"), ("name", "text", "text"));
    var json = Encoding.UTF8.GetBytes(wide.Manifest.ToJsonString());
    Member(tar, "manifest.json", json);
    for (var chunk = 1; chunk <= 4; chunk++)
    {
        var prefix = Encoding.UTF8.GetBytes($"[{chunk},\"");
        var suffix = "\"]\n"u8.ToArray();
        var size = prefix.Length + (30L << 20) + suffix.Length;
        tar.Write(HostileArchive.Header($"data/0001-items/{chunk:D6}.jsonl", size, '0'));
        tar.Write(prefix);
        Repeat(tar, (byte)'w', 30L << 20);
        tar.Write(suffix);
        Pad(tar, size);
    }

    // No trailer: the reader reads every row first; that is what is measured.
});

static void Write(string name, Action<Stream> tar)
{
    var path = Path.Combine(Environment.GetCommandLineArgs().Skip(1).FirstOrDefault() ?? ".", name);
    using var file = File.Create(path);
    var generator = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, true, new SecureRandom());
    generator.AddMethodUtf8(HostileArchive.Password.ToCharArray(), HashAlgorithmTag.Sha256);
    using (var encrypted = generator.Open(file, new byte[1 << 16]))
    {
        var compressor = new PgpCompressedDataGenerator(CompressionAlgorithmTag.ZLib);
        using (var compressed = compressor.Open(encrypted))
        {
            var literal = new PgpLiteralDataGenerator();
            using (var body = literal.Open(compressed, PgpLiteralData.Binary, "ferry.tar", DateTime.UtcNow, new byte[1 << 16]))
            {
                tar(body);
                body.Write(new byte[1024]);
            }

            literal.Close();
        }

        compressor.Close();
    }

    generator.Close();
    Console.WriteLine($"{path}: {new FileInfo(path).Length:N0} bytes");
}

static void Member(Stream tar, string name, byte[] data)
{
    tar.Write(HostileArchive.Header(name, data.Length, '0'));
    tar.Write(data);
    Pad(tar, data.Length);
}

static void Zeros(Stream tar, string name, long size)
{
    tar.Write(HostileArchive.Header(name, size, '0'));
    Repeat(tar, 0, size);
    Pad(tar, size);
}

static void Repeat(Stream tar, byte value, long count)
{
    var block = new byte[1 << 20];
    Array.Fill(block, value);
    for (; count > 0; count -= block.Length)
    {
        tar.Write(block, 0, (int)Math.Min(block.Length, count));
    }
}

static void Pad(Stream tar, long size) => tar.Write(new byte[(512 - size % 512) % 512]);
