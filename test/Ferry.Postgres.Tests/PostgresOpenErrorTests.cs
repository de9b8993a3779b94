using Ferry.Engines;
using Ferry.Testing;
using Npgsql;
using static Ferry.Postgres.Tests.PostgresTestSupport;

namespace Ferry.Postgres.Tests;

public class PostgresOpenErrorTests
{
    [Fact]
    public async Task Unreachable_server()
    {
        var engine = new PostgresEngineFactory().Create("postgres://u:secret@127.0.0.1:1/db");

        var e = await Assert.ThrowsAsync<FerryException>(() => engine.OpenAsync(Access.ReadOnly, CancellationToken.None));

        Assert.StartsWith("cannot connect to PostgreSQL at 127.0.0.1:1: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public async Task Missing_database()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var url = db.Url.Replace(db.Name, db.Name + "_missing", StringComparison.Ordinal);

        var e = await Assert.ThrowsAsync<FerryException>(() => new PostgresEngineFactory().Create(url).OpenAsync(Access.ReadOnly, CancellationToken.None));

        Assert.Matches($"^database '{db.Name}_missing' does not exist on PostgreSQL at [^ ]+:\\d+$", e.Message);
    }

    [Fact]
    public async Task Missing_schema()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();

        var e = await Assert.ThrowsAsync<FerryException>(() => Engine(db, "nope").OpenAsync(Access.ReadOnly, CancellationToken.None));

        Assert.Equal($"schema 'nope' does not exist in database '{db.Name}'", e.Message);
    }

    [Fact]
    public async Task Unknown_user()
    {
        // The test server trusts every local login, so an unknown role is the refusal it can produce.
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var server = new Uri(db.Url);
        var url = $"postgres://no_such_role:pw@{server.Host}:{server.Port}/{db.Name}";

        var e = await Assert.ThrowsAsync<FerryException>(() => new PostgresEngineFactory().Create(url).OpenAsync(Access.ReadOnly, CancellationToken.None));

        Assert.Matches("^PostgreSQL at [^ ]+ refused the login of user 'no_such_role': role \"no_such_role\" does not exist$", e.Message);
    }

    [Fact]
    public void Wrong_password_is_one_line_without_the_password()
    {
        var cs = PostgresConnectionString.Parse("postgres://app:hunter2@db:5432/shop");
        var refused = new PostgresException("password authentication failed for user \"app\"", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword);

        Assert.Equal("PostgreSQL at db:5432 refused the password of user 'app'", PostgresEngine.TranslateOpenError(cs, refused).Message);
    }
}
