using System.Globalization;
using System.Text;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// Data for the Pagila schema (<c>Schemas/pagila-schema.sql</c>), generated here rather than taken from
/// Pagila's data file: a catalogue (languages, countries, cities, categories, actors, films) and stores,
/// each with its address, staff (the first one manages it), customers, inventory, rentals and payments
/// across the twelve 2022 payment partitions. Ids are explicit and sequences are set past them, as a
/// pg_dump data file does. Deterministic for a given seed.
/// </summary>
internal sealed class PagilaData
{
    private static readonly string[] Languages = ["English", "Italian", "Japanese", "Mandarin", "French", "German"];

    private static readonly string[] Countries =
    [
        "Algeria", "Argentina", "Australia", "Austria", "Brazil", "Canada", "Chile", "China", "Egypt", "France",
        "Germany", "India", "Italy", "Japan", "Mexico", "Nigeria", "Peru", "Poland", "Spain", "Turkey",
    ];

    private static readonly string[] Adjectives =
    [
        "ACADEMY", "ACE", "ADAPTATION", "AFFAIR", "AFRICAN", "AGENT", "AIRPLANE", "AIRPORT", "ALABAMA", "ALADDIN",
        "ALAMO", "ALASKA", "ALI", "ALICE", "ALIEN", "ALLEY", "ALONE", "ALTER", "AMADEUS", "AMELIE",
    ];

    private static readonly string[] Nouns = ["DINOSAUR", "GOLDFINGER", "HOLES", "PREJUDICE", "EGG", "TRUMAN"];

    private static readonly string[] FirstNames = ["MARY", "PATRICIA", "LINDA", "BARBARA", "ELIZABETH", "JENNIFER", "MARIA", "SUSAN", "JOHN", "ROBERT"];

    private static readonly string[] LastNames = ["SMITH", "JOHNSON", "WILLIAMS", "JONES", "BROWN", "DAVIS", "MILLER", "WILSON", "O'BRIEN", "MOORE"];

    private static readonly string[] Ratings = ["G", "PG", "PG-13", "R", "NC-17"];

    private readonly Random _random;
    private readonly StringBuilder _sql = new();
    private readonly Dictionary<string, int> _last = new(StringComparer.Ordinal);

    private PagilaData(int seed) => _random = new Random(seed);

    /// <summary>The source: the whole catalogue (films in Pagila's upper case) and three stores.</summary>
    public static string Source() => new PagilaData(1).Build(
        countries: Countries, languages: Languages, films: 120, titles: (t, _) => t, stores: 3, storeName: "src");

    /// <summary>
    /// A live target: languages and countries in another order, part of the catalogue (some titles in
    /// another case, some films of its own), and two stores of its own.
    /// </summary>
    public static string Target() => new PagilaData(2).Build(
        countries: [.. Countries.Skip(5).Reverse(), "Zambia", "Yemen"], languages: [.. Languages.Reverse()], films: 90,
        titles: (t, n) => n % 3 == 0 ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(t.ToLowerInvariant()) : t,
        stores: 2, storeName: "tgt", firstTitle: 60);

    /// <summary>The username of the staff member who manages store <paramref name="store"/> of the source.</summary>
    public static string SourceManager(int store) => $"src{store}.manager";

    private string Build(IReadOnlyList<string> countries, IReadOnlyList<string> languages, int films, Func<string, int, string> titles,
        int stores, string storeName, int firstTitle = 0)
    {
        Insert("language", ["language_id", "name"], languages.Select((l, i) => new object?[] { i + 1, l }));
        Insert("country", ["country_id", "country"], countries.Select((c, i) => new object?[] { i + 1, c }));
        var cities = countries.SelectMany((c, i) => new[] { (Name: $"{c} City", Country: i + 1), (Name: $"Port {c}", Country: i + 1) }).ToList();
        Insert("city", ["city_id", "city", "country_id"], cities.Select((c, i) => new object?[] { i + 1, c.Name, c.Country }));
        Insert("category", ["category_id", "name"], new[] { "Action", "Animation", "Children", "Classics", "Comedy", "Documentary" }
            .Select((c, i) => new object?[] { i + 1, c }));
        Insert("actor", ["actor_id", "first_name", "last_name"], Enumerable.Range(1, 30)
            .Select(i => new object?[] { i, FirstNames[i % FirstNames.Length], LastNames[i * 7 % LastNames.Length] }));

        // A film is the same film in every instance: its attributes follow from its title's number.
        var filmRows = Enumerable.Range(0, films).Select(i =>
        {
            var n = firstTitle + i;
            var title = titles($"{Adjectives[n % Adjectives.Length]} {Nouns[n / Adjectives.Length % Nouns.Length]}", n);
            var film = new Random(n);
            var language = languages.ToList().IndexOf(Languages[n % Languages.Length]) + 1;
            var original = film.Next(4) == 0 ? languages.ToList().IndexOf(Languages[(n + 1) % Languages.Length]) + 1 : (int?)null;
            return new object?[]
            {
                i + 1, title, $"A {film.Next(2) switch { 0 => "Epic", _ => "Thoughtful" }} Drama of a {film.Next(2) switch { 0 => "Dog", _ => "Robot" }}",
                2006, language, original, 3 + film.Next(5), Raw((0.99 + film.Next(5)).ToString("0.00", CultureInfo.InvariantCulture)), 46 + film.Next(140),
                Raw((9.99 + film.Next(21)).ToString("0.00", CultureInfo.InvariantCulture)), Raw($"'{Ratings[film.Next(Ratings.Length)]}'::public.mpaa_rating"),
                Raw(film.Next(4) switch { 0 => "NULL", 1 => "'{}'", 2 => "'{Trailers,\"Deleted Scenes\"}'", _ => "'{\"Behind the Scenes\"}'" }),
            };
        }).ToList();
        Insert("film", ["film_id", "title", "description", "release_year", "language_id", "original_language_id", "rental_duration",
            "rental_rate", "length", "replacement_cost", "rating", "special_features"], filmRows);
        Insert("film_category", ["film_id", "category_id"], filmRows.Select(f => new object?[] { f[0], 1 + Pick(6) }));
        Insert("film_actor", ["actor_id", "film_id"], filmRows.SelectMany(f => new[] { 1 + Pick(15), 16 + Pick(15) }.Select(a => new object?[] { a, f[0] })));

        for (var store = 1; store <= stores; store++)
        {
            AddStore(store, storeName, cities.Count, films);
        }
        foreach (var (sequence, table) in new[]
                 {
                     ("actor_actor_id_seq", "actor"), ("address_address_id_seq", "address"), ("category_category_id_seq", "category"),
                     ("city_city_id_seq", "city"), ("country_country_id_seq", "country"), ("customer_customer_id_seq", "customer"),
                     ("film_film_id_seq", "film"), ("inventory_inventory_id_seq", "inventory"), ("language_language_id_seq", "language"),
                     ("payment_payment_id_seq", "payment"), ("rental_rental_id_seq", "rental"), ("staff_staff_id_seq", "staff"),
                     ("store_store_id_seq", "store"),
                 })
        {
            _sql.Append(CultureInfo.InvariantCulture, $"SELECT pg_catalog.setval('public.{sequence}', {Math.Max(1, _last.GetValueOrDefault(table))}, true);\n");
        }
        return _sql.ToString();
    }

    // A store, its address, two staff (the first manages it), customers, inventory, rentals and payments.
    private void AddStore(int store, string name, int cities, int films)
    {
        var storeAddress = AddAddress(cities);
        var staff = new List<int>();
        // The store first, its manager set once the staff exists (store.manager_staff_id has no foreign key).
        Insert("store", ["store_id", "manager_staff_id", "address_id"], [[store, -store, storeAddress]]);
        foreach (var role in new[] { "manager", "clerk" })
        {
            var id = Next("staff");
            staff.Add(id);
            Insert("staff", ["staff_id", "first_name", "last_name", "address_id", "email", "store_id", "active", "username", "password", "picture"],
                [[id, FirstNames[id % FirstNames.Length], LastNames[id % LastNames.Length], AddAddress(cities), $"{name}{store}.{role}@sakilastaff.com",
                  store, true, $"{name}{store}.{role}", "8cb2237d0679ca88db6464eac60da96345513964",
                  role == "manager" ? Raw("'\\x89504e470d0a1a0a0000000d'::bytea") : null]]);
        }
        _sql.Append(CultureInfo.InvariantCulture, $"UPDATE public.store SET manager_staff_id = {staff[0]} WHERE store_id = {store};\n");

        var customers = Enumerable.Range(0, 25).Select(_ =>
        {
            var id = Next("customer");
            var (first, last) = (FirstNames[Pick(FirstNames.Length)], LastNames[Pick(LastNames.Length)]);
            Insert("customer", ["customer_id", "store_id", "first_name", "last_name", "email", "address_id", "activebool", "create_date", "active"],
                [[id, store, first, last, $"{first}.{last}.{name}{id}@sakilacustomer.org".Replace("'", "", StringComparison.Ordinal), AddAddress(cities),
                  Pick(10) > 0, Raw($"'2022-01-{1 + Pick(28):00}'::date"), Pick(10) > 0 ? 1 : 0]]);
            return id;
        }).ToList();

        var inventory = Enumerable.Range(0, 60).Select(_ =>
        {
            var id = Next("inventory");
            Insert("inventory", ["inventory_id", "film_id", "store_id"], [[id, 1 + Pick(films), store]]);
            return id;
        }).ToList();

        var rentals = new List<object?[]>();
        var payments = new List<object?[]>();
        for (var i = 0; i < 120; i++)
        {
            var id = Next("rental");
            var rented = new DateTime(2022, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(Pick(355 * 24 * 60));
            var customer = customers[Pick(customers.Count)];
            var clerk = staff[Pick(staff.Count)];
            rentals.Add([id, Timestamp(rented), inventory[Pick(inventory.Count)], customer, Pick(8) == 0 ? null : Timestamp(rented.AddDays(1 + Pick(7))), clerk]);
            if (Pick(10) > 0)
            {
                payments.Add([Next("payment"), customer, clerk, id, Money(0.99, 11.99), Timestamp(rented.AddHours(Pick(48)))]);
            }
        }
        Insert("rental", ["rental_id", "rental_date", "inventory_id", "customer_id", "return_date", "staff_id"], rentals);
        Insert("payment", ["payment_id", "customer_id", "staff_id", "rental_id", "amount", "payment_date"], payments);
    }

    private int AddAddress(int cities)
    {
        var id = Next("address");
        Insert("address", ["address_id", "address", "address2", "district", "city_id", "postal_code", "phone"],
            [[id, $"{100 + Pick(1800)} {LastNames[Pick(LastNames.Length)]} Street", Pick(3) == 0 ? "" : null, $"District {Pick(40)}",
              1 + Pick(cities), Pick(5) == 0 ? null : $"{10000 + Pick(89999)}", $"{100000000 + Pick(899999999)}"]]);
        return id;
    }

    private void Insert(string table, string[] columns, IEnumerable<object?[]> generated)
    {
        var rows = generated.ToList();
        var values = rows.Select(r => "(" + string.Join(", ", r.Select(Literal)) + ")").ToList();
        if (values.Count == 0)
        {
            return;
        }
        _sql.Append(CultureInfo.InvariantCulture, $"INSERT INTO public.{table} ({string.Join(", ", columns)}) VALUES\n  {string.Join(",\n  ", values)};\n");
        foreach (var row in rows.Where(r => r[0] is int))
        {
            _last[table] = Math.Max(_last.GetValueOrDefault(table), (int)row[0]!);
        }
    }

    private int Next(string table) => _last[table] = _last.GetValueOrDefault(table) + 1;

    private int Pick(int n) => _random.Next(n);

    private object Money(double min, double max) => Raw(Math.Round(min + _random.NextDouble() * (max - min), 2).ToString("0.00", CultureInfo.InvariantCulture));

    private static object Timestamp(DateTime t) => Raw($"'{t:yyyy-MM-dd HH:mm:ss}+00'");

    private static object Raw(string sql) => new RawSql(sql);

    private static string Literal(object? value) => value switch
    {
        null => "NULL",
        RawSql raw => raw.Sql,
        bool b => b ? "true" : "false",
        int or long => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        _ => throw new ArgumentException($"no literal for {value.GetType().Name}"),
    };

    private sealed record RawSql(string Sql);
}
