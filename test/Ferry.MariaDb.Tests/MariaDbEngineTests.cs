using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;
using MySqlConnector;

namespace Ferry.MariaDb.Tests;

/// <summary>The engine against a real MariaDB: what it reads of a schema, and the snapshot it reads rows in.</summary>
public sealed class MariaDbEngineTests : IAsyncLifetime
{
    private TestMariaDb _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestMariaDb.CreateDatabaseAsync();
        await _db.ExecuteAsync("""
            CREATE TABLE owners (id bigint unsigned AUTO_INCREMENT PRIMARY KEY, email varchar(190) NOT NULL COLLATE utf8mb4_unicode_ci, bio text,
              UNIQUE KEY email (email), UNIQUE KEY bio_prefix (bio(20))) ENGINE=InnoDB;
            CREATE TABLE items (owner_id bigint unsigned NOT NULL, n int NOT NULL, parent_n int, flag tinyint(1) NOT NULL DEFAULT 0, kind enum('a','b') NOT NULL,
              doc json, twice int AS (n * 2) VIRTUAL, PRIMARY KEY (owner_id, n),
              FOREIGN KEY (owner_id) REFERENCES owners (id), FOREIGN KEY (owner_id, parent_n) REFERENCES items (owner_id, n)) ENGINE=InnoDB;
            CREATE TABLE counters (k int NOT NULL, seq int unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (k, seq), UNIQUE KEY seq (seq)) ENGINE=InnoDB;
            INSERT INTO owners (email) VALUES ('a@example.org');
            """);
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private IDatabaseEngine Engine => new MariaDbEngineFactory(_ => null).Create(_db.Url);

    [Fact]
    public async Task Reads_tables_columns_keys_and_foreign_keys_from_information_schema()
    {
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);

        var schema = await engine.ReadSchemaAsync(connection, null, CancellationToken.None);

        Assert.Equal(["counters", "items", "owners"], schema.Tables.Select(t => t.Name));
        var owners = schema.Get("owners");
        Assert.Equal(["id"], owners.PrimaryKey);
        Assert.True(owners.GetColumn("id").IsAutoIncrement);
        Assert.Equal((FerryType.Int, 0L, long.MaxValue), (owners.GetColumn("id").Type, owners.GetColumn("id").Limits.MinInteger, owners.GetColumn("id").Limits.MaxInteger));
        Assert.Equal("varchar(190) COLLATE utf8mb4_unicode_ci", owners.GetColumn("email").SqlType);
        Assert.Equal(["PRIMARY", "email"], owners.Uniques.Select(u => u.Name));
        Assert.Contains(schema.Notes, n => n.Text.Contains("bio_prefix", StringComparison.Ordinal));

        var items = schema.Get("items");
        Assert.Equal(["owner_id", "n"], items.PrimaryKey);
        Assert.Equal(["owner_id", "n", "parent_n", "flag", "kind", "doc"], items.Columns.Select(c => c.Name));
        Assert.Equal([FerryType.Bool, FerryType.Text, FerryType.Json], items.Columns.Skip(3).Select(c => c.Type));
        Assert.Equal("0", items.GetColumn("flag").Default);
        var self = Assert.Single(items.ForeignKeys, k => k.IsSelfReference);
        Assert.Equal(["owner_id", "parent_n"], self.Columns);
        Assert.Equal(["owner_id", "n"], self.RefColumns);
        Assert.True(self.Nullable);
        Assert.False(Assert.Single(items.ForeignKeys, k => !k.IsSelfReference).Nullable);

        var counters = schema.Get("counters");
        Assert.Equal(["k", "seq"], counters.PrimaryKey);
        Assert.True(counters.GetColumn("seq").IsAutoIncrement);
    }

    [Fact]
    public async Task Reads_the_members_of_enums_and_sets_as_declared_case_and_quotes_kept()
    {
        await _db.ExecuteAsync("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'; " +
                               "CREATE TABLE shirts (id int PRIMARY KEY, size enum('S','m','it''s','a\\b','x y ') CHARACTER SET latin1, tags set('Grüße','日本','') NOT NULL)");
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);

        var shirts = (await engine.ReadSchemaAsync(connection, null, CancellationToken.None)).Get("shirts");

        var size = shirts.GetColumn("size");
        Assert.Equal("enum('S','m','it''s','a\\\\b','x y') COLLATE latin1_swedish_ci", size.SqlType);
        Assert.False(size.Limits.Members!.IsSet);
        Assert.Equal(["S", "m", "it's", "a\\b", "x y"], size.Limits.Members.Names);
        Assert.True(shirts.GetColumn("tags").Limits.Members!.IsSet);
        Assert.Equal(["Grüße", "日本", ""], shirts.GetColumn("tags").Limits.Members!.Names);
        Assert.Null(shirts.GetColumn("id").Limits.Members);
    }

    [Theory]
    [InlineData("latin1", "€ Å ü \u0081 plain", null)]
    [InlineData("latin1", "Grüße 日本", "Grüße ??")]
    [InlineData("latin1", "\u0080", "?")]
    [InlineData("latin1", "👋", "?")]
    [InlineData("utf8mb3", "Grüße 日本 €", null)]
    [InlineData("utf8mb3", "a👋", "a?")]
    [InlineData("ascii", "café", "caf?")]
    public async Task The_round_trip_through_a_character_set_finds_what_it_lacks_as_MariaDB_converts(string charset, string value, string? stored)
    {
        await using var connection = await _db.OpenAsync();
        await using (var create = new MySqlCommand("CREATE TEMPORARY TABLE stage (v longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin); INSERT INTO stage VALUES (@v)", connection))
        {
            create.Parameters.AddWithValue("@v", System.Text.RegularExpressions.Regex.Unescape(value));
            await create.ExecuteNonQueryAsync();
        }
        var query = new MariaDbDialect(_db.Name).UnstorableText("`stage`", "v", new Column("v", $"varchar(50) COLLATE {charset}_general_ci", FerryType.Text, true))!;

        await using var command = new MySqlCommand(query, connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.Equal(stored is not null, await reader.ReadAsync());
        if (stored is not null)
        {
            Assert.Equal((System.Text.RegularExpressions.Regex.Unescape(value), stored), (reader.GetString(0), reader.GetString(1)));
        }
    }

    [Fact]
    public async Task The_sealed_snapshot_is_read_only_for_tables_and_consistent_but_fills_temporary_tables()
    {
        var engine = Engine;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var snapshot = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        await Execute(connection, snapshot, engine.Dialect.CreateTempTable("ferry_scope_1", [("id", "bigint unsigned")], ["id"]));
        await engine.SealSnapshotAsync(connection, snapshot, CancellationToken.None);

        // Filling a key table from the source takes no lock on the rows read: another session writes meanwhile.
        await Execute(connection, snapshot, engine.Dialect.InsertIntoTemp("`ferry_scope_1`", [("id", "bigint unsigned")], "SELECT id FROM owners"));
        await _db.ExecuteAsync("INSERT INTO owners (email) VALUES ('written@example.org')");
        Assert.Equal(1L, await Count(connection, snapshot, "SELECT COUNT(*) FROM owners"));
        Assert.Equal(1L, await Count(connection, snapshot, "SELECT COUNT(*) FROM `ferry_scope_1`"));
        var refused = await Assert.ThrowsAsync<MySqlException>(() => Execute(connection, snapshot, "INSERT INTO owners (email) VALUES ('no@example.org')"));
        Assert.Equal(MySqlErrorCode.CannotExecuteInReadOnlyTransaction, refused.ErrorCode);
        await snapshot.RollbackAsync();
    }

    [Fact]
    public async Task A_target_that_cannot_be_reached_is_named()
    {
        var engine = new MariaDbEngineFactory(_ => null).Create("mysql://u@127.0.0.1:1/db");

        var e = await Assert.ThrowsAsync<FerryException>(() => engine.OpenAsync(Access.ReadWrite, CancellationToken.None));

        Assert.Contains("cannot connect to MariaDB at 127.0.0.1:1", e.Message, StringComparison.Ordinal);
    }

    private static async Task Execute(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> Count(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
