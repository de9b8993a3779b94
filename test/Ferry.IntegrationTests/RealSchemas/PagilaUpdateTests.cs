using Ferry.Import;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// Issue 16 on Pagila, a real public schema (partitioned payments with a composite key, a store ⇄ staff cycle, UUID
/// columns, identities for the catalogue): a store imported once is imported again with <c>--update --sync</c> after
/// the source edited a customer, rented a film (a new child of old parents), and deleted a rental with its payments.
/// The target reads like the source afterwards, a second run writes nothing, and the app's next rows still fit.
/// </summary>
public sealed class PagilaUpdateTests
{
    private const string Store = "(SELECT MIN(customer_id) FROM customer WHERE store_id = 2)";

    private const string LastRental = "(SELECT MAX(r.rental_id) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id WHERE i.store_id = 2)";

    [Fact]
    public async Task A_store_imported_again_follows_the_source_and_stays_usable()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source());
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target());
        var profile = Profile(PagilaTests.Profile);
        var otherStores = await PagilaTests.ProjectAsync(target, "1", "2");
        await ImportAsync(target, (await ExportAsync(source, "store", "2", profile: profile)).Archive, profile);

        await source.ExecuteAsync($"UPDATE customer SET email = 'changed@example.org', last_name = 'CHANGED' WHERE customer_id = {Store}");
        await source.ExecuteAsync($"DELETE FROM payment WHERE rental_id = {LastRental}");
        await source.ExecuteAsync($"DELETE FROM rental WHERE rental_id = {LastRental}");
        await RentAsync(source);
        var archive = (await ExportAsync(source, "store", "2", profile: profile)).Archive;

        var report = await Move.UpdateAsync(target, archive, sync: true, profile: profile, match: "");

        var tables = report.Tables.ToDictionary(t => t.Name);
        Assert.Equal((0L, 1L, 0L), (tables["customer"].Inserted, tables["customer"].Updated, tables["customer"].Deleted));
        Assert.Equal((1L, 0L, 1L), (tables["rental"].Inserted, tables["rental"].Updated, tables["rental"].Deleted));
        Assert.Equal(1L, tables["payment"].Inserted);
        Assert.Equal(0L, report.Conflicting);
        // The store reads as the source's, by natural keys; the target's own stores are untouched.
        Assert.Equal(await PagilaTests.ProjectAsync(source, "2"), await PagilaTests.ProjectAsync(target, PagilaTests.Store2));
        Assert.Equal(otherStores, await PagilaTests.ProjectAsync(target, "1", "2"));
        Assert.True((await Move.UpdateAsync(target, archive, sync: true, profile: profile, match: "")).NothingChanged);

        // The application's next rental and payment.
        await target.ExecuteAsync($"""
            INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id)
              SELECT now(), MIN(i.inventory_id), (SELECT MIN(customer_id) FROM customer WHERE store_id = {PagilaTests.Store2}),
                     (SELECT MIN(staff_id) FROM staff WHERE store_id = {PagilaTests.Store2}) FROM inventory i WHERE i.store_id = {PagilaTests.Store2};
            INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date)
              SELECT r.customer_id, r.staff_id, r.rental_id, 1.99, '2022-06-15' FROM rental r WHERE r.rental_id = currval('rental_rental_id_seq');
            """);
        Assert.Empty(await target.QueryAsync("SELECT payment_id FROM payment GROUP BY payment_id HAVING COUNT(*) > 1"));
        Assert.Empty(await target.QueryAsync("SELECT rental_id FROM rental GROUP BY rental_id HAVING COUNT(*) > 1"));
    }

    /// <summary>
    /// Without <c>--sync</c>, only the rows whose source changed are compared: the edited customer is updated, the new
    /// rental and payment inserted, every other row counted unchanged and left alone, and a second run writes nothing.
    /// </summary>
    [Fact]
    public async Task A_store_updated_without_sync_writes_only_what_changed()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source());
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target());
        var profile = Profile(PagilaTests.Profile);
        var first = await ImportAsync(target, (await ExportAsync(source, "store", "2", profile: profile)).Archive, profile);

        await source.ExecuteAsync($"UPDATE customer SET email = 'changed@example.org', last_name = 'CHANGED' WHERE customer_id = {Store}");
        await RentAsync(source);
        var archive = (await ExportAsync(source, "store", "2", profile: profile)).Archive;

        var report = await Move.UpdateAsync(target, archive, profile: profile, match: "");

        var tables = report.Tables.ToDictionary(t => t.Name);
        Assert.Equal((0L, 1L), (tables["customer"].Inserted, tables["customer"].Updated));
        Assert.Equal((1L, 0L), (tables["rental"].Inserted, tables["rental"].Updated));
        Assert.Equal((1L, 0L), (tables["payment"].Inserted, tables["payment"].Updated));
        Assert.Equal((2L, 1L, 0L), (report.Inserted, report.Updated, report.Conflicting));
        Assert.All(report.Tables, t => Assert.Equal(t.ArchiveRows, t.Inserted + t.Updated + t.Unchanged + t.Matched));
        Assert.Equal(await PagilaTests.ProjectAsync(source, "2"), await PagilaTests.ProjectAsync(target, PagilaTests.Store2));
        Assert.True((await Move.UpdateAsync(target, archive, profile: profile, match: "")).NothingChanged);
        Assert.True(first.Inserted > 100);
    }

    /// <summary>
    /// An actor and their films' pairs (film_actor: a key of two references, no key map of its own) imported again
    /// without <c>--sync</c> after the source cast the actor in one more film and renamed them: the new pair is
    /// inserted, the actor updated, the other pairs unchanged, and a second run writes nothing.
    /// </summary>
    [Fact]
    public async Task An_actor_cast_in_one_more_film_gets_the_new_pair_only()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source());
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target());
        var profile = Profile("root: actor\nidentities:\n  - {table: film, key: title, case_insensitive: true}\n  - {table: language, key: name}\n");
        await Move.UpdateAsync(target, (await ExportAsync(source, "actor", "1", profile: profile)).Archive, profile: profile, match: "");
        var pairs = long.Parse((await target.ScalarAsync("SELECT COUNT(*) FROM film_actor"))!, System.Globalization.CultureInfo.InvariantCulture);

        await source.ExecuteAsync("UPDATE actor SET last_name = 'RENAMED' WHERE actor_id = 1");
        await source.ExecuteAsync("INSERT INTO film_actor (actor_id, film_id) SELECT 1, MIN(film_id) FROM film WHERE film_id NOT IN (SELECT film_id FROM film_actor WHERE actor_id = 1)");
        var archive = (await ExportAsync(source, "actor", "1", profile: profile)).Archive;

        var report = await Move.UpdateAsync(target, archive, profile: profile, match: "");

        var tables = report.Tables.ToDictionary(t => t.Name);
        Assert.Equal((0L, 1L), (tables["actor"].Inserted, tables["actor"].Updated));
        Assert.Equal((1L, 0L, tables["film_actor"].ArchiveRows - 1), (tables["film_actor"].Inserted, tables["film_actor"].Updated, tables["film_actor"].Unchanged));
        Assert.Equal(pairs + 1, long.Parse((await target.ScalarAsync("SELECT COUNT(*) FROM film_actor"))!, System.Globalization.CultureInfo.InvariantCulture));
        // The actor's films, by title (the profile matched them case-insensitively to the target's own films).
        const string films = "SELECT upper(f.title) FROM film_actor fa JOIN film f ON f.film_id = fa.film_id JOIN actor a ON a.actor_id = fa.actor_id WHERE a.last_name = 'RENAMED' ORDER BY 1";
        Assert.Equal(await Column(source, films), await Column(target, films));
        Assert.True((await Move.UpdateAsync(target, archive, profile: profile, match: "")).NothingChanged);
    }

    // The store's customer rents a film at the source: a new child of old parents (rental) and its payment.
    private static Task RentAsync(TestDb source) => source.ExecuteAsync($"""
        INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id)
          SELECT '2022-06-20 10:00:00+00', MIN(i.inventory_id), {Store}, (SELECT MIN(staff_id) FROM staff WHERE store_id = 2) FROM inventory i WHERE i.store_id = 2;
        INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date)
          VALUES ({Store}, (SELECT MIN(staff_id) FROM staff WHERE store_id = 2), currval('rental_rental_id_seq'), 4.99, '2022-06-20 10:05:00+00');
        """);

    private static async Task<string?[]> Column(TestDb db, string sql) => [.. (await db.QueryAsync(sql)).Select(r => r[0])];
}
