using Ferry.Planning;
using Ferry.Planning.Rendering;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// Pagila, a real public PostgreSQL schema nobody here wrote (<c>Schemas/pagila-schema.sql</c>): one store
/// moves into a live copy that holds two stores of its own and an overlapping catalogue, and the target
/// is then usable by the application: a normal INSERT into every table works, every reference holds,
/// and the store reads the same as in the source.
/// </summary>
public sealed class PagilaTests
{
    /// <summary>What the schema does not say: the store's manager is a staff member, and the catalogue's natural keys.</summary>
    public const string Profile = """
        root: store
        relations:
          - {from: store.manager_staff_id, to: staff}
        identities:
          - {table: film, key: title, case_insensitive: true}
          - {table: language, key: name}
          - {table: country, key: country}
          - {table: city, key: [city, country_id]}
        """;

    public static string Schema => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "pagila-schema.sql"));

    internal static readonly string Store2 = $"(SELECT s.store_id FROM store s JOIN staff m ON m.staff_id = s.manager_staff_id WHERE m.username = '{PagilaData.SourceManager(2)}')";

    // What the store is, read by natural keys only: equal in the source and the target after the move.
    private static readonly string[] Projections =
    [
        "SELECT a.address || '|' || COALESCE(a.postal_code, '-') || '|' || ci.city || '|' || co.country || '|' || m.username FROM store s " +
        "JOIN address a ON a.address_id = s.address_id JOIN city ci ON ci.city_id = a.city_id JOIN country co ON co.country_id = ci.country_id " +
        "JOIN staff m ON m.staff_id = s.manager_staff_id AND m.store_id = s.store_id WHERE s.store_id = {0}",
        "SELECT st.username || '|' || st.first_name || '|' || st.last_name || '|' || st.email || '|' || st.active || '|' || COALESCE(encode(st.picture, 'hex'), '-') " +
        "|| '|' || a.address || '|' || ci.city || '|' || co.country FROM staff st JOIN address a ON a.address_id = st.address_id " +
        "JOIN city ci ON ci.city_id = a.city_id JOIN country co ON co.country_id = ci.country_id WHERE st.store_id = {0}",
        "SELECT c.email || '|' || c.first_name || '|' || c.last_name || '|' || c.activebool || '|' || c.create_date || '|' || c.active || '|' || c.uuid " +
        "|| '|' || a.address || '|' || COALESCE(a.address2, '-') || '|' || a.district || '|' || a.phone || '|' || ci.city || '|' || co.country " +
        "FROM customer c JOIN address a ON a.address_id = c.address_id JOIN city ci ON ci.city_id = a.city_id " +
        "JOIN country co ON co.country_id = ci.country_id WHERE c.store_id = {0}",
        "SELECT lower(f.title) || '|' || l.name || '|' || COUNT(*) FROM inventory i JOIN film f ON f.film_id = i.film_id " +
        "JOIN language l ON l.language_id = f.language_id WHERE i.store_id = {0} GROUP BY lower(f.title), l.name",
        "SELECT c.email || '|' || lower(f.title) || '|' || r.rental_date || '|' || COALESCE(r.return_date::text, '-') || '|' || st.username || '|' || r.uuid " +
        "FROM rental r JOIN customer c ON c.customer_id = r.customer_id JOIN inventory i ON i.inventory_id = r.inventory_id " +
        "JOIN film f ON f.film_id = i.film_id JOIN staff st ON st.staff_id = r.staff_id WHERE i.store_id = {0}",
        "SELECT c.email || '|' || r.uuid || '|' || p.amount || '|' || p.payment_date || '|' || st.username || '|' || p.uuid || '|' || p.tableoid::regclass " +
        "FROM payment p JOIN customer c ON c.customer_id = p.customer_id JOIN rental r ON r.rental_id = p.rental_id " +
        "JOIN staff st ON st.staff_id = p.staff_id WHERE c.store_id = {0}",
    ];

    [Fact]
    public async Task Plan_shows_the_partitions_that_disagree_the_cycle_and_the_undeclared_manager()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => Schema, _ => PagilaData.Source());

        var withoutProfile = await PlanAsync(source, "store", "2");
        var report = await PlanAsync(source, "store", "2", profile: Trip.Profile(Profile));

        // Without the profile, plan names the undeclared manager and where it most likely points.
        var manager = Assert.Single(withoutProfile.Undeclared);
        Assert.Equal(("store", "manager_staff_id", "staff", "staff_id", 1L, 1L),
            (manager.Table, manager.Column, manager.LikelyTable, manager.LikelyColumn, manager.Values, manager.Existing));
        // With it, nothing is left undeclared, and the cycle store ⇄ staff is closed by the relation.
        Assert.Empty(report.Undeclared);
        Assert.Equal("store.manager_staff_id → staff", Assert.Single(report.CycleBreaks).ToString());
        var roles = report.Tables.ToDictionary(t => t.Name, t => t.Role);
        Assert.All(["staff", "customer", "inventory", "rental", "payment"], t => Assert.Equal(PlanRole.Owned, roles[t]));
        Assert.All(["address", "city", "country", "film", "language"], t => Assert.Equal(PlanRole.Referenced, roles[t]));
        Assert.All(["actor", "category", "film_actor", "film_category"], t => Assert.Equal(PlanRole.NotReached, roles[t]));
        Assert.DoesNotContain(report.Tables, t => t.Name.StartsWith("payment_p", StringComparison.Ordinal));
        var text = PlanTextRenderer.Render(report);
        Assert.Contains("  payment.customer_id → customer: declared on 6 of 12 partitions of payment " +
                        "(payment_p2022_01, payment_p2022_02, payment_p2022_03, payment_p2022_04, payment_p2022_05, payment_p2022_06)", text);
        Assert.Contains("  payment.rental_id → rental: declared on 6 of 12 partitions of payment " +
                        "(payment_p2022_01, payment_p2022_02, payment_p2022_03, payment_p2022_04, payment_p2022_05, payment_p2022_06)", text);
    }

    [Fact]
    public async Task One_store_moves_into_a_live_copy_that_stays_usable()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => Schema, _ => PagilaData.Source());
        await using var target = await TestDb.CreateAsync("postgres", _ => Schema, _ => PagilaData.Target());
        var sourceBefore = await source.DumpAsync();
        var otherStores = await ProjectAsync(target, "1", "2");
        var profile = Trip.Profile(Profile);

        var exported = await ExportAsync(source, "store", "2", profile: profile);
        var imported = await ImportAsync(target, exported.Archive, profile);

        Assert.Equal(sourceBefore, await source.DumpAsync());
        Assert.Equal("imported", imported.Outcome);
        Assert.Empty(exported.Warnings);
        // The catalogue overlaps: films found by title whatever their case, languages and countries by name.
        Assert.True(imported.Tables.Single(t => t.Name == "film").Matched > 0);
        Assert.Equal(6, imported.Tables.Single(t => t.Name == "language").Matched);
        Assert.Equal(["English", "French", "German", "Italian", "Japanese", "Mandarin"], await Column(target, "SELECT name FROM language ORDER BY name"));
        Assert.Empty(await target.QueryAsync("SELECT lower(title) FROM film GROUP BY lower(title) HAVING COUNT(*) > 1"));
        Assert.Empty(await target.QueryAsync("SELECT country FROM country GROUP BY country HAVING COUNT(*) > 1"));

        // The store reads the same, by natural keys; the target's own stores are untouched.
        Assert.Equal(await ProjectAsync(source, "2"), await ProjectAsync(target, Store2));
        Assert.Equal(otherStores, await ProjectAsync(target, "1", "2"));

        // Every reference holds, those no constraint checks too (payment's later partitions, the manager).
        Assert.Equal("0", await target.ScalarAsync("""
            SELECT COUNT(*) FROM payment p WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.customer_id = p.customer_id)
              OR NOT EXISTS (SELECT 1 FROM rental r WHERE r.rental_id = p.rental_id AND r.customer_id = p.customer_id)
              OR NOT EXISTS (SELECT 1 FROM staff s WHERE s.staff_id = p.staff_id)
            """));
        Assert.Equal("0", await target.ScalarAsync(
            "SELECT COUNT(*) FROM store s WHERE NOT EXISTS (SELECT 1 FROM staff m WHERE m.staff_id = s.manager_staff_id AND m.store_id = s.store_id)"));
        Assert.Empty(await target.QueryAsync("SELECT payment_id FROM payment GROUP BY payment_id HAVING COUNT(*) > 1"));

        // The application's next row in every table, ids from the sequences.
        await target.ExecuteAsync($"""
            INSERT INTO language (name) VALUES ('Klingon');
            INSERT INTO country (country) VALUES ('Atlantis');
            INSERT INTO city (city, country_id) VALUES ('Poseidonia', currval('country_country_id_seq'));
            INSERT INTO address (address, district, city_id, phone) VALUES ('1 Sea Road', 'Deep', currval('city_city_id_seq'), '555');
            INSERT INTO category (name) VALUES ('Westerns');
            INSERT INTO actor (first_name, last_name) VALUES ('NEW', 'ACTOR');
            INSERT INTO film (title, language_id, fulltext) VALUES ('NEW FILM', currval('language_language_id_seq'), '');
            INSERT INTO film_actor (actor_id, film_id) VALUES (currval('actor_actor_id_seq'), currval('film_film_id_seq'));
            INSERT INTO film_category (film_id, category_id) VALUES (currval('film_film_id_seq'), currval('category_category_id_seq'));
            INSERT INTO staff (first_name, last_name, address_id, store_id, username) VALUES ('New', 'Clerk', currval('address_address_id_seq'), {Store2}, 'new.clerk');
            INSERT INTO store (manager_staff_id, address_id) VALUES (currval('staff_staff_id_seq'), currval('address_address_id_seq'));
            INSERT INTO customer (store_id, first_name, last_name, address_id) VALUES ({Store2}, 'NEW', 'CUSTOMER', currval('address_address_id_seq'));
            INSERT INTO inventory (film_id, store_id) VALUES (currval('film_film_id_seq'), {Store2});
            INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) VALUES (now(), currval('inventory_inventory_id_seq'), currval('customer_customer_id_seq'), currval('staff_staff_id_seq'));
            INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) VALUES (currval('customer_customer_id_seq'), currval('staff_staff_id_seq'), currval('rental_rental_id_seq'), 1.99, '2022-06-15');
            """);
        Assert.Empty(await target.QueryAsync("SELECT payment_id FROM payment GROUP BY payment_id HAVING COUNT(*) > 1"));
        Assert.Equal("NEW FILM", await target.ScalarAsync("SELECT title FROM film WHERE fulltext @@ to_tsquery('new & film')"));
    }

    internal static async Task<List<string>> ProjectAsync(TestDb db, params string[] stores)
    {
        var lines = new List<string>();
        foreach (var store in stores)
        {
            foreach (var projection in Projections)
            {
                lines.AddRange((await Column(db, string.Format(System.Globalization.CultureInfo.InvariantCulture, projection, store))).Order(StringComparer.Ordinal));
            }
        }
        return lines;
    }
}
