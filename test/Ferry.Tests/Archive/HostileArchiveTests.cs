using System.Text;
using System.Text.Json.Nodes;
using Ferry.Archive;
using Ferry.Testing;
using Org.BouncyCastle.Bcpg;

namespace Ferry.Tests.Archive;

/// <summary>
/// Archives made by hand as an attacker would (valid OpenPGP, valid tar, hostile content): each is refused when
/// opened or read, with a message that says what it is, and without reading more than the limits allow.
/// </summary>
public class HostileArchiveTests
{
    private static readonly ArchiveReadOptions Plain = new() { AllowPlaintext = true };

    private static async Task<ArchiveException> Refused(byte[] archive, ArchiveReadOptions? options = null, string? password = HostileArchive.Password)
    {
        return await Assert.ThrowsAsync<ArchiveException>(async () =>
        {
            using var input = new MemoryStream(archive);
            await using var reader = await ArchiveReader.OpenAsync(input, () => password?.ToCharArray(), options ?? ArchiveReadOptions.Default, CancellationToken.None);
            await reader.ReadToEndAsync(CancellationToken.None);
        });
    }

    private static async Task<ArchiveReader> Open(byte[] archive, ArchiveReadOptions? options = null)
    {
        var input = new MemoryStream(archive);
        return await ArchiveReader.OpenAsync(input, () => HostileArchive.Password.ToCharArray(), options ?? ArchiveReadOptions.Default, CancellationToken.None);
    }

    [Fact]
    public async Task A_plain_archive_is_refused_unless_plaintext_is_allowed()
    {
        var archive = HostileArchive.OneTable().AddRows(1, "[1,\"a\"]").Gzip();

        var e = await Refused(archive);
        await using var reader = await Open(archive, Plain);

        Assert.StartsWith("the archive is not encrypted (a plain .tar.gz): nothing shows that it was not altered; give --allow-plaintext", e.Message, StringComparison.Ordinal);
        Assert.False(reader.Encrypted);
        Assert.Equal(1, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
    }

    [Fact]
    public async Task A_plain_archive_is_refused_even_with_a_password()
    {
        var archive = HostileArchive.OneTable().Gzip();

        var e = await Refused(archive, password: "a password the user meant for an encrypted archive");

        Assert.Contains("--allow-plaintext", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SymmetricKeyAlgorithmTag.Cast5, "CAST5")]
    [InlineData(SymmetricKeyAlgorithmTag.TripleDes, "3DES")]
    [InlineData(SymmetricKeyAlgorithmTag.Idea, "IDEA")]
    [InlineData(SymmetricKeyAlgorithmTag.Blowfish, "BLOWFISH")]
    public async Task Weak_ciphers_are_refused_by_name(SymmetricKeyAlgorithmTag cipher, string name)
    {
        var archive = HostileArchive.Encrypt(HostileArchive.OneTable().Tar(), cipher);

        var e = await Refused(archive);

        Assert.Equal($"the archive is encrypted with {name}, which Ferry refuses as too weak; it accepts AES, Camellia and Twofish (e.g. gpg --symmetric --cipher-algo AES256)", e.Message);
    }

    [Theory]
    [InlineData(SymmetricKeyAlgorithmTag.Aes128, "AES-128")]
    [InlineData(SymmetricKeyAlgorithmTag.Aes256, "AES-256")]
    [InlineData(SymmetricKeyAlgorithmTag.Camellia256, "Camellia-256")]
    [InlineData(SymmetricKeyAlgorithmTag.Twofish, "TWOFISH")]
    public async Task Strong_ciphers_are_read_and_named(SymmetricKeyAlgorithmTag cipher, string name)
    {
        var archive = HostileArchive.Encrypt(HostileArchive.OneTable().AddRows(1, "[1,\"a\"]").Tar(), cipher);

        await using var reader = await Open(archive);

        Assert.Equal(name, reader.Cipher);
        Assert.Equal(1, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
    }

    [Theory]
    [InlineData(SymmetricKeyAlgorithmTag.Aes192, "AES-192")]
    [InlineData(SymmetricKeyAlgorithmTag.Cast5, null)]
    public async Task The_cipher_inside_an_encrypted_session_key_is_the_one_checked(SymmetricKeyAlgorithmTag cipher, string? name)
    {
        // Two passwords: the data is encrypted with a random session key, carried encrypted in each packet.
        var archive = HostileArchive.Encrypt(HostileArchive.OneTable().AddRows(1, "[1,\"a\"]").Tar(), cipher, otherPassword: "another password");

        if (name is null)
        {
            Assert.StartsWith("the archive is encrypted with CAST5", (await Refused(archive)).Message, StringComparison.Ordinal);
            return;
        }

        await using var reader = await Open(archive);
        Assert.Equal(name, reader.Cipher);
        Assert.Equal(1, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
    }

    [Fact]
    public async Task Encryption_without_integrity_protection_is_refused()
    {
        var archive = HostileArchive.Encrypt(HostileArchive.OneTable().Tar(), integrity: false);

        var e = await Refused(archive);

        Assert.StartsWith("the archive's encryption has no integrity protection (OpenPGP data without MDC)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uncompressed_and_zip_compressed_messages_are_read()
    {
        foreach (var compression in new[] { CompressionAlgorithmTag.Uncompressed, CompressionAlgorithmTag.Zip })
        {
            var archive = HostileArchive.Encrypt(HostileArchive.OneTable().AddRows(1, "[1,\"a\"]").Tar(), compression: compression);
            await using var reader = await Open(archive);
            Assert.Equal(1, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
        }
    }

    [Fact]
    public async Task Messages_tell_a_wrong_password_from_other_inputs()
    {
        var tar = HostileArchive.OneTable().Tar();

        Assert.Equal("wrong password", (await Refused(HostileArchive.Encrypt(tar), password: "not it")).Message);
        Assert.Equal("not a Ferry archive: the input is not an OpenPGP message (it starts with 6865)", (await Refused("hello"u8.ToArray())).Message);
        Assert.Equal("not a Ferry archive: the input is not an OpenPGP message (it starts with 504b)", (await Refused([0x50, 0x4b, 3, 4, 0, 0])).Message);
        Assert.Equal("the archive is empty", (await Refused([])).Message);
        Assert.Equal("not a Ferry archive, or a wrong password: the decrypted data is not a tar stream",
            (await Refused(HostileArchive.Encrypt("not a tar at all"u8.ToArray()))).Message);
        Assert.Equal("not a Ferry archive: its first member is 'notes.txt', not manifest.json",
            (await Refused(HostileArchive.Encrypt(HostileArchive.TarOf([new("notes.txt", "hi"u8.ToArray())])))).Message);
    }

    [Fact]
    public async Task A_wrong_format_field_is_not_a_ferry_archive_and_a_newer_version_is_named()
    {
        var foreign = HostileArchive.OneTable();
        foreign.Manifest["format"] = "something-else";
        var newer = HostileArchive.OneTable();
        newer.Manifest["formatVersion"] = 99;

        Assert.Equal("not a Ferry archive: its manifest.json does not say \"format\": \"ferry-archive\" with a format version", (await Refused(foreign.Encrypted())).Message);
        Assert.Equal("archive format version 99 is newer than this Ferry supports (4); use a newer Ferry to read it", (await Refused(newer.Encrypted())).Message);
    }

    [Fact]
    public async Task A_huge_pax_header_is_refused_before_it_is_read()
    {
        // A 1.5 GB pax header compresses to almost nothing; System.Formats.Tar would load it whole.
        var tar = HostileArchive.TarOf([new("PaxHeader", "x"u8.ToArray(), 'x', ClaimedSize: 1_500_000_000)]);

        var e = await Refused(HostileArchive.Encrypt(tar));

        Assert.Equal("not a Ferry archive, or a wrong password: the decrypted data is not a tar stream", e.Message);
    }

    [Fact]
    public async Task A_huge_pax_header_after_the_manifest_is_named_with_its_size()
    {
        var archive = HostileArchive.OneTable();
        archive.Extra.Add(new("PaxHeader", "x"u8.ToArray(), 'x', ClaimedSize: 1_500_000_000));

        var e = await Refused(archive.Encrypted());

        Assert.Matches("^the archive is damaged near byte [0-9,]+: a pax header claims 1,500,000,000 bytes \\(at most 65,536 are accepted\\)$", e.Message);
    }

    [Fact]
    public async Task A_data_member_larger_than_the_row_limit_is_refused_before_it_is_read()
    {
        var archive = HostileArchive.OneTable();
        archive.Extra.Add(new("data/0001-items/000001.jsonl", "[1,\"a\"]\n"u8.ToArray(), ClaimedSize: 2L << 30));

        var e = await Refused(archive.Encrypted());

        Assert.Equal("the archive's member 'data/0001-items/000001.jsonl' holds 2,147,483,648 bytes, more than the 33,554,432 accepted (a row that large needs --max-row-size)", e.Message);
    }

    [Fact]
    public async Task The_row_limit_can_be_raised_and_lowered()
    {
        var big = "[1,\"" + new string('z', 100_000) + "\"]";
        var archive = HostileArchive.OneTable().AddRows(1, big).Encrypted();
        var small = new ArchiveReadOptions { MaxRowBytes = 1000 };

        await using (var reader = await Open(archive))
        {
            Assert.Equal(1, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
        }

        // Below Ferry's own 8 MiB chunks the member limit stays at a chunk: the limit is then on each row.
        Assert.Equal(8 << 20, small.MaxMemberBytes);
        await using (var reader = await Open(archive, small with { MaxRowBytes = 10 << 20 }))
        {
            Assert.Equal(1, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
        }
    }

    [Fact]
    public async Task A_manifest_claiming_more_than_the_limit_is_refused_before_it_is_read()
    {
        var tar = HostileArchive.TarOf([new("manifest.json", "{}"u8.ToArray(), ClaimedSize: 250L << 20)]);

        var e = await Refused(HostileArchive.Encrypt(tar));

        Assert.Equal("the archive is damaged or was altered: member manifest.json claims 262,144,000 bytes; a manifest or trailer is at most 33,554,432", e.Message);
    }

    [Fact]
    public async Task What_an_archive_expands_to_can_be_limited()
    {
        var archive = HostileArchive.OneTable().AddRows(1, Enumerable.Range(0, 20_000).Select(i => $"[{i},\"{new string('a', 100)}\"]").ToArray()).Encrypted();

        var e = await Refused(archive, new ArchiveReadOptions { MaxExpandedBytes = 1_000_000 });

        Assert.Equal("the archive expands to more than 1,000,000 bytes, the limit (--max-size); refused", e.Message);
    }

    [Theory]
    [InlineData("role", "\"boss\"", "table 'items' has the unknown role 'boss'")]
    [InlineData("name", "\"it\\u001b[31mems\"", "a table has a name with a control character ('it\\u001b[31mems')")]
    [InlineData("name", "\"\"", "a table has an empty name")]
    [InlineData("primaryKey", "[\"nope\"]", "table 'items': its primary key names column 'nope', which the table does not have")]
    [InlineData("columns", "[]", "table 'items' has 0 columns (1 to 32767)")]
    [InlineData("uniques", "[{\"name\":\"u\",\"columns\":[\"id\",\"id\"],\"isPrimaryKey\":false}]", "table 'items': unique key 'u' names a column twice")]
    public async Task A_manifest_that_Ferry_could_not_have_written_is_refused(string property, string json, string problem)
    {
        var archive = HostileArchive.OneTable();
        archive.Manifest["tables"]![0]![property] = JsonNode.Parse(json);

        var e = await Refused(archive.Encrypted());

        Assert.Equal($"the archive's manifest is invalid: {problem}", e.Message);
    }

    [Theory]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"id\"],\"refTable\":\"ghosts\",\"refColumns\":[\"id\"],\"nullable\":true}", "foreign key 'fk' points into 'ghosts', which is not a table of the archive")]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"id\",\"name\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true}", "foreign key 'fk' has 2 column(s) for 1 referenced column(s)")]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"name\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true,\"reference\":{\"kind\":\"sql\"}}", "foreign key 'fk' has the unknown reference kind 'sql'")]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"name\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true,\"reference\":{\"kind\":\"json\",\"path\":\"$.a') OR 1=1 --\"}}", "foreign key 'fk' has the JSON path '$.a') OR 1=1 --', which is not $ followed by .name segments and an optional [*]")]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"name\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true,\"reference\":{\"kind\":\"array\",\"arrayForm\":\"bigint[]))\"}}", "foreign key 'fk' has the unknown array form 'bigint[]))'")]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"name\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true,\"reference\":{\"kind\":\"array\",\"none\":[0]}}", "foreign key 'fk' has values meaning none on a key that is not a plain single-column key, or an empty list of them")]
    [InlineData("{\"name\":\"fk\",\"table\":\"items\",\"columns\":[\"name\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true,\"reference\":{\"kind\":\"column\",\"typeColumn\":\"kind\",\"typeValue\":\"x\"}}", "foreign key 'fk' names the type column 'kind', which the table does not have")]
    public async Task Foreign_keys_must_name_what_the_manifest_declares(string key, string problem)
    {
        var archive = HostileArchive.OneTable();
        archive.Manifest["tables"]![0]!["foreignKeys"] = new JsonArray(JsonNode.Parse(key));

        var e = await Refused(archive.Encrypted());

        Assert.Equal($"the archive's manifest is invalid: table 'items': {problem}", e.Message);
    }

    [Fact]
    public async Task Duplicate_tables_null_elements_and_stray_cycle_breaks_are_refused()
    {
        var twice = HostileArchive.OneTable();
        twice.Manifest["tables"]!.AsArray().Add(HostileArchive.TableJson("items", "owned", ("id", "int", "bigint")));
        var nulls = HostileArchive.OneTable();
        nulls.Manifest["excluded"] = new JsonArray((JsonNode?)null);
        var stray = HostileArchive.OneTable();
        stray.Manifest["cycleBreaks"] = new JsonArray(JsonNode.Parse("{\"name\":\"x\",\"table\":\"items\",\"columns\":[\"id\"],\"refTable\":\"items\",\"refColumns\":[\"id\"],\"nullable\":true}"));

        Assert.Equal("the archive's manifest is invalid: table 'items' is listed twice", (await Refused(twice.Encrypted())).Message);
        Assert.Equal("the archive's manifest is invalid: a list holds null where a name or an object belongs", (await Refused(nulls.Encrypted())).Message);
        Assert.Equal("the archive's manifest is invalid: cycle break 'x' is not a foreign key of table 'items'", (await Refused(stray.Encrypted())).Message);
    }

    [Theory]
    [InlineData("date", "date", "\"not a date\"", "'not a date' is not a date (YYYY-MM-DD)")]
    [InlineData("date", "date", "\"2023-02-29\"", "'2023-02-29' is not a date (YYYY-MM-DD)")]
    [InlineData("timestamp", "timestamp", "\"2024-05-01 25:00:00\"", "'2024-05-01 25:00:00' is not a timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][±HH:MM])")]
    [InlineData("decimal", "numeric(10,2)", "\"1e999999999\"", "'1e999999999' is a decimal number beyond any database's range")]
    [InlineData("decimal", "numeric", "\"12,5\"", "'12,5' is not a decimal number")]
    [InlineData("uuid", "uuid", "\"not-a-uuid\"", "'not-a-uuid' is not a UUID")]
    [InlineData("json", "jsonb", "\"{\\\"a\\\": \"", "'{\"a\": ' is not a JSON document")]
    public async Task Values_that_break_their_type_are_refused_with_table_column_and_line(string type, string sqlType, string value, string problem)
    {
        var archive = HostileArchive.OneTable("items", ("id", "int", "bigint"), ("v", type, sqlType)).AddRows(1, "[1,null]", $"[2,{value}]");

        var e = await Refused(archive.Encrypted());

        Assert.Equal($"the archive holds an invalid value: table 'items', column 'v', data/0001-items/000001.jsonl line 2: {problem}", e.Message);
    }

    [Fact]
    public async Task A_float_too_large_for_a_double_is_not_read_as_infinity()
    {
        var archive = HostileArchive.OneTable("items", ("id", "int", "bigint"), ("f", "float", "double precision")).AddRows(1, "[1,1e999]");

        var e = await Refused(archive.Encrypted());

        Assert.Equal("the archive is damaged or was altered: data/0001-items/000001.jsonl line 1: column f (float) holds an invalid number value", e.Message);
    }

    [Fact]
    public async Task Values_of_every_type_that_ferry_writes_pass()
    {
        var archive = HostileArchive.OneTable("items", ("id", "int", "bigint"), ("d", "date", "date"), ("t", "time", "time"), ("ts", "timestamp", "timestamp"),
                ("tz", "timestamptz", "timestamptz"), ("n", "decimal", "numeric"), ("j", "json", "json"))
            .AddRows(1,
                "[1,\"2024-02-29\",\"24:00:00\",\"2024-05-01 10:00:00.123456\",\"2024-05-01 10:00:00+05:30\",\"-12.3400\",\"{\\\"a\\\": [1, 2.50]}\"]",
                "[2,\"0044-03-15 BC\",\"23:59:60.5\",\"infinity\",\"1887-01-01 00:00:00+00:53:28\",\"NaN\",\"[]\"]",
                "[3,\"10000-01-01\",\"07:30\",\"2024-05-01T10:00\",\"2024-05-01 10:00:00Z\",\"1.5E+20\",\"\\\"\\\\\\\\u0000 is text\\\"\"]");

        await using var reader = await Open(archive.Encrypted());

        Assert.Equal(3, (await reader.ReadToEndAsync(CancellationToken.None)).Tables[0].Rows);
    }

    [Fact]
    public async Task Control_characters_from_the_archive_never_reach_a_message_raw()
    {
        var archive = HostileArchive.TarOf([new("\u001b]0;pwned\u0007manifest", "x"u8.ToArray())]);

        var e = await Refused(HostileArchive.Encrypt(archive));

        Assert.DoesNotContain('\u001b', e.Message);
        Assert.Contains("\\u001b]0;pwned\\u0007manifest", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_gzip_stream_says_damaged_and_where_not_unsupported_compression()
    {
        var archive = HostileArchive.OneTable().AddRows(1, Enumerable.Range(0, 5000).Select(i => $"[{i},\"row {i}\"]").ToArray()).Gzip();
        archive[archive.Length / 2] ^= 0xff;
        archive[archive.Length / 2 + 1] ^= 0x55;

        var e = await Refused(archive, Plain);

        Assert.DoesNotContain("unsupported compression method", e.Message, StringComparison.Ordinal);
        Assert.Matches("^the archive is (damaged|damaged or was altered)", e.Message);
    }
}
