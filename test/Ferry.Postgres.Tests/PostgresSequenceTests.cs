using Ferry.Engines;
using Ferry.Testing;
using static Ferry.Postgres.Tests.PostgresTestSupport;

namespace Ferry.Postgres.Tests;

public class PostgresSequenceTests
{
    private const string Tables = """
        CREATE TABLE s (id serial PRIMARY KEY, x int);
        CREATE TABLE i (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x int);
        """;

    [Fact]
    public async Task The_current_maximum_includes_ids_the_sequence_handed_out()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(Tables + "INSERT INTO s (x) VALUES (1), (2); INSERT INTO i (x) VALUES (1);");
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var tx = await engine.BeginWriteAsync(connection, CancellationToken.None);
        var schema = await engine.ReadSchemaAsync(connection, tx, CancellationToken.None);
        var d = engine.Dialect;

        await ScalarAsync(connection, tx, "SELECT nextval(pg_get_serial_sequence('s', 'id'))");
        await ScalarAsync(connection, tx, "SELECT nextval(pg_get_serial_sequence('i', 'id'))");
        Assert.Equal(3L, await ScalarAsync(connection, tx, $"SELECT {d.CurrentMaxId(schema.Get("s"), schema.Get("s").GetColumn("id"))}"));
        Assert.Equal(2L, await ScalarAsync(connection, tx, $"SELECT {d.CurrentMaxId(schema.Get("i"), schema.Get("i").GetColumn("id"))}"));
    }

    [Fact]
    public async Task Syncing_moves_sequences_forward_past_explicit_ids_and_never_back()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync(Tables + "CREATE TABLE e (id serial PRIMARY KEY); CREATE TABLE u (id serial PRIMARY KEY);");
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var tx = await engine.BeginWriteAsync(connection, CancellationToken.None);
        var schema = await engine.ReadSchemaAsync(connection, tx, CancellationToken.None);
        var d = engine.Dialect;
        await ExecuteAsync(connection, tx, """
            INSERT INTO s (id) VALUES (10), (40);
            INSERT INTO i (id) OVERRIDING SYSTEM VALUE VALUES (7);
            SELECT setval('public.i_id_seq', 100);
            INSERT INTO u (id) VALUES (1);
            """);

        foreach (var name in new[] { "s", "i", "e", "u" })
        {
            foreach (var statement in d.SyncGenerators(schema.Get(name)))
            {
                await ExecuteAsync(connection, tx, statement);
            }
        }

        Assert.Equal(41, await ScalarAsync(connection, tx, "INSERT INTO s (x) VALUES (0) RETURNING id"));
        Assert.Equal(101L, await ScalarAsync(connection, tx, "INSERT INTO i (x) VALUES (0) RETURNING id"));
        Assert.Equal(1, await ScalarAsync(connection, tx, "INSERT INTO e DEFAULT VALUES RETURNING id"));
        Assert.Equal(2, await ScalarAsync(connection, tx, "INSERT INTO u DEFAULT VALUES RETURNING id"));
    }
}
