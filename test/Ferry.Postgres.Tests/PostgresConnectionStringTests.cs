using Npgsql;

namespace Ferry.Postgres.Tests;

public class PostgresConnectionStringTests
{
    [Fact]
    public void Parses_a_full_url()
    {
        var cs = PostgresConnectionString.Parse("postgres://app:secret@db.example:6543/shop?schema=tenant_data&sslmode=require");

        Assert.Equal(new PostgresConnectionString("app", "secret", "db.example", 6543, "shop", "tenant_data", SslMode.Require, "the connection string"), cs);
    }

    [Fact]
    public void Defaults_port_schema_and_leaves_password_to_PGPASSWORD()
    {
        var cs = PostgresConnectionString.Parse("postgresql://app@localhost/shop");

        Assert.Equal(new PostgresConnectionString("app", null, "localhost", 5432, "shop", "public", null), cs);
        Assert.DoesNotContain("Password", cs.ToNpgsql(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Percent_decodes_user_password_database_and_schema()
    {
        var cs = PostgresConnectionString.Parse("postgres://us%40er:p%3Aw%2Fd%40%25@[::1]:5433/my%20db?schema=My%20Schema");

        Assert.Equal("us@er", cs.User);
        Assert.Equal("p:w/d@%", cs.Password);
        Assert.Equal("::1", cs.Host);
        Assert.Equal(5433, cs.Port);
        Assert.Equal("my db", cs.Database);
        Assert.Equal("My Schema", cs.Schema);
    }

    [Fact]
    public void An_unencoded_at_sign_in_the_password_still_parses()
    {
        Assert.Equal("p@ss", PostgresConnectionString.Parse("postgres://u:p@ss@h/db").Password);
    }

    [Fact]
    public void Description_drops_the_password()
    {
        var cs = PostgresConnectionString.Parse("postgres://app:secret@db:6543/shop");

        Assert.Equal("postgres://app@db:6543/shop?schema=public", cs.Description);
        Assert.Equal("postgres://app@[::1]:5432/shop?schema=s&sslmode=verify-full",
            PostgresConnectionString.Parse("postgres://app:secret@[::1]/shop?schema=s&sslmode=verify-full").Description);
    }

    [Fact]
    public void Instance_names_the_database_whoever_connects_and_however()
    {
        Assert.Equal("postgres://db:6543/shop?schema=public", PostgresConnectionString.Parse("postgres://app:secret@db:6543/shop").Instance);
        Assert.Equal("postgres://db:6543/shop?schema=public", PostgresConnectionString.Parse("postgres://other@db:6543/shop?sslmode=require").Instance);
        Assert.Equal("postgres://[::1]:5432/shop?schema=s", PostgresConnectionString.Parse("postgres://app@[::1]/shop?schema=s").Instance);
        Assert.NotEqual(PostgresConnectionString.Parse("postgres://app@db/shop").Instance, PostgresConnectionString.Parse("postgres://app@db/shop?schema=s").Instance);
    }

    [Fact]
    public void Builds_an_unpooled_npgsql_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Parse("postgres://a;b:p;w@h:1/d=b?sslmode=disable").ToNpgsql());

        Assert.Equal(("a;b", "p;w", "h", 1, "d=b", SslMode.Disable, false, 0),
            (builder.Username, builder.Password, builder.Host, builder.Port, builder.Database, builder.SslMode, builder.Pooling, builder.CommandTimeout));
    }

    [Theory]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("postgres://u:p@h:port/db")]
    [InlineData("postgres://u:p@h:70000/db")]
    [InlineData("postgres://u:p@h:-1/db")]
    [InlineData("postgres://u:p@[::1/db")]
    [InlineData("postgres://u:p@h/db/extra")]
    [InlineData("postgres://u:p@h/db?schema=")]
    [InlineData("postgres://u:p@h/db?search_path=x")]
    [InlineData("postgres://u:p@h/db?host=")]
    [InlineData("postgres://u:p@h/db?port=0")]
    [InlineData("postgres://u:p@h/db?sslmode=sometimes")]
    public void Rejects_malformed_urls_with_the_expected_form(string url)
    {
        var e = Assert.Throws<FerryException>(() => PostgresConnectionString.Parse(url));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("postgres://[USER@]HOST[:PORT]/DB", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(":p@", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_accepts_only_postgres_schemes()
    {
        var factory = new PostgresEngineFactory();

        Assert.True(factory.Accepts("postgres://u@h/d"));
        Assert.True(factory.Accepts("POSTGRESQL://u@h/d"));
        Assert.False(factory.Accepts("sqlite:app.db"));
        Assert.Equal("postgres", factory.Create("postgres://u@h/d").Name);
        Assert.Equal(ExitCodes.Usage, Assert.Throws<FerryException>(() => factory.Create("postgres://u@h:nope/d")).ExitCode);
    }
}
