using System.Globalization;
using System.Text;
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
/// A store cannot be moved: store.manager_staff_id and staff.store_id are both NOT NULL, and InnoDB has no DEFERRABLE
/// constraint, so no order writes that cycle (plan says so; docs/engines.md).
/// </remarks>
public sealed class SakilaCliTests : IAsyncLifetime
{
    private const string Profile = """
        root: actor
        identities:
          - {table: film, key: title, case_insensitive: true}
          - {table: language, key: name}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("ferry-sakila-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    // The published file creates tables before the ones their keys point at, with foreign key checks off.
    private static string Schema => "SET FOREIGN_KEY_CHECKS = 0;\n" + File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "sakila-schema.sql"));

    /// <summary>Languages, films (every column type of film: YEAR, ENUM, SET, DECIMAL, TEXT), actors and their roles; ids from <paramref name="first"/>.</summary>
    private static string Catalogue(int first, int films, string titleCase, IEnumerable<string> languages)
    {
        var sql = new StringBuilder("SET FOREIGN_KEY_CHECKS = 0;\n");
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
        return sql.Append("SET FOREIGN_KEY_CHECKS = 1;\n").ToString();
    }

    [Fact]
    public async Task An_actor_moves_between_two_sakila_databases_and_the_target_stays_usable()
    {
        await using var source = await TestDb.CreateAsync("mariadb", _ => Schema, _ => Catalogue(1, 8, "upper", ["English", "Italian"]));
        // The target's catalogue: other ids, some of the same films in lower case, the same languages and one more.
        await using var target = await TestDb.CreateAsync("mariadb", _ => Schema, _ => Catalogue(50, 4, "lower", ["Japanese", "English", "Italian"]));
        var profile = Path.Combine(_dir, "sakila.yaml");
        await File.WriteAllTextAsync(profile, Profile);
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
}
