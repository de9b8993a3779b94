using Npgsql;

namespace Ferry.Postgres.Tests;

/// <summary>What a URL leaves out comes from a service, the environment, the password file, or defaults, as libpq does.</summary>
public class PostgresResolveTests
{
    private static PostgresEnvironment Environment(Dictionary<string, string>? variables = null, Dictionary<string, string>? files = null, bool isPrivate = true, params string[] sockets) =>
        new(name => variables?.GetValueOrDefault(name), path => files?.GetValueOrDefault(path), _ => isPrivate, path => sockets.Contains(path));

    private static PostgresConnectionString Resolve(string url, PostgresEnvironment environment, string? password = null) =>
        PostgresConnectionString.Resolve(PostgresUrl.Parse(url), password, environment);

    [Fact]
    public void A_socket_url_without_user_or_host_part_parses()
    {
        var url = PostgresUrl.Parse("postgresql:///app?host=/tmp&port=55432");

        Assert.Equal(new PostgresUrl(Host: "/tmp", Port: 55432, Database: "app"), url);
        var cs = Resolve("postgresql:///app?host=/tmp&port=55432", Environment(new() { ["PGUSER"] = "alice" }));
        Assert.True(cs.IsSocket);
        Assert.Equal(("alice", "/tmp", 55432, "app"), (cs.User, cs.Host, cs.Port, cs.Database));
        Assert.Equal("postgres://alice@/app?host=/tmp&port=55432&schema=public", cs.Description);
        Assert.Equal(cs, PostgresConnectionString.Resolve(PostgresUrl.Parse(cs.Description), null, Environment(new() { ["PGUSER"] = "alice" })));
    }

    [Fact]
    public void Without_a_host_the_socket_directory_that_holds_the_servers_socket_is_used()
    {
        var cs = Resolve("postgresql:///app", Environment(new() { ["PGUSER"] = "a" }, sockets: "/tmp/.s.PGSQL.5432"));

        Assert.Equal("/tmp", cs.Host);
        Assert.Equal("/var/run/postgresql", Resolve("postgresql:///app", Environment()).Host);
    }

    [Fact]
    public void Environment_variables_fill_what_the_url_leaves_out_and_the_url_wins()
    {
        var environment = Environment(new() { ["PGHOST"] = "db.internal", ["PGPORT"] = "6000", ["PGUSER"] = "bob", ["PGDATABASE"] = "shop", ["PGSSLMODE"] = "require" });

        var fromEnvironment = Resolve("postgres://", environment);
        var fromUrl = Resolve("postgres://carol@other:7000/crm?sslmode=disable", environment);

        Assert.Equal(("bob", "db.internal", 6000, "shop", SslMode.Require), (fromEnvironment.User, fromEnvironment.Host, fromEnvironment.Port, fromEnvironment.Database, fromEnvironment.SslMode));
        Assert.Equal(("carol", "other", 7000, "crm", SslMode.Disable), (fromUrl.User, fromUrl.Host, fromUrl.Port, fromUrl.Database, fromUrl.SslMode));
    }

    [Fact]
    public void The_database_defaults_to_the_users_name()
    {
        Assert.Equal("dave", Resolve("postgres://dave@h", Environment()).Database);
    }

    [Fact]
    public void The_password_comes_first_from_the_url_then_the_caller_then_PGPASSWORD_then_the_password_file()
    {
        var files = new Dictionary<string, string> { ["/home/x/.pgpass"] = "h:5432:db:u:from-file\n" };
        var variables = new Dictionary<string, string> { ["HOME"] = "/home/x", ["PGPASSWORD"] = "from-variable" };

        Assert.Equal(("from-url", "the connection string"), Source(Resolve("postgres://u:from-url@h/db", Environment(variables, files))));
        Assert.Equal(("given", "the caller"), Source(Resolve("postgres://u@h/db", Environment(variables, files), "given")));
        Assert.Equal(("from-variable", "PGPASSWORD"), Source(Resolve("postgres://u@h/db", Environment(variables, files))));
        Assert.Equal(("from-file", "/home/x/.pgpass"), Source(Resolve("postgres://u@h/db", Environment(new() { ["HOME"] = "/home/x" }, files))));
        Assert.Equal((null, null), Source(Resolve("postgres://u@h/other", Environment(new() { ["HOME"] = "/home/x" }, files))));

        static (string?, string?) Source(PostgresConnectionString cs) => (cs.Password, cs.PasswordSource);
    }

    [Fact]
    public void A_password_in_the_url_and_another_given_apart_contradict()
    {
        var e = Assert.Throws<FerryException>(() => Resolve("postgres://u:first-secret@h/db", Environment(), "second-secret"));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("keep one", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_file_that_others_can_read_is_refused_as_libpq_ignores_it()
    {
        var files = new Dictionary<string, string> { ["/p"] = "*:*:*:*:secret\n" };

        var e = Assert.Throws<FerryException>(() => Resolve("postgres://u@h/db", Environment(new() { ["PGPASSFILE"] = "/p" }, files, isPrivate: false)));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("chmod 600 /p", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h:5432:db:u:pw", "h", 5432, "db", "u", "pw")]
    [InlineData("*:*:*:u:pw", "any", 1, "x", "u", "pw")]
    [InlineData("localhost:5432:db:u:pw", "/var/run/postgresql", 5432, "db", "u", "pw")]
    [InlineData("h:5432:db:u:p\\:w\\\\x:y", "h", 5432, "db", "u", "p:w\\x:y")]
    [InlineData("# comment\nh:1:db:u:first\nh:1:db:u:second", "h", 1, "db", "u", "first")]
    [InlineData("h:5432:db:u:pw", "h", 5433, "db", "u", null)]
    [InlineData("h:5432:db:u", "h", 5432, "db", "u", null)]
    public void Password_file_lines_match_as_in_libpq(string text, string host, int port, string database, string user, string? expected)
    {
        Assert.Equal(expected, PostgresPassFile.Find(text, host, port, database, user));
    }

    [Fact]
    public void A_service_gives_host_port_database_user_and_password()
    {
        var file = """
            # services
            [other]
            host=elsewhere

            [shop]
            host=/var/run/postgresql
            port=6432
            dbname=shop_db
            user=shopper
            password=service-pw
            sslmode=disable
            """;
        var environment = Environment(new() { ["PGSERVICEFILE"] = "/s.conf", ["PGHOST"] = "ignored", ["PGPASSWORD"] = "ignored-too" }, new() { ["/s.conf"] = file });

        var cs = Resolve("postgres://?service=shop&schema=tenant", environment);

        Assert.Equal(new PostgresConnectionString("shopper", "service-pw", "/var/run/postgresql", 6432, "shop_db", "tenant", SslMode.Disable, "the service file"), cs);
        Assert.Equal("elsewhere", Resolve("postgres://u@/db", environment with { Variable = n => n == "PGSERVICE" ? "other" : n == "PGSERVICEFILE" ? "/s.conf" : null }).Host);
    }

    [Fact]
    public void A_service_file_is_looked_for_in_home_then_the_system_directory()
    {
        var files = new Dictionary<string, string> { ["/etc/pg/pg_service.conf"] = "[main]\nhost=sys-host\n" };
        var environment = Environment(new() { ["HOME"] = "/home/x", ["PGSYSCONFDIR"] = "/etc/pg", ["PGSERVICE"] = "main" }, files);

        Assert.Equal("sys-host", Resolve("postgres://u@/db", environment).Host);
    }

    [Theory]
    [InlineData("[s]\nhost=h\n", "nope", "service 'nope' is not defined")]
    [InlineData("[s]\noptions=-c x=1\n", "s", "/s.conf:2: Ferry does not support the keyword 'options'")]
    [InlineData("[s]\nport=eighty\n", "s", "/s.conf:2: 'eighty' is not a port number")]
    [InlineData("[s]\nhost\n", "s", "/s.conf:2: expected keyword=value")]
    public void Service_mistakes_are_usage_errors_with_file_and_line(string text, string service, string message)
    {
        var environment = Environment(new() { ["PGSERVICEFILE"] = "/s.conf", ["PGSERVICE"] = service }, new() { ["/s.conf"] = text });

        var e = Assert.Throws<FerryException>(() => Resolve("postgres://u@h/db", environment));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
