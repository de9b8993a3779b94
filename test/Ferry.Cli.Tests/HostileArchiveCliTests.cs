using System.Text.Json.Nodes;
using Ferry.Testing;
using Org.BouncyCastle.Bcpg;

namespace Ferry.Cli.Tests;

/// <summary>
/// The hostile-archive corpus through the command line, as a user or a pushing client meets it: one clear
/// <c>error:</c> line, exit code 1 (2 for a usage mistake), and the target exactly as it was, sequences included.
/// </summary>
public sealed class HostileArchiveCliTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-hostile-").FullName;
    private readonly Dictionary<string, string> _environment = new() { ["FERRY_PASSWORD"] = HostileArchive.Password };
    private TestDb _target = null!;
    private string _before = null!;

    private static string Schema(bool postgres) =>
        "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, born DATE, amount NUMERIC(10,2)); " +
        "CREATE TABLE others (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT);";

    public async Task InitializeAsync()
    {
        _target = await TestDb.CreateAsync("sqlite", Schema, _ => "INSERT INTO items (name) VALUES ('existing');");
        _before = await _target.DumpAsync();
    }

    public async Task DisposeAsync()
    {
        await _target.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static HostileArchive Items(params string[] rows) =>
        HostileArchive.OneTable("items", ("id", "int", "bigint"), ("name", "text", "text"), ("born", "date", "date"), ("amount", "decimal", "numeric(10,2)"))
            .AddRows(1, rows.Length > 0 ? rows : ["[5,\"moved\",\"2024-01-31\",\"12.50\"]"]);

    private async Task<CliRun> ImportAsync(byte[] archive, params string[] extra)
    {
        var path = HostileArchive.Save(archive, Path.Combine(_dir, $"{Guid.NewGuid():N}.ferry"));
        return await CliRun.RunAsync(["import", path, "--to", _target.ConnectionString, .. extra], environment: _environment);
    }

    private async Task AssertRefusedAsync(byte[] archive, string message, int exitCode = 1, params string[] extra)
    {
        var run = await ImportAsync(archive, extra);

        run.AssertFails(exitCode, message);
        Assert.Equal(_before, await _target.DumpAsync());
    }

    [Fact]
    public async Task A_key_given_twice_to_an_update_is_a_damaged_archive_also_when_a_copy_is_unchanged()
    {
        // SQLite's --update leaves rows the ledger recorded as they are out of the stage, so that the stage's key no
        // longer sees both copies: the check is its own.
        var row = "[5,\"moved\",\"2024-01-31\",\"12.50\"]";
        var first = await ImportAsync(Items(row).Encrypted());
        Assert.True(first.ExitCode == 0, first.Stderr);
        _before = await _target.DumpAsync();

        await AssertRefusedAsync(Items(row, "[6,\"new\",null,null]", row).Encrypted(), "error: the archive is damaged or was altered: items gives the key 5 in two rows", 1, "--update");
    }

    [Fact]
    public async Task A_damaged_table_fails_an_update_while_the_next_tables_ledger_is_read_beside_it_and_the_target_stays_usable()
    {
        // On SQLite the ledger rows of `others` are read on a side connection while `items` is staged: the failure in
        // `items` stops and closes that reader before the transaction rolls back, and no lock is left behind.
        static HostileArchive Two(params string[] items)
        {
            var archive = Items(items);
            archive.Manifest["tables"]!.AsArray().Add(HostileArchive.TableJson("others", "owned", ("id", "int", "bigint"), ("name", "text", "text")));
            return archive.AddRows(2, Enumerable.Range(1, 5000).Select(i => $"[{i},\"other {i}\"]").ToArray());
        }
        var row = "[5,\"moved\",\"2024-01-31\",\"12.50\"]";
        var first = await ImportAsync(Two(row).Encrypted());
        Assert.True(first.ExitCode == 0, first.Stderr);
        _before = await _target.DumpAsync();

        await AssertRefusedAsync(Two(row, row).Encrypted(), "error: the archive is damaged or was altered: items gives the key 5 in two rows", 1, "--update");
        var again = await ImportAsync(Two("[5,\"renamed\",\"2024-01-31\",\"12.50\"]").Encrypted(), "--update");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal("renamed", await _target.ScalarAsync("SELECT name FROM items WHERE born = '2024-01-31'"));
        Assert.Equal(5000L, Convert.ToInt64(await _target.ScalarAsync("SELECT count(*) FROM others"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_plain_archive_needs_allow_plaintext_and_inspect_says_why()
    {
        var plain = Items().Gzip();

        await AssertRefusedAsync(plain, "error: the archive is not encrypted (a plain .tar.gz): nothing shows that it was not altered; give --allow-plaintext to accept it anyway");
        var inspect = await CliRun.RunAsync(["inspect", HostileArchive.Save(plain, Path.Combine(_dir, "plain.tar.gz"))], environment: _environment);
        var allowed = await ImportAsync(plain, "--allow-plaintext");

        Assert.Equal(0, inspect.ExitCode);
        Assert.Contains("NOT encrypted (no integrity protection; import needs --allow-plaintext)", inspect.StdoutText, StringComparison.Ordinal);
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        Assert.Equal("moved", await _target.ScalarAsync("SELECT name FROM items WHERE born = '2024-01-31'"));
    }

    [Fact]
    public async Task Weak_ciphers_and_missing_integrity_protection_are_refused()
    {
        await AssertRefusedAsync(HostileArchive.Encrypt(Items().Tar(), SymmetricKeyAlgorithmTag.Cast5), "error: the archive is encrypted with CAST5, which Ferry refuses as too weak");
        await AssertRefusedAsync(HostileArchive.Encrypt(Items().Tar(), SymmetricKeyAlgorithmTag.TripleDes), "error: the archive is encrypted with 3DES, which Ferry refuses as too weak");
        await AssertRefusedAsync(HostileArchive.Encrypt(Items().Tar(), integrity: false), "error: the archive's encryption has no integrity protection");
    }

    [Fact]
    public async Task Decompression_bombs_are_refused_before_anything_is_inflated()
    {
        var member = Items();
        member.Extra.Add(new("data/0001-items/000001.jsonl", "[1]\n"u8.ToArray(), ClaimedSize: 2L << 30));
        var pax = Items();
        pax.Extra.Add(new("PaxHeader", "x"u8.ToArray(), 'x', ClaimedSize: 1L << 32));
        var manifest = HostileArchive.Encrypt(HostileArchive.TarOf([new("manifest.json", "{}"u8.ToArray(), ClaimedSize: 250L << 20)]));

        await AssertRefusedAsync(member.Encrypted(), "error: the archive's member 'data/0001-items/000001.jsonl' holds 2,147,483,648 bytes, more than the 33,554,432 accepted (a row that large needs --max-row-size)");
        await AssertRefusedAsync(pax.Encrypted(), "a pax header claims 4,294,967,296 bytes (at most 65,536 are accepted)");
        await AssertRefusedAsync(manifest, "error: the archive is damaged or was altered: member manifest.json claims 262,144,000 bytes; a manifest or trailer is at most 33,554,432");
    }

    [Fact]
    public async Task Max_row_size_lowers_and_raises_the_limit_and_a_bad_size_is_a_usage_error()
    {
        var big = Items($"[5,\"{new string('x', 9 << 20)}\",null,null]").Encrypted();

        await AssertRefusedAsync(big, "more than the 8,388,608 accepted (a row that large needs --max-row-size)", 1, "--max-row-size", "1M");
        await AssertRefusedAsync(big, "error: --max-row-size 'lots': expected bytes or a number with K, M, G or T, e.g. 500M", 2, "--max-row-size", "lots");
        var raised = await ImportAsync(big, "--max-row-size", "16M");
        Assert.True(raised.ExitCode == 0, raised.Stderr);
    }

    [Fact]
    public async Task Values_that_break_the_declared_types_are_named_with_table_column_and_row()
    {
        await AssertRefusedAsync(Items("[5,\"a\",\"2024-01-31\",null]", "[6,\"b\",\"not a date\",null]").Encrypted(),
            "error: the archive holds an invalid value: table 'items', column 'born', data/0001-items/000001.jsonl line 2: 'not a date' is not a date (YYYY-MM-DD)");
        await AssertRefusedAsync(Items("[5,\"a\",null,\"1e999999999\"]").Encrypted(),
            "error: the archive holds an invalid value: table 'items', column 'amount', data/0001-items/000001.jsonl line 1: '1e999999999' is a decimal number beyond any database's range");
        await AssertRefusedAsync(Items("[5,\"a\",null,\"123456789\"]").Encrypted(),
            "error: a value does not fit the target: table items, column amount, row 1 of the archive: '123456789' is 9 digits before the decimal point, more than NUMERIC(10,2) holds (8); nothing was written");
        await AssertRefusedAsync(Items("[5,\"a\\u0000b\",null,null]").Encrypted(),
            "error: a value does not fit the target: table items, column name, row 1 of the archive: 'a\\u0000b' is text with a NUL character (U+0000)");
    }

    [Fact]
    public async Task Foreign_damaged_and_newer_inputs_each_say_what_they_are()
    {
        var newer = Items();
        newer.Manifest["formatVersion"] = 99;
        var foreign = Items();
        foreign.Manifest["format"] = "not-ferry";
        var damaged = Items(Enumerable.Range(0, 3000).Select(i => $"[{i + 10},\"row {i}\",null,null]").ToArray()).Encrypted();
        damaged[damaged.Length / 2] ^= 0x5a;

        await AssertRefusedAsync("id,name\n1,x\n"u8.ToArray(), "error: not a Ferry archive: the input is not an OpenPGP message (it starts with 6964)");
        await AssertRefusedAsync(newer.Encrypted(), "error: archive format version 99 is newer than this Ferry supports (4); use a newer Ferry to read it");
        await AssertRefusedAsync(foreign.Encrypted(), "error: not a Ferry archive: its manifest.json does not say \"format\": \"ferry-archive\"");
        var run = await ImportAsync(damaged);
        Assert.Equal(1, run.ExitCode);
        Assert.Matches("^error: the archive is (damaged|truncated)", Assert.Single(run.ErrorLines));
        Assert.Equal(_before, await _target.DumpAsync());
        _environment["FERRY_PASSWORD"] = "not the password";
        await AssertRefusedAsync(Items().Encrypted(), "error: wrong password");
    }

    [Fact]
    public async Task Names_with_terminal_escapes_are_shown_escaped()
    {
        var archive = Items();
        archive.Manifest["tables"]![0]!["name"] = "items\u001b]0;owned\u0007";

        var run = await ImportAsync(archive.Encrypted());

        run.AssertFails(1, "error: the archive's manifest is invalid: a table has a name with a control character ('items\\u001b]0;owned\\u0007')");
        Assert.DoesNotContain('\u001b', run.Stderr);
    }

    [Fact]
    public async Task Serve_refuses_plain_archives_unless_started_with_allow_plaintext()
    {
        var plain = HostileArchive.Save(Items().Gzip(), Path.Combine(_dir, "push.tar.gz"));
        await using (var strict = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32"))
        {
            var push = await CliRun.RunAsync(["push", plain, "--url", strict.Url, "--token-file", strict.TokenFile, "--pin", strict.Fingerprint]);

            push.AssertFails(1, "the archive is not encrypted (a plain .tar.gz)");
            Assert.Equal(_before, await _target.DumpAsync());
        }

        await using var lenient = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32", "--allow-plaintext");
        var allowed = await CliRun.RunAsync(["push", plain, "--url", lenient.Url, "--token-file", lenient.TokenFile, "--pin", lenient.Fingerprint]);
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
    }

    [Fact]
    public async Task Serve_limits_what_an_archive_expands_to_by_its_max_size()
    {
        // 2 MB of rows that compress to a few kilobytes: under --max-size on the wire, over it once inflated.
        var bomb = Items(Enumerable.Range(0, 20_000).Select(i => $"[{i + 10},\"{new string('z', 100)}\",null,null]").ToArray()).Encrypted();
        Assert.True(bomb.Length < 512 * 1024);
        var path = HostileArchive.Save(bomb, Path.Combine(_dir, "bomb.ferry"));
        await using var serve = await ServeHost.StartAsync(_dir, _target.ConnectionString, "127.0.0.1/32", "--max-size", "1M");

        var push = await CliRun.RunAsync(["push", path, "--url", serve.Url, "--token-file", serve.TokenFile, "--pin", serve.Fingerprint], environment: _environment);

        push.AssertFails(1, "the archive expands to more than 1,048,576 bytes, the limit (--max-size); refused");
        Assert.Equal(_before, await _target.DumpAsync());
    }
}
