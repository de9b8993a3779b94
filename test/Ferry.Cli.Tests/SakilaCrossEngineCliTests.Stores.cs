using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// A Sakila store from MariaDB into PostgreSQL and SQLite: store.manager_staff_id and staff.store_id are both NOT NULL and
/// not DEFERRABLE, so PostgreSQL takes it only with <c>--exclusive</c>, and SQLite defers its keys (docs/engines.md).
/// </summary>
public sealed partial class SakilaCrossEngineCliTests
{
    // What a store is, by natural keys only, in any of the three engines: equal in the MariaDB source and, after the move, in the target.
    private static async Task<List<string>> StoreAsync(TestDb db, string manager)
    {
        var hex = db.Engine == TestEngines.Postgres ? "UPPER(encode(st.picture, 'hex'))" : "HEX(st.picture)";
        var store = $"(SELECT s.store_id FROM store s JOIN staff m ON m.staff_id = s.manager_staff_id AND m.store_id = s.store_id WHERE m.username = '{manager}')";
        string[] queries =
        [
            $"SELECT a.address, a.postal_code, ci.city, co.country FROM store s JOIN address a ON a.address_id = s.address_id JOIN city ci ON ci.city_id = a.city_id " +
            $"JOIN country co ON co.country_id = ci.country_id WHERE s.store_id = {store}",
            $"SELECT st.username, st.email, CASE WHEN st.picture IS NULL THEN '-' ELSE {hex} END, CASE WHEN st.active THEN 'active' ELSE 'inactive' END, st.password, a.address FROM staff st " +
            $"JOIN address a ON a.address_id = st.address_id WHERE st.store_id = {store}",
            $"SELECT c.email, CAST(c.create_date AS TEXT), CASE WHEN c.active THEN 'active' ELSE 'inactive' END, a.address FROM customer c " +
            $"JOIN address a ON a.address_id = c.address_id WHERE c.store_id = {store}",
            $"SELECT c.email, UPPER(f.title), CAST(r.rental_date AS TEXT), COALESCE(CAST(r.return_date AS TEXT), '-'), st.username, CAST(p.amount AS TEXT), " +
            $"CAST(p.payment_date AS TEXT) FROM rental r JOIN inventory i ON i.inventory_id = r.inventory_id JOIN film f ON f.film_id = i.film_id " +
            $"JOIN customer c ON c.customer_id = r.customer_id JOIN staff st ON st.staff_id = r.staff_id JOIN payment p ON p.rental_id = r.rental_id " +
            $"WHERE i.store_id = {store} AND c.store_id = {store}",
        ];
        var lines = new List<string>();
        foreach (var query in queries)
        {
            lines.AddRange((await db.QueryAsync(query)).Select(r => string.Join("|", r.Select(v => v ?? "NULL"))).Order(StringComparer.Ordinal));
        }
        return lines;
    }

    [Theory]
    [MemberData(nameof(OtherEngines))]
    public async Task A_store_moves_with_its_staff_from_mariadb_sakila_into_another_engine_through_the_not_null_cycle(string engine)
    {
        var source = Keep(await SakilaData.CreateAsync(TestEngines.MariaDb,
            SakilaData.Catalogue(1, 8, "upper", ["English", "Italian"]) + SakilaData.Stores(TestEngines.MariaDb, 1, 2, "src")));
        // The target: two stores of its own with overlapping ids, the same countries and cities, another catalogue.
        var target = Keep(await SakilaData.CreateAsync(engine,
            SakilaData.Catalogue(50, 4, "lower", ["Japanese", "English", "Italian"]) + SakilaData.Stores(engine, 50, 2, "tgt")));
        var profile = await ProfileAsync(SakilaData.StoreProfile);
        var expected = await StoreAsync(source, "src10");
        var others = (await StoreAsync(target, "tgt00")).Concat(await StoreAsync(target, "tgt10")).ToList();
        var (archive, password) = await ExportAsync(source, profile, "2");
        var targetBefore = await target.DumpAsync();

        if (engine == TestEngines.Postgres)
        {
            // PostgreSQL checks a key that is not DEFERRABLE as each row is written: refused before anything is written, then with --exclusive.
            var refused = await ImportAsync(archive, password, target, profile);
            refused.AssertFails(ExitCodes.Failure, "is NOT NULL and not DEFERRABLE, and closes a cycle of the tables written (through staff, store)");
            Assert.Equal(targetBefore, await target.DumpAsync());
        }
        string[] exclusive = engine == TestEngines.Postgres ? ["--exclusive"] : [];
        var dry = await ImportAsync(archive, password, target, profile, ["--dry-run", .. exclusive]);
        dry.AssertSucceeds();
        Assert.Equal(targetBefore, await target.DumpAsync());
        var import = await ImportAsync(archive, password, target, profile, exclusive);
        import.AssertSucceeds();

        Assert.Equal(1 + 2 + 2 + 4, expected.Count);
        Assert.Equal(expected, await StoreAsync(target, "src10"));
        Assert.Equal(others, (await StoreAsync(target, "tgt00")).Concat(await StoreAsync(target, "tgt10")));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM store"));
        Assert.Equal("2", await target.ScalarAsync("SELECT COUNT(*) FROM country"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT LOWER(title) FROM film GROUP BY LOWER(title) HAVING COUNT(*) > 1) d"));
        // No key points nowhere (SQLite checks none of them outside a connection that asks it to).
        Assert.Equal("0", await target.ScalarAsync(
            "SELECT (SELECT COUNT(*) FROM staff m LEFT JOIN store s ON s.store_id = m.store_id WHERE s.store_id IS NULL) " +
            "+ (SELECT COUNT(*) FROM store s LEFT JOIN staff m ON m.staff_id = s.manager_staff_id WHERE m.staff_id IS NULL)"));
        if (engine == TestEngines.Sqlite)
        {
            Assert.Empty(await target.QueryAsync("PRAGMA foreign_key_check"));
        }

        // The application's next INSERT into each table written takes an id past the imported ones: a staff member of the
        // new store at a new address, a store they manage, a customer, a copy of a film, its rental and payment.
        string[] next =
        [
            "INSERT INTO address (address, district, city_id, phone) SELECT 'Next Street', 'District', city_id, '555' FROM city WHERE city = 'Capital'",
            "INSERT INTO staff (first_name, last_name, address_id, store_id, username) SELECT 'NEXT', 'STAFF', a.address_id, s.store_id, 'next' " +
            "FROM store s JOIN staff m ON m.staff_id = s.manager_staff_id JOIN address a ON a.address = 'Next Street' WHERE m.username = 'src10'",
            "INSERT INTO store (manager_staff_id, address_id) SELECT staff_id, address_id FROM staff WHERE username = 'next'",
            "INSERT INTO customer (store_id, first_name, last_name, email, address_id, create_date) " +
            "SELECT store_id, 'NEXT', 'CUSTOMER', 'next@example.org', address_id, '2022-01-01 10:00:00' FROM staff WHERE username = 'next'",
            "INSERT INTO inventory (film_id, store_id) SELECT f.film_id, st.store_id FROM film f, staff st WHERE LOWER(f.title) = 'film number 1' AND st.username = 'next'",
            "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) SELECT '2022-01-02 10:00:00', MAX(i.inventory_id), MAX(c.customer_id), MAX(st.staff_id) " +
            "FROM inventory i, customer c, staff st WHERE c.email = 'next@example.org' AND st.username = 'next'",
            "INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) SELECT customer_id, staff_id, rental_id, 2.99, '2022-01-02 10:05:00' " +
            "FROM rental WHERE rental_date = '2022-01-02 10:00:00'",
        ];
        foreach (var insert in next)
        {
            await target.ExecuteAsync(insert);
        }
        (string Table, string Where)[] rows =
        [
            ("address", "address = 'Next Street'"), ("staff", "username = 'next'"), ("customer", "email = 'next@example.org'"),
            ("inventory", "film_id = (SELECT film_id FROM film WHERE LOWER(title) = 'film number 1') AND store_id = (SELECT store_id FROM staff WHERE username = 'next')"),
            ("rental", "rental_date = '2022-01-02 10:00:00'"), ("payment", "payment_date = '2022-01-02 10:05:00'"),
            ("store", "manager_staff_id = (SELECT staff_id FROM staff WHERE username = 'next')"),
        ];
        foreach (var (table, where) in rows)
        {
            Assert.Equal(await target.ScalarAsync($"SELECT MAX({table}_id) FROM {table}"), await target.ScalarAsync($"SELECT MAX({table}_id) FROM {table} WHERE {where}"));
        }
        if (engine == TestEngines.Postgres)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync(
                "INSERT INTO staff (first_name, last_name, address_id, store_id, username) SELECT 'NO', 'STORE', MAX(address_id), 99, 'none' FROM address"));
        }
    }
}
