using Ferry.Import;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.Traps;

/// <summary>
/// Columns outside the primary key that a sequence or identity feeds: an invoice number from a sequence named only
/// in the default, a customer reference from an identity, a batch number that several invoices share. They get
/// fresh values from the target's generators wherever they sit (drawn only on the way to the commit), every
/// reference to them follows through a map of old → new values, and the generators are moved past them, so that
/// the application's next INSERT works. PostgreSQL targets only: SQLite has no generator outside the rowid, and
/// keeps (and checks) the values.
/// </summary>
public sealed class FreshColumnTests
{
    private static string Schema(bool postgres) => postgres
        ? """
          CREATE SEQUENCE invoice_number_seq START 1000;
          CREATE SEQUENCE batch_seq;
          CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL UNIQUE);
          CREATE TABLE customers (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts, email text NOT NULL UNIQUE,
              ref_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE);
          CREATE TABLE invoices (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts, customer_ref bigint REFERENCES customers (ref_no),
              number int NOT NULL DEFAULT nextval('invoice_number_seq'::regclass) UNIQUE, batch bigint DEFAULT nextval('batch_seq'::regclass),
              external_ref text UNIQUE, total numeric(8,2) NOT NULL);
          CREATE TABLE payments (id serial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts, invoice_number int REFERENCES invoices (number),
              amount numeric(8,2) NOT NULL);
          """
        : """
          CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
          CREATE TABLE customers (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id), email TEXT NOT NULL UNIQUE,
              ref_no INTEGER NOT NULL UNIQUE);
          CREATE TABLE invoices (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id), customer_ref INTEGER REFERENCES customers (ref_no),
              number INTEGER NOT NULL UNIQUE, batch INTEGER, external_ref TEXT UNIQUE, total NUMERIC(8,2) NOT NULL);
          CREATE TABLE payments (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts (id), invoice_number INTEGER REFERENCES invoices (number),
              amount NUMERIC(8,2) NOT NULL);
          """;

    // Account 2 (south): two customers, three invoices (two in batch 7), payments to two of them and one unapplied.
    private static string Source(bool postgres) => (postgres
        ? """
          INSERT INTO accounts (name) VALUES ('north'), ('south');
          INSERT INTO customers (account_id, email) VALUES (1, 'a@n'), (2, 'b@s'), (2, 'c@s');
          INSERT INTO invoices (account_id, customer_ref, batch, external_ref, total) VALUES
            (1, 1, NULL, NULL, 1.00), (2, 2, 7, 'EXT-1', 2.00), (2, 3, 7, NULL, 3.00), (2, 2, NULL, 'EXT-2', 4.00);
          """
        : """
          INSERT INTO accounts (id, name) VALUES (1, 'north'), (2, 'south');
          INSERT INTO customers (id, account_id, email, ref_no) VALUES (1, 1, 'a@n', 1), (2, 2, 'b@s', 2), (3, 2, 'c@s', 3);
          INSERT INTO invoices (id, account_id, customer_ref, number, batch, external_ref, total) VALUES
            (1, 1, 1, 1000, NULL, NULL, 1.00), (2, 2, 2, 1001, 7, 'EXT-1', 2.00), (3, 2, 3, 1002, 7, NULL, 3.00), (4, 2, 2, 1003, NULL, 'EXT-2', 4.00);
          """) + """
        INSERT INTO payments (account_id, invoice_number, amount) VALUES (1, 1000, 1.00), (2, 1001, 2.00), (2, 1003, 1.50), (2, NULL, 0.50);
        """;

    // A live instance: invoice numbers 1000-1004 (1004 since deleted), customer references 1-2, batch_seq moved to 20 by the app.
    private const string Target = """
        INSERT INTO accounts (name) VALUES ('east');
        INSERT INTO customers (account_id, email) VALUES (1, 'x@e'), (1, 'y@e');
        INSERT INTO invoices (account_id, customer_ref, batch, external_ref, total) VALUES
          (1, 1, 1, NULL, 10.00), (1, 2, 2, 'EXT-9', 11.00), (1, 1, NULL, NULL, 12.00), (1, 2, NULL, NULL, 13.00), (1, 2, NULL, NULL, 14.00);
        DELETE FROM invoices WHERE total = 14.00;
        SELECT setval('batch_seq', 20);
        INSERT INTO payments (account_id, invoice_number, amount) VALUES (1, 1001, 11.00);
        """;

    // The moved account by natural keys: customers, invoices with their customer, payments with their invoice.
    private const string Projection = """
        SELECT c.email || ' ' || i.total || ' ' || COALESCE(i.external_ref, '-') || ' ' || COALESCE(p.amount::text, '-')
        FROM invoices i JOIN accounts a ON a.id = i.account_id LEFT JOIN customers c ON c.ref_no = i.customer_ref
        LEFT JOIN payments p ON p.invoice_number = i.number
        WHERE a.name = 'south' ORDER BY 1
        """;

    [Fact]
    public async Task Sequence_fed_columns_outside_the_key_get_fresh_values_that_references_follow_and_the_next_insert_works()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);

        var imported = await ImportAsync(target, (await ExportAsync(source, "accounts", "2")).Archive);

        Assert.Equal("imported", imported.Outcome);
        // Drawn from each column's own generator, past what it handed out, in the order of the old values.
        Assert.Equal(["b@s 3", "c@s 4"], await Column(target, "SELECT email || ' ' || ref_no FROM customers WHERE account_id = 2 ORDER BY 1"));
        Assert.Equal(["2.00 1005 21", "3.00 1006 21", "4.00 1007 NULL"],
            await Column(target, "SELECT total || ' ' || number || ' ' || COALESCE(batch::text, 'NULL') FROM invoices WHERE account_id = 2 ORDER BY 1"));
        // Every reference follows: the invoices' customers, the payments' invoices (the unapplied one stays unapplied).
        Assert.Equal(await Column(source, Projection), await Column(target, Projection));
        Assert.Equal("0.50", await target.ScalarAsync("SELECT amount FROM payments WHERE account_id = 2 AND invoice_number IS NULL"));
        // The target's own rows are untouched.
        Assert.Equal("11.00 11.00", await target.ScalarAsync("SELECT i.total || ' ' || p.amount FROM payments p JOIN invoices i ON i.number = p.invoice_number WHERE p.account_id = 1"));
        Assert.Equal(new Dictionary<string, long> { ["ref_no"] = 2 }, imported.Tables.Single(t => t.Name == "customers").FreshValues);
        Assert.Equal(new Dictionary<string, long> { ["number"] = 3, ["batch"] = 1 }, imported.Tables.Single(t => t.Name == "invoices").FreshValues);
        Assert.Empty(imported.Tables.Single(t => t.Name == "payments").FreshValues);
        // The application's next inserts, through the defaults and the identity.
        await target.ExecuteAsync("""
            INSERT INTO customers (account_id, email) VALUES (2, 'next@s');
            INSERT INTO invoices (account_id, customer_ref, total) VALUES (2, 5, 9.00);
            """);
        Assert.Equal("5 1008 22", await target.ScalarAsync(
            "SELECT c.ref_no || ' ' || i.number || ' ' || i.batch FROM invoices i JOIN customers c ON c.ref_no = i.customer_ref WHERE i.total = 9.00"));
    }

    [Fact]
    public async Task A_dry_run_leaves_the_target_and_every_sequence_where_they_were()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);
        var before = await target.DumpAsync();

        var report = await ImportAsync(target, (await ExportAsync(source, "accounts", "2")).Archive, dryRun: true);

        Assert.Equal("dry run", report.Outcome);
        Assert.Equal(new Dictionary<string, long> { ["number"] = 3, ["batch"] = 1 }, report.Tables.Single(t => t.Name == "invoices").FreshValues);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_refused_import_leaves_the_target_and_every_sequence_where_they_were()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        // The account's name is taken: a conflict, found before anything is written or drawn.
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target + "INSERT INTO accounts (name) VALUES ('south');");
        var before = await target.DumpAsync();

        var refused = await Assert.ThrowsAsync<ConflictException>(() => ImportAsync(target, ExportAsync(source, "accounts", "2").Result.Archive));

        Assert.Equal(1, refused.Report.ConflictCount);
        Assert.Equal("accounts", refused.Report.Conflicts.Single().Table);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_matched_row_keeps_its_value_and_references_to_it_follow_the_existing_row()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target + "UPDATE invoices SET external_ref = 'EXT-2' WHERE number = 1001;");

        // EXT-2 is the target's invoice 1001: the payment of the source's 1003 lands on it.
        var imported = await ImportAsync(target, (await ExportAsync(source, "accounts", "2")).Archive, null, false, "invoices:external_ref");

        Assert.Equal(1, imported.Tables.Single(t => t.Name == "invoices").Matched);
        Assert.Equal(["2.00 1005", "3.00 1006"], await Column(target, "SELECT total || ' ' || number FROM invoices WHERE account_id = 2 ORDER BY 1"));
        Assert.Equal(["0.50 NULL", "1.50 1001", "2.00 1005"],
            await Column(target, "SELECT amount || ' ' || COALESCE(invoice_number::text, 'NULL') FROM payments WHERE account_id = 2 ORDER BY 1"));
        Assert.Equal(new Dictionary<string, long> { ["number"] = 2, ["batch"] = 1 }, imported.Tables.Single(t => t.Name == "invoices").FreshValues);
        await target.ExecuteAsync("INSERT INTO invoices (account_id, total) VALUES (2, 9.00)");
        Assert.Equal("1007", await target.ScalarAsync("SELECT number FROM invoices WHERE total = 9.00"));
    }

    [Fact]
    public async Task Matching_by_a_sequence_fed_column_keeps_the_values_of_the_rows_it_does_not_match()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target + "DELETE FROM payments; DELETE FROM invoices WHERE number > 1000; SELECT setval('invoice_number_seq', 1000);");

        // The operator says equal numbers are the same invoice: 1001-1003 are not in the target, so they keep their numbers.
        var imported = await ImportAsync(target, (await ExportAsync(source, "accounts", "2")).Archive, null, false, "invoices:number");

        Assert.Equal(["2.00 1001", "3.00 1002", "4.00 1003"], await Column(target, "SELECT total || ' ' || number FROM invoices WHERE account_id = 2 ORDER BY 1"));
        Assert.Equal(new Dictionary<string, long> { ["batch"] = 1 }, imported.Tables.Single(t => t.Name == "invoices").FreshValues);
        // The sequence, left at 1000 by the target, is moved past them.
        await target.ExecuteAsync("INSERT INTO invoices (account_id, total) VALUES (2, 9.00)");
        Assert.Equal("1004", await target.ScalarAsync("SELECT number FROM invoices WHERE total = 9.00"));
    }

    [Fact]
    public async Task A_conflict_rule_on_a_key_with_a_fresh_column_is_refused_before_anything_is_written()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<FerryException>(() => ImportAsync(target, ExportAsync(source, "accounts", "2").Result.Archive,
            Profile("conflicts:\n  - {table: invoices, key: number, action: reuse}\n")));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Equal("the archive does not fit the target: conflicts rule for invoices (profile app.yaml:2): invoices.number gets fresh values from the " +
                     "target's sequence public.invoice_number_seq, so the key (number) never collides; remove the rule, or, if equal values mean the same " +
                     "row on both instances, match the table by it (an identity or --match), which keeps its values", error.Message);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_transform_that_sets_a_fresh_column_is_a_profile_mistake()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<FerryException>(() => ImportAsync(target, ExportAsync(source, "accounts", "2").Result.Archive,
            Profile("transforms:\n  - {set: invoices.batch, value: 3}\n")));

        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Equal("profile app.yaml:2: cannot set invoices.batch: the target's sequence public.batch_seq gives it fresh values on import, " +
                     "and references to it follow them", error.Message);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task A_renamed_column_gets_fresh_values_under_its_new_name_and_a_dropped_one_its_default_but_never_in_a_dry_run()
    {
        await using var source = await TestDb.CreateAsync("postgres", p => Schema(p).Replace("number int NOT NULL", "no int NOT NULL")
            .Replace("invoices (number)", "invoices (no)"), Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);
        var archive = (await ExportAsync(source, "accounts", "2")).Archive;
        var profile = Profile("transforms:\n  - {rename_column: invoices.no, to: number}\n  - {drop_column: invoices.batch}\n");
        var before = await target.DumpAsync();

        await ImportAsync(target, archive, profile, dryRun: true);
        Assert.Equal(before, await target.DumpAsync());
        var imported = await ImportAsync(target, archive, profile);

        Assert.Equal(new Dictionary<string, long> { ["number"] = 3 }, imported.Tables.Single(t => t.Name == "invoices").FreshValues);
        Assert.Equal(await Column(source, Projection.Replace("i.number", "i.no")), await Column(target, Projection));
        Assert.Equal(["2.00 1005", "3.00 1006", "4.00 1007"], await Column(target, "SELECT total || ' ' || number FROM invoices WHERE account_id = 2 ORDER BY 1"));
        // The dropped batch came from the target's default: one value per row, drawn from its sequence (the dry run drew none).
        Assert.Equal("21,22,23", await target.ScalarAsync("SELECT string_agg(batch::text, ',' ORDER BY batch) FROM invoices WHERE account_id = 2"));
    }

    [Fact]
    public async Task Dropping_a_fresh_column_that_the_target_references_is_refused()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);
        var before = await target.DumpAsync();

        var error = await Assert.ThrowsAsync<ArchiveException>(() => ImportAsync(target, ExportAsync(source, "accounts", "2").Result.Archive,
            Profile("transforms:\n  - {drop_column: customers.ref_no}\n")));

        Assert.Contains("the target's foreign key invoices.customer_ref → customers is not declared in the archive", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Fact]
    public async Task From_sqlite_the_target_sequences_give_the_fresh_values()
    {
        await using var source = await TestDb.CreateAsync("sqlite", Schema, Source);
        await using var target = await TestDb.CreateAsync("postgres", Schema, _ => Target);

        await ImportAsync(target, (await ExportAsync(source, "accounts", "2")).Archive);

        Assert.Equal(["2.00 1005 21", "3.00 1006 21", "4.00 1007 NULL"],
            await Column(target, "SELECT total || ' ' || number || ' ' || COALESCE(batch::text, 'NULL') FROM invoices WHERE account_id = 2 ORDER BY 1"));
        Assert.Equal(["b@s 2.00 EXT-1 2.00", "b@s 4.00 EXT-2 1.50", "c@s 3.00 - -"], await Column(target, Projection));
    }

    [Fact]
    public async Task Into_sqlite_the_values_are_kept_and_checked()
    {
        await using var source = await TestDb.CreateAsync("postgres", Schema, Source);
        await using var target = await TestDb.CreateAsync("sqlite", Schema, _ => """
            INSERT INTO accounts (id, name) VALUES (1, 'east');
            INSERT INTO customers (id, account_id, email, ref_no) VALUES (1, 1, 'x@e', 10);
            INSERT INTO invoices (id, account_id, number, total) VALUES (1, 1, 1002, 10.00);
            """);
        var before = await target.DumpAsync();

        // SQLite has no generator for them: the numbers travel as they are, and 1002 is taken.
        var refused = await Assert.ThrowsAsync<ConflictException>(() => ImportAsync(target, ExportAsync(source, "accounts", "2").Result.Archive));

        Assert.Equal(["invoices number 1002 existing"], refused.Report.Conflicts.Select(c => $"{c.Table} {string.Join('+', c.Columns)} {c.Values[0]} {c.Kind}"));
        Assert.Equal(before, await target.DumpAsync());
    }
}
