using Ferry.Planning;
using Ferry.Planning.Rendering;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.Traps;

/// <summary>
/// A partitioned table is one table: read and written through its parent (each row once), with the
/// union of the foreign keys its partitions declare (Pagila's payment declares them on some partitions
/// only, which plan says); its key is (payment_date, payment_id) with payment_id from a sequence, which
/// gets fresh ids, and a reference to that composite key follows them. PostgreSQL only.
/// </summary>
public sealed class PartitionTests
{
    private static string Schema(bool postgres) => """
        CREATE SEQUENCE store_seq;
        CREATE SEQUENCE customer_seq;
        CREATE SEQUENCE payment_seq;
        CREATE TABLE store (store_id int DEFAULT nextval('store_seq'::regclass) PRIMARY KEY, name text NOT NULL UNIQUE);
        CREATE TABLE customer (customer_id int DEFAULT nextval('customer_seq'::regclass) PRIMARY KEY,
            store_id int NOT NULL REFERENCES store, email text NOT NULL);
        CREATE TABLE payment (payment_id int DEFAULT nextval('payment_seq'::regclass) NOT NULL, customer_id int NOT NULL,
            amount numeric(5,2) NOT NULL, payment_date timestamptz NOT NULL, PRIMARY KEY (payment_date, payment_id))
            PARTITION BY RANGE (payment_date);
        CREATE TABLE payment_2024_01 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
        CREATE TABLE payment_2024_02 PARTITION OF payment FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
        CREATE TABLE payment_2024_03 PARTITION OF payment FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
        ALTER TABLE payment_2024_01 ADD CONSTRAINT payment_2024_01_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer;
        ALTER TABLE payment_2024_02 ADD CONSTRAINT payment_2024_02_customer_fkey FOREIGN KEY (customer_id) REFERENCES customer;
        CREATE TABLE payment_note (id serial PRIMARY KEY, payment_date timestamptz NOT NULL, payment_id int NOT NULL, note text NOT NULL,
            FOREIGN KEY (payment_date, payment_id) REFERENCES payment);
        """;

    private const string SourceData = """
        INSERT INTO store (name) VALUES ('north'), ('south');
        INSERT INTO customer (store_id, email) VALUES (1, 'a@n'), (2, 'b@s'), (2, 'c@s');
        INSERT INTO payment (customer_id, amount, payment_date) VALUES
          (1, 1.00, '2024-01-05'), (2, 2.00, '2024-01-06'), (3, 3.00, '2024-02-07'), (2, 4.00, '2024-03-08'), (1, 5.00, '2024-03-09');
        INSERT INTO payment_note (payment_date, payment_id, note) VALUES ('2024-03-08', 4, 'late'), ('2024-01-05', 1, 'other store');
        """;

    // Another store whose payments have the source's payment_ids (on other dates), and a sequence past them.
    private const string TargetData = """
        INSERT INTO store (name) VALUES ('east');
        INSERT INTO customer (store_id, email) VALUES (1, 'x@e');
        INSERT INTO payment (customer_id, amount, payment_date) SELECT 1, n, '2024-01-20'::date + n FROM generate_series(1, 9) n;
        """;

    [Fact]
    public async Task Plan_treats_a_partitioned_table_as_one_table_and_says_where_partitions_disagree()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => SourceData);

        var report = await PlanAsync(source, "store", "2");

        Assert.DoesNotContain(report.Tables, t => t.Name.StartsWith("payment_20", StringComparison.Ordinal));
        Assert.Equal((PlanRole.Owned, 3L), report.Tables.Where(t => t.Name == "payment").Select(t => (t.Role, t.Rows ?? 0)).Single());
        Assert.Equal((PlanRole.Owned, 1L), report.Tables.Where(t => t.Name == "payment_note").Select(t => (t.Role, t.Rows ?? 0)).Single());
        var key = report.Edges.Single(e => e.Key.Table == "payment" && e.Key.RefTable == "customer").Key;
        Assert.Equal(["payment_2024_01", "payment_2024_02"], key.Partitions!.DeclaredOn);
        Assert.Contains("  payment.customer_id → customer: declared on 2 of 3 partitions of payment (payment_2024_01, payment_2024_02)",
            PlanTextRenderer.Render(report));
        Assert.Contains("\"declaredOn\": [", PlanJsonRenderer.Render(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_moves_with_fresh_payment_ids_in_the_right_partitions()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, _ => SourceData);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => TargetData);

        var exported = await ExportAsync(source, "store", "2");
        var imported = await ImportAsync(target, exported.Archive);

        Assert.Equal("imported", imported.Outcome);
        Assert.Equal(3, exported.Result.Tables.Single(t => t.Name == "payment").Rows);
        // Each payment once, in the partition of its date, with an id of its own drawn from the sequence.
        Assert.Empty(await target.QueryAsync("SELECT payment_id FROM payment GROUP BY payment_id HAVING COUNT(*) > 1"));
        Assert.Equal(
            ["payment_2024_01 2.00 b@s 10", "payment_2024_02 3.00 c@s 11", "payment_2024_03 4.00 b@s 12"],
            await Column(target, "SELECT p.tableoid::regclass || ' ' || p.amount || ' ' || c.email || ' ' || p.payment_id " +
                                 "FROM payment p JOIN customer c ON c.customer_id = p.customer_id JOIN store s ON s.store_id = c.store_id " +
                                 "WHERE s.name = 'south' ORDER BY p.payment_date"));
        // The reference to the composite key follows the new id.
        Assert.Equal("late 4.00", await target.ScalarAsync(
            "SELECT n.note || ' ' || p.amount FROM payment_note n JOIN payment p ON p.payment_date = n.payment_date AND p.payment_id = n.payment_id"));
        await target.ExecuteAsync("INSERT INTO payment (customer_id, amount, payment_date) VALUES (1, 9.99, '2024-03-30')");
        Assert.Equal("13", await target.ScalarAsync("SELECT payment_id FROM payment WHERE amount = 9.99"));
    }
}
