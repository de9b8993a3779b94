using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>From MariaDB's Sakila into Pagila (<c>test/Ferry.IntegrationTests/Schemas/pagila-schema.sql</c>), whose types differ.</summary>
public sealed partial class SakilaCrossEngineCliTests
{
    // Pagila's catalogue as its own app writes it: ratings of its enum, features as text[], fulltext filled by its trigger.
    private static string PagilaCatalogue() =>
        SakilaData.Catalogue(50, 4, "lower", ["Japanese", "English", "Italian"]).Replace("'Trailers,Deleted Scenes'", "'{Trailers,\"Deleted Scenes\"}'", StringComparison.Ordinal)
        + string.Concat(new[] { "actor", "film", "language" }.Select(t => $"SELECT setval('{t}_{t}_id_seq', (SELECT MAX({t}_id) FROM {t}));\n"));

    private static string PagilaSchema => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "pagila-schema.sql"));

    /// <summary>
    /// Into Pagila, PostgreSQL's port of Sakila, whose film differs: a NOT NULL tsvector filled by a trigger (absent from the
    /// archive), special_features a text[] (a SET's text is not an array literal), length a smallint (SMALLINT UNSIGNED's
    /// 65535 does not fit), rating an enum, release_year a domain. Each mismatch is one error line with the target unchanged,
    /// and the profile's transforms (a fill, an sql) make the move work.
    /// </summary>
    [Fact]
    public async Task An_actor_moves_from_mariadb_sakila_into_pagila_once_the_profile_says_how_its_film_differs()
    {
        var source = Keep(await SakilaData.CreateAsync(TestEngines.MariaDb, SakilaData.Catalogue(1, 8, "upper", ["English", "Italian"])));
        var target = Keep(await TestDb.CreateAsync(TestEngines.Postgres, _ => PagilaSchema, _ => PagilaCatalogue()));
        var profile = await ProfileAsync(SakilaData.ActorProfile);
        var (archive, password) = await ExportAsync(source, profile, "1");
        var targetBefore = await target.DumpAsync();

        var missing = await ImportAsync(archive, password, target, profile);
        missing.AssertFails(ExitCodes.Failure, "target column(s) NOT NULL without a default and absent from the archive: film.fulltext");
        Assert.Equal(targetBefore, await target.DumpAsync());

        const string Fill = "\ntransforms:\n  - {fill: film.fulltext, sql: \"to_tsvector('english', title || ' ' || COALESCE(description, ''))\"}\n";
        var filled = await ImportAsync(archive, password, target, await ProfileAsync(SakilaData.ActorProfile + Fill));
        // Refused before any id is drawn: Pagila's sequences have not moved either.
        filled.AssertFails(ExitCodes.Failure, "a value does not fit the target: table film, column special_features (text[]): the database cannot convert it: " +
                                              "22P02: malformed array literal: \"Trailers,Deleted Scenes\"; nothing was written");
        Assert.Equal(targetBefore, await target.DumpAsync());

        var arrays = await ProfileAsync(SakilaData.ActorProfile + Fill + "  - {sql: \"UPDATE {film} SET special_features = '{' || special_features || '}'\"}\n");
        // SMALLINT UNSIGNED's largest value is beyond Pagila's smallint: refused before anything is written. (With the sql
        // transform on film, Ferry leaves film's values to the target's checks, docs/profiles.md: PostgreSQL then refuses
        // the row during the inserts, and the rollback leaves the sequences moved.)
        await source.ExecuteAsync("UPDATE film SET length = 65535 WHERE film_id = 7");
        var (longer, _) = await ExportAsync(source, profile, "1");
        var tooLong = await ImportAsync(longer, password, target, await ProfileAsync(SakilaData.ActorProfile + Fill));
        tooLong.AssertFails(ExitCodes.Failure, "a value does not fit the target: table film, column length, row 4 of the archive: '65535' is out of the range of smallint; nothing was written");
        Assert.Equal(targetBefore, await target.DumpAsync());

        var import = await ImportAsync(archive, password, target, arrays);
        import.AssertSucceeds();

        Assert.Equal(["film number 0", "film number 2", "FILM NUMBER 4", "FILM NUMBER 6"], (await target.QueryAsync(
            "SELECT f.title FROM actor a JOIN film_actor fa ON fa.actor_id = a.actor_id JOIN film f ON f.film_id = fa.film_id " +
            "WHERE a.last_name = 'O''NEIL1' ORDER BY lower(f.title)")).Select(r => r[0]));
        Assert.Equal("FILM NUMBER 6|2006|English|Italian|1.99|86|19.99|PG|{Trailers,\"Deleted Scenes\"}|'6':3,7 'day':9 'film':1,5 'number':2", string.Join("|", (await target.QueryAsync(
            "SELECT f.title, f.release_year::text, l.name, o.name, f.rental_rate::text, f.length::text, f.replacement_cost::text, f.rating::text, " +
            "f.special_features::text, f.fulltext::text FROM film f JOIN language l ON l.language_id = f.language_id " +
            "LEFT JOIN language o ON o.language_id = f.original_language_id WHERE f.title = 'FILM NUMBER 6'")).Single()));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT lower(title) FROM film GROUP BY lower(title) HAVING COUNT(*) > 1) d"));
        await target.ExecuteAsync("INSERT INTO actor (first_name, last_name) VALUES ('NEXT', 'ACTOR')");
        await target.ExecuteAsync("INSERT INTO film (title, language_id) VALUES ('NEXT FILM', 50)");
        Assert.Equal(await target.ScalarAsync("SELECT MAX(film_id)::text FROM film"), await target.ScalarAsync("SELECT film_id::text FROM film WHERE title = 'NEXT FILM'"));
        Assert.Equal(await target.ScalarAsync("SELECT MAX(actor_id)::text FROM actor"), await target.ScalarAsync("SELECT actor_id::text FROM actor WHERE first_name = 'NEXT'"));

    }

    /// <summary>
    /// A Sakila store does not fit Pagila: its payments are keyed by (payment_date, payment_id) there, partitioned by
    /// month, and have no last_update. One line says so, before anything is written.
    /// </summary>
    [Fact]
    public async Task A_store_from_mariadb_sakila_does_not_fit_pagilas_payments_and_is_refused_in_one_line()
    {
        var source = Keep(await SakilaData.CreateAsync(TestEngines.MariaDb,
            SakilaData.Catalogue(1, 8, "upper", ["English", "Italian"]) + SakilaData.Stores(TestEngines.MariaDb, 1, 2, "src")));
        var target = Keep(await TestDb.CreateAsync(TestEngines.Postgres, _ => PagilaSchema, _ => PagilaCatalogue()));
        var profile = await ProfileAsync(SakilaData.StoreProfile);
        var (archive, password) = await ExportAsync(source, profile, "2");
        var before = await target.DumpAsync();

        var import = await ImportAsync(archive, password, target, profile);

        import.AssertFails(ExitCodes.Failure, "error: the archive does not fit the target: ");
        Assert.Contains("column(s) missing in the target: payment.last_update", import.Stderr, StringComparison.Ordinal);
        Assert.Contains("table payment: primary key (payment_id) differs in the target (payment_date, payment_id)", import.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }
}
