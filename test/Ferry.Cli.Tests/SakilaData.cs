using System.Globalization;
using System.Text;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Sakila for the command-line tests: its tables as published for MariaDB (<c>Schemas/sakila-schema.sql</c>) and
/// translated by hand to PostgreSQL and SQLite (<c>sakila-postgres.sql</c>, <c>sakila-sqlite.sql</c>), and data
/// generated here for any of the three (explicit ids; PostgreSQL's identities moved past them and its foreign keys
/// added after the data, as pg_dump orders them).
/// </summary>
internal static class SakilaData
{
    /// <summary>An actor with the films they play in; films matched by title (case-insensitively), languages by name.</summary>
    public const string ActorProfile = """
        root: actor
        identities:
          - {table: film, key: title, case_insensitive: true}
          - {table: language, key: name}
        """;

    /// <summary>A store with its staff, customers, inventory, rentals and payments; the catalogue and places matched.</summary>
    public const string StoreProfile = """
        root: store
        identities:
          - {table: film, key: title, case_insensitive: true}
          - {table: language, key: name}
          - {table: country, key: country}
          - {table: city, key: [city, country_id]}
        """;

    private const string PostgresKeys = "\n-- Foreign keys\n";

    private static readonly string[] Tables =
        ["actor", "address", "category", "city", "country", "customer", "film", "inventory", "language", "payment", "rental", "staff", "store"];

    private static string File(string name) => System.IO.File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", name));

    /// <summary>The tables (and film_text's trigger) of <paramref name="engine"/>, without PostgreSQL's foreign keys (see <see cref="Data"/>).</summary>
    public static string Schema(string engine) => engine switch
    {
        // The published file creates tables before the ones their keys point at, with foreign key checks off.
        TestEngines.MariaDb => "SET FOREIGN_KEY_CHECKS = 0;\n" + File("sakila-schema.sql"),
        TestEngines.Postgres => File("sakila-postgres.sql")[..File("sakila-postgres.sql").IndexOf(PostgresKeys, StringComparison.Ordinal)],
        _ => File("sakila-sqlite.sql"),
    };

    /// <summary>Rows (<paramref name="rows"/>) loaded as <paramref name="engine"/> takes a dump: keys unchecked or added after them, counters past the ids.</summary>
    public static string Data(string engine, string rows) => engine switch
    {
        TestEngines.MariaDb => "SET FOREIGN_KEY_CHECKS = 0;\n" + rows + "SET FOREIGN_KEY_CHECKS = 1;\n",
        TestEngines.Postgres => rows
            + string.Concat(Tables.Select(t => $"SELECT setval(pg_get_serial_sequence('{t}', '{t}_id'), COALESCE((SELECT MAX({t}_id) FROM {t}), 0) + 1, false);\n"))
            + File("sakila-postgres.sql")[File("sakila-postgres.sql").IndexOf(PostgresKeys, StringComparison.Ordinal)..],
        _ => "BEGIN;\nPRAGMA defer_foreign_keys = ON;\n" + rows + "COMMIT;\n",
    };

    /// <summary>A temporary Sakila database of <paramref name="engine"/> holding <paramref name="rows"/> (<see cref="Catalogue"/>, <see cref="Stores"/>).</summary>
    public static Task<TestDb> CreateAsync(string engine, string rows) => TestDb.CreateAsync(engine, _ => Schema(engine), _ => Data(engine, rows));

    private static string Bytes(string engine, string hex) => engine == TestEngines.Postgres ? $"'\\x{hex}'::bytea" : $"X'{hex}'";

    private static string True(string engine) => engine == TestEngines.Postgres ? "true" : "1";

    /// <summary>Languages, films (every column type of film: YEAR, ENUM, SET, DECIMAL, TEXT), actors and their roles; ids from <paramref name="first"/>.</summary>
    public static string Catalogue(int first, int films, string titleCase, IEnumerable<string> languages)
    {
        var sql = new StringBuilder();
        var names = languages.ToList();
        for (var i = 0; i < names.Count; i++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO language (language_id, name) VALUES ({first + i}, '{names[i]}');\n");
        }
        string[] ratings = ["G", "PG", "PG-13", "R", "NC-17"];
        for (var f = 0; f < films; f++)
        {
            var title = titleCase == "lower" ? $"film number {f}" : $"FILM NUMBER {f}";
            var features = f % 3 == 0 ? "'Trailers,Deleted Scenes'" : "NULL";
            sql.Append(CultureInfo.InvariantCulture,
                $"INSERT INTO film (film_id, title, description, release_year, language_id, original_language_id, rental_duration, rental_rate, length, replacement_cost, rating, special_features) " +
                $"VALUES ({first + f}, '{title}', 'A film about {f}''s day', {2000 + f}, {first}, {(f % 2 == 0 ? (first + 1).ToString(CultureInfo.InvariantCulture) : "NULL")}, 3, {f % 5}.99, {80 + f}, 19.99, '{ratings[f % 5]}', {features});\n");
        }
        for (var a = 0; a < 3; a++)
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO actor (actor_id, first_name, last_name) VALUES ({first + a}, 'ACTOR{a}', 'O''NEIL{first}');\n");
            for (var f = a; f < films; f += 2)
            {
                sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO film_actor (actor_id, film_id) VALUES ({first + a}, {first + f});\n");
            }
        }
        return sql.ToString();
    }

    /// <summary>
    /// Countries, cities, addresses, stores with their staff (the first of each store its manager), customers, inventory of
    /// the catalogue's films, rentals and payments: <paramref name="stores"/> stores, ids from <paramref name="first"/>.
    /// </summary>
    public static string Stores(string engine, int first, int stores, string prefix)
    {
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO country (country_id, country) VALUES ({first}, 'Freedonia'), ({first + 1}, 'Sylvania');\n");
        sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO city (city_id, city, country_id) VALUES ({first}, 'Capital', {first}), ({first + 1}, 'Port', {first + 1});\n");
        var address = first;
        int Address(string street)
        {
            sql.Append(CultureInfo.InvariantCulture,
                $"INSERT INTO address (address_id, address, district, city_id, postal_code, phone) VALUES ({address}, '{street}', 'District', {first + address % 2}, '{address:D5}', '555-{address}');\n");
            return address++;
        }
        var staff = first;
        var customer = first;
        var inventory = first;
        var rental = first;
        for (var s = 0; s < stores; s++)
        {
            var store = first + s;
            var manager = staff;
            // (Each address is written before the statement that names it is appended.)
            var storeAddress = Address($"{s} {prefix} Store Street");
            sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO store (store_id, manager_staff_id, address_id) VALUES ({store}, {manager}, {storeAddress});\n");
            for (var m = 0; m < 2; m++, staff++)
            {
                var staffAddress = Address($"{s}{m} {prefix} Staff Road");
                sql.Append(CultureInfo.InvariantCulture,
                    $"INSERT INTO staff (staff_id, first_name, last_name, address_id, picture, email, store_id, active, username, password) VALUES " +
                    $"({staff}, '{prefix}{s}{m}', 'Staff', {staffAddress}, {(m == 0 ? Bytes(engine, "89504E47") : "NULL")}, '{prefix}{s}{m}@example.org', {store}, {True(engine)}, '{prefix}{s}{m}', 'hash');\n");
            }
            for (var c = 0; c < 2; c++, customer++)
            {
                var customerAddress = Address($"{s}{c} {prefix} Customer Lane");
                sql.Append(CultureInfo.InvariantCulture,
                    $"INSERT INTO customer (customer_id, store_id, first_name, last_name, email, address_id, active, create_date) VALUES " +
                    $"({customer}, {store}, 'CUST{c}', '{prefix}{s}', 'c{c}.{prefix}{s}@example.org', {customerAddress}, {True(engine)}, '2020-0{c + 1}-1{s} 10:00:00');\n");
                for (var r = 0; r < 2; r++, inventory++, rental++)
                {
                    sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO inventory (inventory_id, film_id, store_id) VALUES ({inventory}, {first + (inventory % 3)}, {store});\n");
                    sql.Append(CultureInfo.InvariantCulture,
                        $"INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id) VALUES " +
                        $"({rental}, '2021-03-{10 + r} 1{c}:00:00', {inventory}, {customer}, {(r == 0 ? "'2021-03-20 12:00:00'" : "NULL")}, {manager + r});\n");
                    sql.Append(CultureInfo.InvariantCulture,
                        $"INSERT INTO payment (customer_id, staff_id, rental_id, amount, payment_date) VALUES ({customer}, {manager + r}, {rental}, {r + 1}.99, '2021-03-{10 + r} 1{c}:05:00');\n");
                }
            }
        }
        return sql.ToString();
    }
}
