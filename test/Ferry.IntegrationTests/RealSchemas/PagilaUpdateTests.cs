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
        await source.ExecuteAsync($"""
            INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id)
              SELECT '2022-06-20 10:00:00+00', MIN(i.inventory_id), {Store}, (SELECT MIN(staff_id) FROM staff WHERE store_id = 2) FROM inventory i WHERE i.store_id = 2;
            INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date)
              VALUES ({Store}, (SELECT MIN(staff_id) FROM staff WHERE store_id = 2), currval('rental_rental_id_seq'), 4.99, '2022-06-20 10:05:00+00');
            """);
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
}
