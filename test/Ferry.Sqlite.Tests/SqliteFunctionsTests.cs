using System.Security.Cryptography;
using System.Text;
using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;

namespace Ferry.Sqlite.Tests;

/// <summary>
/// <c>ferry_digest</c> is a faster way to the same ledger digests: it must give, for every value SQLite can hold,
/// exactly what <c>ferry_sha256</c> of the tuple text gives, or an <c>--update</c> after an upgrade would see every
/// row as changed.
/// </summary>
public sealed class SqliteFunctionsTests : IDisposable
{
    private readonly TestSqlite _db = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task The_native_digest_is_the_sha256_of_the_tuple_text_for_every_storage_class()
    {
        // Untyped columns keep each value's storage class: integers, reals (whose text SQLite writes), texts with
        // multi-byte characters, NUL inside (length() stops there, || does not) and invalid UTF-8, blobs, NULLs.
        await _db.ExecuteAsync(
            "CREATE TABLE v (a, b, c);" +
            "INSERT INTO v VALUES (1, 'x', X'00ff10'), (-9223372036854775808, 'Garden 🌱 é', X''), (0.1, NULL, NULL), " +
            "(1e300, '', X'41'), (12.5, 'a' || char(0) || 'b', 'text in bytes'), (-0.0, CAST(X'80C3A9C0FF41' AS TEXT), 17), " +
            "(NULL, NULL, NULL), (1.0, 3.25, 2.5), (X'0102', 'the end', X'" + new string('a', 1200) + "')");
        var d = new SqliteDialect();
        List<(string, FerryType)> values = [("a", FerryType.Int), ("b", FerryType.Text), ("c", FerryType.Bytes)];
        string Same(IReadOnlyList<(string, FerryType)> v) => $"{d.RowDigest(v)} = {d.Sha256Hex(RowDigestText.Tuple(d, v, bare: false))}";
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, _ct);
        await using var command = connection.CreateCommand();
        // Per column first, so that a failure says which value; then the whole row.
        command.CommandText = $"SELECT {Same([values[0]])}, {Same([values[1]])}, {Same([values[2]])}, {d.RowDigest(values)}, " +
                              $"{d.Sha256Hex(RowDigestText.Tuple(d, values, bare: false))} FROM v";
        await using var reader = await command.ExecuteReaderAsync(_ct);
        var rows = 0;
        while (await reader.ReadAsync(_ct))
        {
            rows++;
            Assert.Equal([1L, 1L, 1L], [reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)]);
            Assert.Matches("^[0-9a-f]{64}$", reader.GetString(3));
            Assert.Equal(reader.GetString(4), reader.GetString(3));
        }
        Assert.Equal(9, rows);
        Assert.StartsWith("ferry_digest('ttb', a, b, c)", d.RowDigest(values), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_digest_of_a_known_row_is_the_documented_text_hashed()
    {
        // docs/reimport.md: a row (7, 3, 'Garden') has the digest sha256("1:7,1:3,6:Garden").
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, _ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ferry_digest('ttt', 7, 3, 'Garden'), ferry_digest('tb', NULL, X'ff'), ferry_digest('b', NULL)";
        await using var reader = await command.ExecuteReaderAsync(_ct);
        Assert.True(await reader.ReadAsync(_ct));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("1:7,1:3,6:Garden"u8)), reader.GetString(0));
        // SQLite's hex(NULL) is '', so a NULL binary value is "0:" in the tuple text, as an empty one.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("~,2:ff"))), reader.GetString(1));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("0:"))), reader.GetString(2));
    }

    [Fact]
    public async Task A_digest_whose_kinds_do_not_match_its_values_is_an_error()
    {
        var engine = new SqliteEngineFactory().Create(_db.ConnectionString);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, _ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT ferry_digest('tt', 1)";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => command.ExecuteScalarAsync(_ct));
        Assert.Contains("2 kinds for 1 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Length_counts_characters_before_a_nul_as_sqlite_does()
    {
        Assert.Equal(0, SqliteFunctions.CharactersBeforeNul([]));
        Assert.Equal(3, SqliteFunctions.CharactersBeforeNul("a\u00e9\U0001F331"u8));
        Assert.Equal(1, SqliteFunctions.CharactersBeforeNul("a\0b"u8));
        Assert.Equal(3, SqliteFunctions.CharactersBeforeNul([0x80, 0x80, 0xC3]));
        Assert.Equal(1, SqliteFunctions.CharactersBeforeNul([0xC0, 0x80, 0x80, 0x80, 0x80]));
    }
}
