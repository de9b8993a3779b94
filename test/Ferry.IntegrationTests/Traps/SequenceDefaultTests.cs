using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.Traps;

/// <summary>
/// Sequences that feed a column through its default only (<c>DEFAULT nextval('…'::regclass)</c>, no
/// OWNED BY), as pg_dump output of older apps and Pagila have them: fresh ids come from them and they
/// are moved past the imported ids, so that the application's next INSERT works. PostgreSQL only:
/// SQLite has no sequences (its AUTOINCREMENT counters are covered by the move tests).
/// </summary>
public sealed class SequenceDefaultTests
{
    private static string Schema(bool postgres) => """
        CREATE SEQUENCE store_seq;
        CREATE SEQUENCE customer_seq START 100;
        CREATE TABLE store (store_id integer DEFAULT nextval('store_seq'::regclass) NOT NULL PRIMARY KEY, name text NOT NULL);
        CREATE TABLE customer (customer_id integer DEFAULT nextval('public.customer_seq'::regclass) NOT NULL PRIMARY KEY,
            store_id integer NOT NULL REFERENCES store, email text NOT NULL);
        """;

    [Fact]
    public async Task Fresh_ids_come_from_a_sequence_named_only_in_the_default_and_the_next_insert_works()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => """
            INSERT INTO store (name) VALUES ('north'), ('south');
            INSERT INTO customer (store_id, email) VALUES (1, 'a@n'), (2, 'b@s'), (2, 'c@s');
            """);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => """
            INSERT INTO store (name) VALUES ('east'), ('west'), ('gone');
            INSERT INTO customer (store_id, email) VALUES (1, 'x@e'), (2, 'y@w'), (3, 'z@g');
            DELETE FROM customer WHERE email = 'z@g';
            DELETE FROM store WHERE name = 'gone';
            """);

        var imported = await ImportAsync(target, (await ExportAsync(source, "store", "2")).Archive);

        Assert.Equal("imported", imported.Outcome);
        // Drawn from the sequences (past what they handed out, rows since deleted included), not max + 1.
        Assert.Equal("4", await target.ScalarAsync("SELECT store_id FROM store WHERE name = 'south'"));
        Assert.Equal(["103 b@s", "104 c@s"], await Column(target, "SELECT customer_id || ' ' || email FROM customer WHERE store_id = 4 ORDER BY 1"));
        // The application's next inserts, through the defaults.
        await target.ExecuteAsync("INSERT INTO store (name) VALUES ('next'); INSERT INTO customer (store_id, email) VALUES (5, 'n@n')");
        Assert.Equal("5 105", await target.ScalarAsync("SELECT s.store_id || ' ' || c.customer_id FROM store s JOIN customer c ON c.store_id = s.store_id WHERE s.name = 'next'"));
    }

    [Fact]
    public async Task A_sequence_named_by_a_text_default_gives_the_fresh_ids_and_is_moved_past_them()
    {
        // nextval('seq'::text): the name is resolved when the default runs, so nothing in pg_depend leads to it
        // (defaults of PostgreSQL 8.0 and older, still found in databases upgraded since).
        static string TextDefaults(bool postgres) => Schema(postgres).Replace("'store_seq'::regclass", "'store_seq'::text")
            .Replace("'public.customer_seq'::regclass", "'public.customer_seq'::text");
        await using var source = await TestDb.CreateAsync("postgres", TextDefaults, _ => """
            INSERT INTO store (name) VALUES ('north'), ('south');
            INSERT INTO customer (store_id, email) VALUES (2, 'b@s');
            """);
        await using var target = await TestDb.CreateAsync("postgres", TextDefaults, _ => """
            INSERT INTO store (name) VALUES ('east'), ('gone');
            DELETE FROM store WHERE name = 'gone';
            SELECT setval('customer_seq', 500);
            """);

        await ImportAsync(target, (await ExportAsync(source, "store", "2")).Archive);

        Assert.Equal("3 501", await target.ScalarAsync("SELECT s.store_id || ' ' || c.customer_id FROM store s JOIN customer c ON c.store_id = s.store_id WHERE s.name = 'south'"));
        await target.ExecuteAsync("INSERT INTO store (name) VALUES ('next'); INSERT INTO customer (store_id, email) VALUES (4, 'n@n')");
        Assert.Equal("4 502", await target.ScalarAsync("SELECT s.store_id || ' ' || c.customer_id FROM store s JOIN customer c ON c.store_id = s.store_id WHERE s.name = 'next'"));
    }

    [Fact]
    public async Task A_dry_run_leaves_a_default_only_sequence_where_it_was()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => """
            INSERT INTO store (name) VALUES ('north');
            INSERT INTO customer (store_id, email) VALUES (1, 'a@n');
            """);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => "INSERT INTO store (name) VALUES ('east');");
        var before = await target.DumpAsync();

        await ImportAsync(target, (await ExportAsync(source, "store", "1")).Archive, dryRun: true);

        Assert.Equal(before, await target.DumpAsync());
    }
}
