using Ferry.Testing;

namespace Ferry.Postgres.Tests;

public class TestPostgresTests
{
    [Fact]
    public async Task Dump_lists_tables_columns_sorted_rows_and_sequences()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("""
            CREATE TABLE b (id serial PRIMARY KEY, at timestamptz, note text NOT NULL);
            CREATE TABLE a (x int);
            CREATE SEQUENCE unused_seq;
            INSERT INTO b (at, note) VALUES ('2024-05-01 12:00:00+02', 'z'), (NULL, 'y, "q"');
            """);

        Assert.Equal(""""
            table a
              x integer
            table b
              id integer not null
              at timestamp with time zone
              note text not null
              | (1,"2024-05-01 10:00:00+00",z)
              | (2,,"y, ""q""")
            sequence b_id_seq 2
            sequence unused_seq unused

            """".ReplaceLineEndings("\n"), (await db.DumpAsync()).ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Dispose_drops_the_database()
    {
        var db = await TestPostgres.CreateDatabaseAsync();
        var connectionString = db.ConnectionString;
        await using (var held = await db.OpenAsync())
        {
            await db.DisposeAsync();
        }

        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.OpenAsync());
        Assert.Equal("3D000", e.SqlState);
    }
}
