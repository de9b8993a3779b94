using System.Text.RegularExpressions;
using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Sakila across engines (issue 15): a tenant exported from MariaDB's Sakila (<c>Schemas/sakila-schema.sql</c>, as
/// published) is imported through the command line into the same tables translated by hand to PostgreSQL and to
/// SQLite (<c>sakila-postgres.sql</c>, <c>sakila-sqlite.sql</c>), each holding a catalogue of its own. Every value of
/// MariaDB's types (YEAR, ENUM, SET, DECIMAL(4,2) and (5,2), TIMESTAMP, DATETIME, TEXT, unsigned ids, BOOLEAN, BLOB)
/// arrives as docs/engines.md says, references point at the right rows, and the application's next INSERT into every
/// table written works. A store moves with its staff through the NOT NULL cycle (<c>SakilaCrossEngineCliTests.Stores.cs</c>). Into Pagila, PostgreSQL's own port (<c>SakilaCrossEngineCliTests.Pagila.cs</c>), each type that
/// differs is one error line, until the profile says how.
/// </summary>
public sealed partial class SakilaCrossEngineCliTests() : CliScratch("ferry-sakila-cross-")
{
    /// <summary>The targets other than MariaDB (MariaDB → MariaDB is <see cref="SakilaCliTests"/>).</summary>
    public static TheoryData<string> OtherEngines => TestEngines.Except(TestEngines.MariaDb);

    // Film 7 of the source ("FILM NUMBER 6", one of actor 1's) at the edges of its columns' MariaDB types, and fixed times.
    private const string Edges = """
        UPDATE film SET length = 65535, rental_duration = 255, rental_rate = 99.99, replacement_cost = 999.99, release_year = 2155,
          description = 'Zoë''s ☕ day, "quoted"', special_features = 'Deleted Scenes,Behind the Scenes,Trailers', last_update = '2006-02-15 04:34:33' WHERE film_id = 7;
        UPDATE film SET replacement_cost = 20.00, rental_rate = 0.00 WHERE film_id = 5;
        UPDATE actor SET last_update = '2006-02-15 04:34:33' WHERE actor_id = 1;

        """;

    private async Task<(string Archive, string Password)> ExportAsync(TestDb source, string profile, string ids)
    {
        var archive = Path.Combine(Dir, $"sakila-{Guid.NewGuid():N}.tar.gpg");
        var password = Path.Combine(Dir, "password");
        await File.WriteAllTextAsync(password, "s3cret-pass\n");
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", ids, "-o", archive, "--password-file", password]);
        export.AssertSucceeds();
        return (archive, password);
    }

    private async Task<string> ProfileAsync(string text)
    {
        var profile = Path.Combine(Dir, $"sakila-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(profile, text);
        return profile;
    }

    private static Task<CliRun> ImportAsync(string archive, string password, TestDb target, string profile, params string[] more) =>
        CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--profile", profile, "--password-file", password, .. more]);

    [Theory]
    [MemberData(nameof(OtherEngines))]
    public async Task An_actor_moves_from_mariadb_sakila_into_its_tables_on_another_engine_and_the_target_stays_usable(string engine)
    {
        var source = Keep(await SakilaData.CreateAsync(TestEngines.MariaDb, SakilaData.Catalogue(1, 8, "upper", ["English", "Italian"]) + Edges));
        // The target's catalogue: other ids, some of the same films in lower case, the same languages and one more.
        var target = Keep(await SakilaData.CreateAsync(engine, SakilaData.Catalogue(50, 4, "lower", ["Japanese", "English", "Italian"])));
        var profile = await ProfileAsync(SakilaData.ActorProfile);
        var sourceBefore = await source.DumpAsync();

        var (archive, password) = await ExportAsync(source, profile, "1");
        var targetBefore = await target.DumpAsync();
        var dry = await ImportAsync(archive, password, target, profile, "--dry-run");
        dry.AssertSucceeds();
        Assert.Equal(targetBefore, await target.DumpAsync());
        var import = await ImportAsync(archive, password, target, profile);
        import.AssertSucceeds();

        Assert.Equal(sourceBefore, await source.DumpAsync());
        // Actor 1 of the source plays in films 0, 2, 4, 6: films 0 and 2 are the target's own (matched case-insensitively), 4 and 6 new.
        var roles = await target.QueryAsync(
            "SELECT f.title, CASE WHEN f.film_id < 54 THEN 'theirs' ELSE 'new' END FROM actor a JOIN film_actor fa ON fa.actor_id = a.actor_id " +
            "JOIN film f ON f.film_id = fa.film_id WHERE a.last_name = 'O''NEIL1' ORDER BY LOWER(f.title)");
        Assert.Equal(["film number 0|theirs", "film number 2|theirs", "FILM NUMBER 4|new", "FILM NUMBER 6|new"], roles.Select(r => $"{r[0]}|{r[1]}"));
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM actor WHERE last_name = 'O''NEIL1'"));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM (SELECT LOWER(title) FROM film GROUP BY LOWER(title) HAVING COUNT(*) > 1) d"));
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM language"));

        // Every value of film as MariaDB held it, its languages the target's (by name), and the app's trigger filled film_text.
        string[] columns =
        [
            "f.title", "f.description", "CAST(f.release_year AS TEXT)", "TRIM(l.name)", "TRIM(o.name)", "CAST(f.rental_duration AS TEXT)",
            "CAST(f.rental_rate AS TEXT)", "CAST(f.length AS TEXT)", "CAST(f.replacement_cost AS TEXT)", "CAST(f.rating AS TEXT)",
            "f.special_features", "CAST(f.last_update AS TEXT)", "t.title",
        ];
        async Task<string> Film(string title) => string.Join("|", (await target.QueryAsync(
            $"SELECT {string.Join(", ", columns)} FROM film f JOIN language l ON l.language_id = f.language_id " +
            $"LEFT JOIN language o ON o.language_id = f.original_language_id LEFT JOIN film_text t ON t.film_id = f.film_id WHERE f.title = '{title}'"))
            .Single().Select(v => v ?? "NULL"));
        var (fourDecimals, sixTime) = engine == TestEngines.Postgres ? ("0.00|84|20.00", "2006-02-15 04:34:33+00") : ("0|84|20", "2006-02-15 04:34:33+00:00");
        // (Film 4's last_update is the source's time of insert.)
        Assert.Matches($"^FILM NUMBER 4\\|A film about 4's day\\|2004\\|English\\|Italian\\|3\\|{Regex.Escape(fourDecimals)}\\|NC-17\\|NULL\\|[^|]+\\|FILM NUMBER 4$", await Film("FILM NUMBER 4"));
        Assert.Equal($"FILM NUMBER 6|Zoë's ☕ day, \"quoted\"|2155|English|Italian|255|99.99|65535|999.99|PG|Trailers,Deleted Scenes,Behind the Scenes|{sixTime}|FILM NUMBER 6",
            await Film("FILM NUMBER 6"));
        Assert.Equal(sixTime, await target.ScalarAsync("SELECT CAST(last_update AS TEXT) FROM actor WHERE last_name = 'O''NEIL1'"));

        // The application's next INSERT into each table written takes an id past the imported ones.
        await target.ExecuteAsync("INSERT INTO actor (first_name, last_name) VALUES ('NEXT', 'ACTOR')");
        await target.ExecuteAsync("INSERT INTO film (title, language_id) VALUES ('NEXT FILM', 50)");
        await target.ExecuteAsync("INSERT INTO film_actor (actor_id, film_id) SELECT a.actor_id, f.film_id FROM actor a, film f WHERE a.first_name = 'NEXT' AND f.title = 'NEXT FILM'");
        await target.ExecuteAsync("INSERT INTO language (name) VALUES ('French')");
        Assert.Equal("1", await target.ScalarAsync("SELECT COUNT(*) FROM film_text WHERE title = 'NEXT FILM'"));
        Assert.Equal(await target.ScalarAsync("SELECT MAX(actor_id) FROM actor"), await target.ScalarAsync("SELECT actor_id FROM actor WHERE first_name = 'NEXT'"));
        Assert.Equal(await target.ScalarAsync("SELECT MAX(film_id) FROM film"), await target.ScalarAsync("SELECT film_id FROM film WHERE title = 'NEXT FILM'"));
    }
}
