using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;
using static Ferry.Postgres.Tests.PostgresTestSupport;

namespace Ferry.Postgres.Tests;

/// <summary>
/// PostgreSQL's ledger digest is built with concat_ws rather than a chain of ||: it must give exactly the digest of the
/// documented tuple text (docs/reimport.md) for every kind of value, or an <c>--update</c> after an upgrade would see
/// every row as changed.
/// </summary>
public class PostgresRowDigestTests
{
    [Fact]
    public async Task The_digest_is_the_sha256_of_the_tuple_text_for_every_kind_of_value()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(
            "CREATE TABLE v (i bigint, t text, b bytea, f double precision, n numeric, ts timestamptz, j jsonb, u uuid, o boolean);" +
            "INSERT INTO v VALUES (1, 'Garden 🌱 é', '\\x00ff10', 0.1, 12.50, '2024-05-01 10:00:00+02', '{\"a\": [1, 2]}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', true)," +
            " (-9223372036854775808, '', '\\x', 'NaN', -0.0, '-infinity', 'null', NULL, false), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)," +
            " (7, 'a,b:c~', '\\x41', 1e300, 1e-20, '2024-01-01 00:00:00Z', '\"x\"', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12', NULL)");
        var d = new PostgresDialect("public");
        List<(string, FerryType)> values =
        [
            ("i", FerryType.Int), ("t", FerryType.Text), ("b", FerryType.Bytes), ("f", FerryType.Float), ("n", FerryType.Decimal),
            ("ts", FerryType.TimestampTz), ("j", FerryType.Json), ("u", FerryType.Uuid), ("o", FerryType.Bool),
        ];
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        var same = await ScalarAsync(connection, null,
            $"SELECT count(*) FILTER (WHERE {d.RowDigest(values)} = {d.Sha256Hex(RowDigestText.Tuple(d, values, bare: false))} " +
            $"AND {d.RowDigest(values[..1])} = {d.Sha256Hex(RowDigestText.Tuple(d, values[..1], bare: false))}) FROM v");
        Assert.Equal(4L, same);
        // docs/reimport.md: a row (7, 3, 'Garden') has the digest sha256("1:7,1:3,6:Garden").
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("1:7,1:3,6:Garden"u8)),
            await ScalarAsync(connection, null, $"SELECT {d.RowDigest([("7", FerryType.Int), ("3", FerryType.Int), ("'Garden'", FerryType.Text)])}"));
    }

    [Fact]
    public void A_row_wider_than_concat_ws_takes_is_digested_by_the_tuple_text()
    {
        var d = new PostgresDialect("public");
        var wide = Enumerable.Range(0, 100).Select(i => ($"c{i}", FerryType.Int)).ToList();
        Assert.Equal(d.Sha256Hex(RowDigestText.Tuple(d, wide, bare: false)), d.RowDigest(wide));
        Assert.StartsWith("encode(sha256(convert_to(concat_ws(',', ", d.RowDigest(wide[..99]), StringComparison.Ordinal);
    }
}
