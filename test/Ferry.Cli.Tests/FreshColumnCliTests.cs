using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Issue 12's sequence-fed column outside the key, through the command line on PostgreSQL: an order number from a
/// sequence named only in a default, beside a serial key, referenced by another table through its UNIQUE
/// constraint. Export, dry run, import: the numbers come from the target's sequence, the references follow, the
/// report says how many, and the application's next INSERT works.
/// </summary>
public sealed class FreshColumnCliTests
{
    private const string Schema = """
        CREATE SEQUENCE order_number_seq START 500;
        CREATE TABLE shops (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE orders (id serial PRIMARY KEY, shop_id int NOT NULL REFERENCES shops,
            order_number int NOT NULL DEFAULT nextval('order_number_seq'::regclass) UNIQUE, total numeric(8,2) NOT NULL);
        CREATE TABLE refunds (id serial PRIMARY KEY, shop_id int NOT NULL REFERENCES shops, order_number int NOT NULL REFERENCES orders (order_number),
            amount numeric(8,2) NOT NULL);
        """;

    [Fact]
    public async Task An_order_number_from_a_sequence_gets_fresh_values_that_refunds_follow_and_the_next_order_works()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => Schema, _ => """
            INSERT INTO shops (name) VALUES ('north'), ('south');
            INSERT INTO orders (shop_id, total) VALUES (1, 1.00), (2, 2.00), (2, 3.00);
            INSERT INTO refunds (shop_id, order_number, amount) VALUES (2, 502, 0.50), (1, 500, 1.00);
            """);
        // The target's own orders 500-501 hold the numbers the source's south orders 501-502 had.
        await using var target = await TestDb.CreateAsync("postgres", _ => Schema, _ => """
            INSERT INTO shops (name) VALUES ('east');
            INSERT INTO orders (shop_id, total) VALUES (1, 10.00), (1, 11.00);
            INSERT INTO refunds (shop_id, order_number, amount) VALUES (1, 501, 5.00);
            """);
        var archive = Path.Combine(Path.GetTempPath(), $"ferry-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--root", "shops", "--ids", "2", "--no-encrypt", "-o", archive]);
            Assert.True(export.ExitCode == 0, export.Stderr);
            var before = await target.DumpAsync();

            var dry = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--dry-run"]);
            Assert.True(dry.ExitCode == 0, dry.Stderr);
            Assert.Contains("orders.order_number: 2 value(s) would be replaced by fresh ones from the target's sequence", dry.Stderr, StringComparison.Ordinal);
            Assert.Equal(before, await target.DumpAsync());

            var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext"]);

            Assert.True(import.ExitCode == 0, import.Stderr);
            Assert.Contains("orders.order_number: 2 value(s) were replaced by fresh ones from the target's sequence", import.Stderr, StringComparison.Ordinal);
            Assert.Equal(["2.00 502", "3.00 503"],
                (await target.QueryAsync("SELECT o.total || ' ' || o.order_number FROM orders o JOIN shops s ON s.id = o.shop_id WHERE s.name = 'south' ORDER BY 1"))
                .Select(r => r[0]));
            // The refund of the source's order 502 (3.00) points at its new number; the target's refund is untouched.
            Assert.Equal(["0.50 3.00 south", "5.00 11.00 east"],
                (await target.QueryAsync("SELECT r.amount || ' ' || o.total || ' ' || s.name FROM refunds r JOIN orders o ON o.order_number = r.order_number " +
                                         "JOIN shops s ON s.id = o.shop_id ORDER BY 1")).Select(r => r[0]));
            await target.ExecuteAsync("INSERT INTO orders (shop_id, total) VALUES (1, 12.00)");
            Assert.Equal("504", await target.ScalarAsync("SELECT order_number FROM orders WHERE total = 12.00"));
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
