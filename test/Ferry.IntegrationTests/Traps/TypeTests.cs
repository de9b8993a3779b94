using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.Traps;

/// <summary>
/// Values of the types real schemas use come out of the target exactly as they went into the source:
/// enums, domains over domains, arrays with NULL against empty ones, a tsvector a trigger fills,
/// stored generated columns (computed by the target, never inserted), bytes with zeros, intervals,
/// numeric without a scale, and json whose key order and spacing are its own.
/// </summary>
public sealed class TypeTests
{
    private const string PostgresSchema = """
        CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
        CREATE DOMAIN year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155);
        CREATE DOMAIN recent_year AS year CHECK (VALUE >= 2000);
        CREATE TABLE shelf (shelf_id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE film (
            film_id serial PRIMARY KEY,
            shelf_id integer NOT NULL REFERENCES shelf,
            title text NOT NULL,
            description text,
            rating mpaa_rating DEFAULT 'G',
            release_year recent_year,
            special_features text[],
            fulltext tsvector NOT NULL,
            length smallint,
            length_hours numeric(4,2) GENERATED ALWAYS AS (round(length / 60.0, 2)) STORED,
            picture bytea,
            rental interval,
            price numeric,
            doc json,
            docb jsonb,
            ratings mpaa_rating[]);
        CREATE TRIGGER film_fulltext_trigger BEFORE INSERT OR UPDATE ON film FOR EACH ROW
            EXECUTE FUNCTION tsvector_update_trigger('fulltext', 'pg_catalog.english', 'title', 'description');
        """;

    private const string PostgresRows = """
        INSERT INTO shelf (name) VALUES ('one'), ('two');
        INSERT INTO film (shelf_id, title, description, rating, release_year, special_features, length, picture, rental, price, doc, docb, ratings) VALUES
          (2, 'Academy Dinosaur', 'A Epic Drama of a Feminist', 'PG-13', 2006, '{"Deleted Scenes","Behind the Scenes"}', 86,
           '\x00ff00'::bytea, '1 year 2 mons 3 days 04:05:06.789', 123456789012345678901234567890.123456789,
           '{"b": 1,  "a": [2, 1], "c" : null}', '{"b": 1, "a": [2, 1]}', '{G,NC-17}'),
          (2, 'Empty Features', NULL, 'NC-17', NULL, '{}', NULL, '\x'::bytea, '-00:00:01', 0.000000000000000000001, '[]', 'null', '{}'),
          (2, 'No Features', 'quoted ''text'', "and" \ backslash', NULL, 2155, NULL, 1, NULL, NULL, 1e-3, NULL, NULL, NULL),
          (2, 'Null Element', 'x', 'R', 2000, '{NULL,"",a}', 200, '\x0000'::bytea, '00:00:00', -5, '{"k":"v"}', '{"z": {"y": [1.50, "é"]}}', '{R,NULL}'),
          (1, 'Other Shelf', 'y', 'G', 2001, NULL, 1, NULL, NULL, 1, NULL, NULL, NULL);
        """;

    private const string Projection =
        "SELECT title, description, rating::text, release_year::text, special_features::text, fulltext::text, length::text, length_hours::text, " +
        "encode(picture, 'hex'), rental::text, price::text, doc::text, docb::text, ratings::text, " +
        "(special_features IS NULL)::text, cardinality(special_features)::text FROM film f JOIN shelf s ON s.shelf_id = f.shelf_id WHERE s.name = 'two' ORDER BY title";

    [Fact]
    public async Task Postgres_types_come_out_of_the_target_as_they_went_into_the_source()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PostgresSchema, _ => PostgresRows);
        await using var target = await TestDb.CreateAsync("postgres", _ => PostgresSchema, _ => "INSERT INTO shelf (name) VALUES ('target'); " +
            "INSERT INTO film (shelf_id, title) VALUES (1, 'Target Film');");

        var imported = await ImportAsync(target, (await ExportAsync(source, "shelf", "2")).Archive);

        Assert.Equal("imported", imported.Outcome);
        var expected = await source.QueryAsync(Projection);
        var actual = await target.QueryAsync(Projection);
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected.Select(r => string.Join(" | ", r)), actual.Select(r => string.Join(" | ", r)));
        // The json column keeps its own key order and spacing.
        Assert.Equal("{\"b\": 1,  \"a\": [2, 1], \"c\" : null}", await target.ScalarAsync("SELECT doc::text FROM film WHERE title = 'Academy Dinosaur'"));
        // The next film the application inserts gets its tsvector from the trigger and its generated column computed.
        await target.ExecuteAsync("INSERT INTO film (shelf_id, title, length) VALUES (2, 'Next Film', 90)");
        Assert.Equal("'film':2 'next':1 | 1.50", await target.ScalarAsync("SELECT fulltext::text || ' | ' || length_hours FROM film WHERE title = 'Next Film'"));
    }

    // Text from SQLite that PostgreSQL's enum, domain or array cannot read failed in the middle of the inserts, after the
    // sequences had moved: it is now refused before anything is written, naming table, column and type.
    [Theory]
    [InlineData("'PG-14', 2006, '{a}'", "table film, column rating (mpaa_rating): the database cannot convert it: 22P02: invalid input value for enum mpaa_rating: \"PG-14\"")]
    [InlineData("'PG', 1999, '{a}'", "table film, column release_year (recent_year): the database cannot convert it: 23514: value for domain recent_year violates check constraint \"recent_year_check\"")]
    [InlineData("'PG', 2006, 'a,b'", "table film, column special_features (text[]): the database cannot convert it: 22P02: malformed array literal: \"a,b\"")]
    public async Task Text_postgres_cannot_read_as_an_enum_a_domain_or_an_array_is_refused_before_anything_is_written(string values, string refusal)
    {
        await using var source = await TestDb.CreateAsync("sqlite", _ =>
            "CREATE TABLE shelf (shelf_id INTEGER PRIMARY KEY, name TEXT NOT NULL); " +
            "CREATE TABLE film (film_id INTEGER PRIMARY KEY, shelf_id INTEGER NOT NULL REFERENCES shelf (shelf_id), title TEXT NOT NULL, " +
            "rating TEXT, release_year INTEGER, special_features TEXT, fulltext TEXT NOT NULL);",
            _ => $"INSERT INTO shelf VALUES (1, 'one'); INSERT INTO film VALUES (1, 1, 'Fine', 'G', 2001, NULL, 'fine'), (2, 1, 'Wrong', {values}, 'wrong');");
        await using var target = await TestDb.CreateAsync("postgres", _ => PostgresSchema, _ => "INSERT INTO shelf (name) VALUES ('target'); " +
            "INSERT INTO film (shelf_id, title) VALUES (1, 'Target Film');");
        var before = await target.DumpAsync();

        var failure = await Assert.ThrowsAsync<FerryException>(async () => await ImportAsync(target, (await ExportAsync(source, "shelf", "1")).Archive));

        Assert.Equal($"a value does not fit the target: {refusal}; nothing was written", failure.Message);
        Assert.Equal(before, await target.DumpAsync());
    }

    private const string SqliteSchema = """
        CREATE TABLE shelf (shelf_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE film (
            film_id INTEGER PRIMARY KEY,
            shelf_id INTEGER NOT NULL REFERENCES shelf (shelf_id),
            title TEXT NOT NULL,
            description TEXT,
            length INTEGER,
            length_hours REAL GENERATED ALWAYS AS (round(length / 60.0, 2)) STORED,
            length_minutes INTEGER GENERATED ALWAYS AS (length) VIRTUAL,
            picture BLOB,
            price NUMERIC,
            doc JSON);
        """;

    private const string SqliteRows = """
        INSERT INTO shelf (shelf_id, name) VALUES (1, 'one'), (2, 'two');
        INSERT INTO film (shelf_id, title, description, length, picture, price, doc) VALUES
          (2, 'Academy Dinosaur', '', 86, x'00ff00', 12.5, '{"b": 1,  "a": [2, 1], "c" : null}'),
          (2, 'No Description', NULL, NULL, x'', 1e-3, NULL),
          (2, 'Zeros', 'x', 200, x'0000', -5, '[]'),
          (1, 'Other Shelf', 'y', 1, NULL, 1, NULL);
        """;

    [Fact]
    public async Task Sqlite_generated_columns_blobs_with_zeros_json_and_empty_text_survive()
    {
        await using var source = await TestDb.CreateAsync("sqlite", _ => SqliteSchema, _ => SqliteRows);
        await using var target = await TestDb.CreateAsync("sqlite", _ => SqliteSchema, _ => "INSERT INTO shelf (shelf_id, name) VALUES (1, 'target');");
        const string projection = "SELECT title, quote(description), length, length_hours, length_minutes, hex(picture), typeof(picture), price, doc " +
                                  "FROM film f JOIN shelf s ON s.shelf_id = f.shelf_id WHERE s.name = 'two' ORDER BY title";

        var imported = await ImportAsync(target, (await ExportAsync(source, "shelf", "2")).Archive);

        Assert.Equal("imported", imported.Outcome);
        Assert.Equal((await source.QueryAsync(projection)).Select(r => string.Join(" | ", r)), (await target.QueryAsync(projection)).Select(r => string.Join(" | ", r)));
    }
}
