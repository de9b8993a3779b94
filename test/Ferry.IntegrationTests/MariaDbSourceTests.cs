using Ferry.Profiles;
using Ferry.Testing;
using static Ferry.Testing.KopanoStores;

namespace Ferry.IntegrationTests;

/// <summary>
/// MariaDB as a source, through the library's entry points, into SQLite and PostgreSQL: a schema without any foreign
/// key described by a profile (Kopano's, as it runs on MariaDB), every MariaDB type Ferry carries, and the values it refuses.
/// </summary>
public sealed class MariaDbSourceTests
{
    public static TheoryData<string> Targets => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Moves_a_Kopano_store_without_declared_keys_described_by_a_profile(string to)
    {
        await using var source = await TestDb.CreateAsync("mariadb", _ => KopanoStores.MariaDbSchema, SourceData);
        await using var reference = await TestDb.CreateAsync("sqlite", p => KopanoStores.Schema(p, false), SourceData);
        await using var target = await TestDb.CreateAsync(to, p => KopanoStores.Schema(p, false, kopanoKey: true), TargetData);
        var profile = ProfileLoader.Parse(ProfileYaml, "kopano.yaml");
        var sourceBefore = await source.DumpAsync();
        var daveBefore = await target.QueryAsync(TreeQuery("dave"));

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "2", profile: profile, root: "stores"), ProfileYaml);

        Assert.Equal("imported", report.Outcome);
        Assert.Equal(sourceBefore, await source.DumpAsync());
        Assert.Equal((await reference.QueryAsync(TreeQuery("bob"))).Select(r => r[0]), (await target.QueryAsync(TreeQuery("bob"))).Select(r => r[0]));
        Assert.Equal(daveBefore.Select(r => r[0]), (await target.QueryAsync(TreeQuery("dave"))).Select(r => r[0]));
        Assert.Equal($"{TreeSize(2) + TreeSize(3)}", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM hierarchy h WHERE h.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM hierarchy p WHERE p.id = h.parent)"));
        Assert.Equal(["ann", "bob", "dave"], (await target.QueryAsync("SELECT externid FROM users ORDER BY externid")).Select(r => r[0]));
        Assert.Equal(to == "postgres" ? "02" + new string('a', 30) : "02" + new string('A', 30),
            await target.ScalarAsync(to == "postgres" ? "SELECT encode(guid, 'hex') FROM stores WHERE user_name = 'bob'" : "SELECT hex(guid) FROM stores WHERE user_name = 'bob'"));
        // The application's next insert works.
        await target.ExecuteAsync("INSERT INTO hierarchy (parent, type, owner) SELECT hierarchy_id, 3, user_id FROM stores WHERE user_name = 'bob'");
    }

    private const string KindsMariaDb = """
        CREATE TABLE kinds (id int unsigned AUTO_INCREMENT PRIMARY KEY, tiny tinyint unsigned, small smallint, medium mediumint unsigned,
          big_u bigint unsigned, flag tinyint(1), bit1 bit(1), bits bit(8), yr year, color enum('red', 'green'), tags set('a', 'b', 'c'),
          price decimal(12, 4), f float, dbl double, latin varchar(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci, emoji varchar(50),
          vb varbinary(16), bl longblob, t time(3), dt datetime(3), ts timestamp(3) NULL, j json, d date) ENGINE=InnoDB;
        """;

    private static string KindsTarget(bool postgres) => postgres
        ? """
          CREATE TABLE kinds (id serial PRIMARY KEY, tiny int, small int, medium int, big_u bigint, flag boolean, bit1 boolean, bits int, yr int,
            color text, tags text, price numeric(12, 4), f double precision, dbl double precision, latin text, emoji text, vb bytea, bl bytea,
            t time, dt timestamp, ts timestamptz, j jsonb, d date);
          """
        : """
          CREATE TABLE kinds (id INTEGER PRIMARY KEY, tiny INTEGER, small INTEGER, medium INTEGER, big_u INTEGER, flag BOOLEAN, bit1 BOOLEAN, bits INTEGER,
            yr INTEGER, color TEXT, tags TEXT, price DECIMAL(12, 4), f REAL, dbl REAL, latin TEXT, emoji TEXT, vb BLOB, bl BLOB, t TIME, dt TIMESTAMP,
            ts TIMESTAMPTZ, j JSON, d DATE);
          """;

    private const string KindsRows = """
        INSERT INTO kinds VALUES (7, 255, -32768, 16777215, 9223372036854775807, 1, b'1', b'10100101', 2024, 'green', 'a,c', 12345678.1234, 1.5, 0.1,
          'Åsa Öberg', 'Grüße 👋 ☕', X'00FF10', X'DEADBEEF', '23:59:59.125', '2024-02-29 12:34:56.789', '2024-05-01 10:00:00.5', '{"a": [1, 2]}', '1000-01-01');
        INSERT INTO kinds (id) VALUES (8);
        """;

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Every_MariaDB_type_arrives_as_its_value(string to)
    {
        await using var source = await TestDb.CreateAsync("mariadb", _ => KindsMariaDb, _ => KindsRows);
        await using var target = await TestDb.CreateAsync(to, KindsTarget, _ => "SELECT 1");

        var report = await Move.ImportAsync(target, await Move.ExportAsync(source, ids: "7,8", root: "kinds"), "");

        Assert.Equal("imported", report.Outcome);
        var sql = to == "postgres"
            ? "SELECT tiny::text, small::text, medium::text, big_u::text, flag::text, bit1::text, bits::text, yr::text, color, tags, price::text, f::text, dbl::text, " +
              "latin, emoji, encode(vb, 'hex'), encode(bl, 'hex'), t::text, dt::text, ts::text, j::text, d::text FROM kinds ORDER BY id"
            : "SELECT tiny, small, medium, big_u, flag, bit1, bits, yr, color, tags, CASE WHEN price IS NOT NULL THEN printf('%.4f', price) END, f, dbl, latin, emoji, " +
              "CASE WHEN vb IS NOT NULL THEN lower(hex(vb)) END, CASE WHEN bl IS NOT NULL THEN lower(hex(bl)) END, t, dt, ts, j, d FROM kinds ORDER BY id";
        var rows = await target.QueryAsync(sql);
        Assert.Equal(2, rows.Count);
        Assert.Equal(
            new List<string?>
            {
                "255", "-32768", "16777215", "9223372036854775807", to == "postgres" ? "true" : "1", to == "postgres" ? "true" : "1", "165", "2024", "green", "a,c",
                "12345678.1234", "1.5", "0.1", "Åsa Öberg", "Grüße 👋 ☕", "00ff10", "deadbeef", "23:59:59.125", "2024-02-29 12:34:56.789",
                to == "postgres" ? "2024-05-01 10:00:00.5+00" : "2024-05-01 10:00:00.5+00:00",
                to == "postgres" ? """{"a": [1, 2]}""" : """{"a": [1, 2]}""", "1000-01-01",
            },
            rows[0]);
        Assert.All(rows[1], Assert.Null);
    }

    [Theory]
    [InlineData("big_u", "18446744073709551615", "above 9223372036854775807")]
    [InlineData("flag", "7", "neither 0 nor 1")]
    [InlineData("d", "'0000-00-00'", "?zero-dates=null")]
    [InlineData("dt", "'2024-00-00 10:00:00'", "?zero-dates=null")]
    [InlineData("t", "'100:00:00'", "beyond a time of day")]
    public async Task A_value_no_other_engine_can_hold_fails_the_export_naming_table_column_and_value(string column, string value, string why)
    {
        await using var source = await TestDb.CreateAsync("mariadb", _ => KindsMariaDb, _ => $"SET SESSION sql_mode = ''; INSERT INTO kinds (id, {column}) VALUES (7, {value});");

        var e = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "7", root: "kinds"));

        Assert.Contains($"table kinds column {column} (", e.Message, StringComparison.Ordinal);
        Assert.Contains(value.Trim('\''), e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_zero_dates_null_a_zero_date_travels_as_NULL()
    {
        await using var source = await TestDb.CreateAsync("mariadb", _ => KindsMariaDb, _ => "SET SESSION sql_mode = ''; INSERT INTO kinds (id, d, dt) VALUES (7, '0000-00-00', '2024-05-01 10:00:00');");
        await using var target = await TestDb.CreateAsync("sqlite", KindsTarget, _ => "SELECT 1");
        var url = source.ConnectionString + "?zero-dates=null";

        using var output = new MemoryStream();
        await new Export.Exporter(Move.Engines.Create(url), Reporting.SilentProgress.Instance).ExportAsync(
            new Export.ExportOptions(url, "kinds", ["7"], [], [], Move.Password.ToCharArray(), null), output, CancellationToken.None);
        await Move.ImportAsync(target, output.ToArray(), "");

        Assert.Equal(new List<string?> { null, "2024-05-01 10:00:00" }, (await target.QueryAsync("SELECT d, dt FROM kinds")).Single());
    }

    [Fact]
    public async Task A_spatial_column_in_scope_is_refused_by_name()
    {
        await using var source = await TestDb.CreateAsync("mariadb", _ => "CREATE TABLE sites (id int PRIMARY KEY, at point);", _ => "INSERT INTO sites VALUES (1, POINT(1, 2));");

        var e = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "1", root: "sites"));

        Assert.Contains("column at has type point", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_without_primary_key_in_scope_is_refused_with_what_to_do()
    {
        await using var source = await TestDb.CreateAsync("mariadb",
            _ => "CREATE TABLE lists (id int PRIMARY KEY); CREATE TABLE entries (list_id int NOT NULL, body text, FOREIGN KEY (list_id) REFERENCES lists (id));",
            _ => "INSERT INTO lists VALUES (1); INSERT INTO entries VALUES (1, 'x');");

        var e = await Assert.ThrowsAsync<FerryException>(() => Move.ExportAsync(source, ids: "1", root: "lists"));

        Assert.Contains("without a primary key", e.Message, StringComparison.Ordinal);
        Assert.Contains("exclude it", e.Message, StringComparison.Ordinal);
    }
}
