using System.Text.Json;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Sakila, MySQL's own sample schema (<c>Schemas/sakila-schema.sql</c>, tables and the film_text trigger as
/// published), with data generated here: one actor and the films they play in move from one MariaDB database into
/// another that holds a catalogue of its own, through the command line. Films and languages are the catalogue's
/// (matched by title, case-insensitively, and by name); the target is usable afterwards: the application's next
/// INSERT into every table written works, the trigger filled film_text for the new films, no title is doubled.
/// </summary>
/// <remarks>
/// A store moves too: store.manager_staff_id and staff.store_id are both NOT NULL, and InnoDB has no DEFERRABLE
/// constraint, so the staff are written with foreign_key_checks off and the provisional store id, which is set from the
/// key map once the store's id is drawn, and the key checked before the commit (docs/engines.md).
/// </remarks>
public sealed class SakilaCliTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-sakila-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_actor_moves_between_two_sakila_databases_and_the_target_stays_usable()
    {
        await using var source = await SakilaData.CreateAsync("mariadb", SakilaData.Catalogue(1, 8, "upper", ["English", "Italian"]));
        // The target's catalogue: other ids, some of the same films in lower case, the same languages and one more.
        await using var target = await SakilaData.CreateAsync("mariadb", SakilaData.Catalogue(50, 4, "lower", ["Japanese", "English", "Italian"]));
        var profile = Path.Combine(_dir, "sakila.yaml");
        await File.WriteAllTextAsync(profile, SakilaData.ActorProfile);
        var archive = Path.Combine(_dir, "actor.tar.gpg");
        var password = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(password, "s3cret-pass\n");
        var sourceBefore = await source.DumpAsync();

        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "1", "-o", archive, "--password-file", password]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var targetBefore = await target.DumpAsync();
        var dry = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--password-file", password, "--dry-run"]);
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(targetBefore, await target.DumpAsync());
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--password-file", password]);
        Assert.True(import.ExitCode == 0, import.Stderr);

        Assert.Equal(sourceBefore, await source.DumpAsync());
        // Actor 1 of the source plays in films 0, 2, 4, 6: films 0 and 2 are the target's own (matched case-insensitively), 4 and 6 new.
        var roles = await target.QueryAsync(
            "SELECT f.title, f.film_id < 100 FROM actor a JOIN film_actor fa ON fa.actor_id = a.actor_id JOIN film f ON f.film_id = fa.film_id " +
            "WHERE a.last_name = 'O''NEIL1' ORDER BY f.title");
        // (The title's collation, utf8mb4_general_ci, orders them without regard to case.)
        Assert.Equal(["film number 0", "film number 2", "FILM NUMBER 4", "FILM NUMBER 6"], roles.Select(r => r[0]));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM actor WHERE last_name = 'O''NEIL1'"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT LOWER(title) FROM film GROUP BY LOWER(title) HAVING COUNT(*) > 1) d"));
        // The new films keep their values, their languages are the target's, and the app's trigger filled film_text.
        Assert.Equal(["FILM NUMBER 4", "A film about 4's day", "2004", "English", "Italian", "4.99", "84", "NC-17", "-"],
            (await target.QueryAsync("SELECT f.title, f.description, f.release_year, l.name, o.name, f.rental_rate, f.length, f.rating, COALESCE(f.special_features, '-') " +
                                     "FROM film f JOIN language l ON l.language_id = f.language_id LEFT JOIN language o ON o.language_id = f.original_language_id " +
                                     "WHERE f.title = 'FILM NUMBER 4'")).Single().Select(v => v ?? "NULL"));
        Assert.Equal("Trailers,Deleted Scenes", await target.ScalarAsync("SELECT special_features FROM film WHERE title = 'FILM NUMBER 6'"));
        Assert.Equal("FILM NUMBER 6", await target.ScalarAsync("SELECT t.title FROM film_text t JOIN film f ON f.film_id = t.film_id WHERE f.title = 'FILM NUMBER 6'"));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM language"));

        // The application's next INSERT into each table written takes an id past the imported ones.
        await target.ExecuteAsync("INSERT INTO actor (first_name, last_name) VALUES ('NEXT', 'ACTOR')");
        await target.ExecuteAsync("INSERT INTO film (title, language_id) VALUES ('NEXT FILM', 50)");
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM film_text WHERE title = 'NEXT FILM'"));
        var maxActor = await target.ScalarAsync("SELECT MAX(actor_id) FROM actor");
        Assert.Equal(maxActor, await target.ScalarAsync("SELECT actor_id FROM actor WHERE first_name = 'NEXT'"));
    }

    // What a store is, by natural keys only: the same in the source and, after the move, in the target.
    private static async Task<List<string>> StoreAsync(TestDb db, string manager)
    {
        var store = $"(SELECT s.store_id FROM store s JOIN staff m ON m.staff_id = s.manager_staff_id AND m.store_id = s.store_id WHERE m.username = '{manager}')";
        string[] queries =
        [
            $"SELECT CONCAT_WS('|', a.address, a.postal_code, ci.city, co.country) FROM store s JOIN address a ON a.address_id = s.address_id JOIN city ci ON ci.city_id = a.city_id JOIN country co ON co.country_id = ci.country_id WHERE s.store_id = {store}",
            $"SELECT CONCAT_WS('|', st.username, st.email, HEX(st.picture), a.address) FROM staff st JOIN address a ON a.address_id = st.address_id WHERE st.store_id = {store} ORDER BY st.username",
            $"SELECT CONCAT_WS('|', c.email, c.create_date, a.address) FROM customer c JOIN address a ON a.address_id = c.address_id WHERE c.store_id = {store} ORDER BY c.email",
            $"SELECT CONCAT_WS('|', c.email, UPPER(f.title), r.rental_date, COALESCE(r.return_date, '-'), st.username, p.amount, p.payment_date) FROM rental r " +
            $"JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id JOIN customer c ON c.customer_id = r.customer_id " +
            $"JOIN staff st ON st.staff_id = r.staff_id JOIN payment p ON p.rental_id = r.rental_id WHERE i.store_id = {store} AND c.store_id = {store} ORDER BY 1",
        ];
        var lines = new List<string>();
        foreach (var query in queries)
        {
            lines.AddRange((await db.QueryAsync(query)).Select(r => r[0] ?? "NULL"));
        }
        return lines;
    }

    // Two MariaDB Sakila databases with stores, the store profile and a password file. The target: two stores of its own
    // with overlapping ids, the same countries and cities, another catalogue.
    private async Task<(TestDb Source, TestDb Target, string Profile, string Password)> StoresAsync()
    {
        var source = await SakilaData.CreateAsync("mariadb", SakilaData.Catalogue(1, 8, "upper", ["English", "Italian"]) + SakilaData.Stores("mariadb", 1, 2, "src"));
        var target = await SakilaData.CreateAsync("mariadb", SakilaData.Catalogue(50, 4, "lower", ["Japanese", "English", "Italian"]) + SakilaData.Stores("mariadb", 50, 2, "tgt"));
        var profile = Path.Combine(_dir, "store.yaml");
        await File.WriteAllTextAsync(profile, SakilaData.StoreProfile);
        var password = Path.Combine(_dir, "password");
        await File.WriteAllTextAsync(password, "s3cret-pass\n");
        return (source, target, profile, password);
    }

    [Fact]
    public async Task A_store_moves_with_its_staff_between_two_sakila_databases_through_the_not_null_cycle()
    {
        var (source, target, profile, password) = await StoresAsync();
        await using var _ = source;
        await using var __ = target;
        var archive = Path.Combine(_dir, "store.tar.gpg");
        var expected = await StoreAsync(source, "src10");
        var others = (await StoreAsync(target, "tgt00")).Concat(await StoreAsync(target, "tgt10")).ToList();

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "2"]);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "2", "-o", archive, "--password-file", password]);
        Assert.True(export.ExitCode == 0, export.Stderr);
        var targetBefore = await target.DumpAsync();
        var dry = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--password-file", password, "--dry-run"]);
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Equal(targetBefore, await target.DumpAsync());
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--password-file", password]);

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("staff.store_id → store: NOT NULL, not DEFERRABLE fk_staff_store", plan.StdoutText, StringComparison.Ordinal);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await StoreAsync(target, "src10"));
        Assert.Equal(others, (await StoreAsync(target, "tgt00")).Concat(await StoreAsync(target, "tgt10")));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM store"));
        // No key points nowhere: every store's manager, every staff member's store.
        Assert.Equal("0", await target.ScalarAsync(
            "SELECT (SELECT COUNT(*) FROM staff m LEFT JOIN store s ON s.store_id = m.store_id WHERE s.store_id IS NULL) " +
            "+ (SELECT COUNT(*) FROM store s LEFT JOIN staff m ON m.staff_id = s.manager_staff_id WHERE m.staff_id IS NULL)"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM country"));

        // The application's next INSERTs, with the keys checked: a staff member of the new store, then a store they manage.
        await target.ExecuteAsync(
            "INSERT INTO staff (first_name, last_name, address_id, store_id, username) SELECT 'NEXT', 'STAFF', s.address_id, s.store_id, 'next' FROM store s " +
            "JOIN staff m ON m.staff_id = s.manager_staff_id WHERE m.username = 'src10'");
        await target.ExecuteAsync("INSERT INTO store (manager_staff_id, address_id) SELECT staff_id, address_id FROM staff WHERE username = 'next'");
        Assert.Equal(await target.ScalarAsync("SELECT MAX(store_id) FROM store"), await target.ScalarAsync(
            "SELECT s.store_id FROM store s JOIN staff m ON m.staff_id = s.manager_staff_id WHERE m.username = 'next'"));
        await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO staff (first_name, last_name, address_id, store_id, username) VALUES ('NO', 'STORE', 50, 99, 'none')"));
    }

    /// <summary>
    /// Issue 16 on MariaDB's own sample schema: the store moved once is imported again with <c>--update --sync</c> after
    /// the source edited a customer, deleted a rental with its payment and rented a film (a new child of old parents):
    /// exactly those rows are written, the store reads as the source's, a second run writes nothing, and the
    /// application's next rental and payment take AUTO_INCREMENT ids past the imported ones.
    /// </summary>
    [Fact]
    public async Task A_store_imported_again_with_update_and_sync_follows_the_source_and_stays_usable()
    {
        var (source, target, profile, password) = await StoresAsync();
        await using var _ = source;
        await using var __ = target;
        var others = (await StoreAsync(target, "tgt00")).Concat(await StoreAsync(target, "tgt10")).ToList();
        async Task<string> ExportAsync(string name)
        {
            var archive = Path.Combine(_dir, name);
            (await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "2", "-o", archive, "--password-file", password])).AssertSucceeds();
            return archive;
        }
        string[] Import(string archive, params string[] more) =>
            ["import", archive, "--to", target.ConnectionString, "--profile", profile, "--password-file", password, .. more];
        (await CliRun.RunAsync(Import(await ExportAsync("first.tar.gpg")))).AssertSucceeds();

        // At the source: a customer of the store edited, its last rental and payment deleted, a new rental and payment.
        const string Customer = "(SELECT MIN(customer_id) FROM customer WHERE store_id = 2)";
        var last = await source.ScalarAsync("SELECT MAX(r.rental_id) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id WHERE i.store_id = 2");
        await source.ExecuteAsync($"UPDATE customer SET email = 'changed@example.org', last_name = 'CHANGED' WHERE customer_id = {Customer}");
        await source.ExecuteAsync($"DELETE FROM payment WHERE rental_id = {last}");
        await source.ExecuteAsync($"DELETE FROM rental WHERE rental_id = {last}");
        await source.ExecuteAsync(
            "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) SELECT '2022-06-01 12:00:00', MIN(i.inventory_id), " +
            $"{Customer}, (SELECT MIN(staff_id) FROM staff WHERE store_id = 2) FROM inventory i WHERE i.store_id = 2");
        await source.ExecuteAsync(
            "INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) SELECT customer_id, staff_id, rental_id, 3.99, '2022-06-01 12:00:00' " +
            "FROM rental WHERE rental_id = (SELECT MAX(rental_id) FROM rental)");
        var archive = await ExportAsync("second.tar.gpg");
        var report = Path.Combine(_dir, "update.json");

        (await CliRun.RunAsync(Import(archive, "--update", "--sync", "--report", report))).AssertSucceeds();

        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var tables = json.RootElement.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
            int Count(string table, string what) => tables[table].TryGetProperty(what, out var n) ? n.GetInt32() : 0;
            Assert.Equal((0, 1, 0), (Count("customer", "inserted"), Count("customer", "updated"), Count("customer", "deleted")));
            Assert.Equal((1, 0, 1), (Count("rental", "inserted"), Count("rental", "updated"), Count("rental", "deleted")));
            Assert.Equal((1, 0, 1), (Count("payment", "inserted"), Count("payment", "updated"), Count("payment", "deleted")));
            Assert.All(tables.Keys.Except(["customer", "rental", "payment"]), t => Assert.Equal(0, Count(t, "inserted") + Count(t, "updated") + Count(t, "deleted")));
        }
        // The store reads as the source's, by natural keys; the target's own stores are untouched.
        Assert.Equal(await StoreAsync(source, "src10"), await StoreAsync(target, "src10"));
        Assert.Equal(others, (await StoreAsync(target, "tgt00")).Concat(await StoreAsync(target, "tgt10")));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM customer WHERE email = 'changed@example.org' AND last_name = 'CHANGED'"));
        var after = await target.DumpAsync();
        var again = await CliRun.RunAsync(Import(archive, "--update", "--sync"));
        again.AssertSucceeds();
        Assert.Contains("Nothing changed since the last import: nothing was written", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(after, await target.DumpAsync());

        // The application's next rental and payment (each statement on a session of its own: no LAST_INSERT_ID()).
        await target.ExecuteAsync(
            "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) SELECT NOW(), MIN(i.inventory_id), MIN(c.customer_id), MIN(st.staff_id) " +
            "FROM customer c JOIN staff st ON st.store_id = c.store_id JOIN inventory i ON i.store_id = c.store_id WHERE c.email = 'changed@example.org'");
        await target.ExecuteAsync(
            "INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) SELECT customer_id, staff_id, rental_id, 77.77, NOW() FROM rental WHERE rental_id = (SELECT MAX(rental_id) FROM rental)");
        Assert.Equal(await target.ScalarAsync("SELECT MAX(rental_id) FROM rental"), await target.ScalarAsync("SELECT rental_id FROM payment WHERE amount = 77.77"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM payment WHERE amount = 77.77"));
    }
}
