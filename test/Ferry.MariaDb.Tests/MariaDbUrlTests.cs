using Ferry.MariaDb;

namespace Ferry.MariaDb.Tests;

public sealed class MariaDbUrlTests
{
    [Theory]
    [InlineData("mysql://app@db.example.org/shop", "app", null, "db.example.org", 3306, "shop")]
    [InlineData("mariadb://app:s3cret@127.0.0.1:3307/shop", "app", "s3cret", "127.0.0.1", 3307, "shop")]
    [InlineData("MySQL://app:p%40ss%2Fw@[::1]:3306/my%20db", "app", "p@ss/w", "::1", 3306, "my db")]
    [InlineData("mysql://app:p@ss@host/db", "app", "p@ss", "host", 3306, "db")]
    [InlineData("mysql://app:@host/db", "app", null, "host", 3306, "db")]
    public void Parses_user_password_host_port_and_database(string url, string user, string? password, string host, int port, string database)
    {
        var parsed = MariaDbUrl.Parse(url);

        Assert.Equal((user, password, host, port, database, ZeroDates.Refuse), (parsed.User, parsed.Password, parsed.Host, parsed.Port, parsed.Database, parsed.ZeroDates));
    }

    [Theory]
    [InlineData("mysql://host/db", "names no user")]
    [InlineData("mysql://app@host", "names no database")]
    [InlineData("mysql://app@host/", "names no database")]
    [InlineData("mysql://app@/db", "names no host")]
    [InlineData("mysql://app@host:port/db", "'port' is not a port number")]
    [InlineData("mysql://app@host:70000/db", "'70000' is not a port number")]
    [InlineData("mysql://app@host/db/x", "cannot contain '/'")]
    [InlineData("mysql://app@host/db?sslmode=require", "unknown parameter 'sslmode'")]
    [InlineData("mysql://app@host/db?zero-dates=epoch", "zero-dates is 'epoch'")]
    public void A_malformed_url_is_a_usage_error_naming_the_form(string url, string reason)
    {
        var e = Assert.Throws<FerryException>(() => MariaDbUrl.Parse(url));

        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.Contains("mysql://USER[:PASSWORD]@HOST[:PORT]/DB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_dates_become_null_only_when_the_url_says_so()
    {
        Assert.Equal(ZeroDates.Null, MariaDbUrl.Parse("mysql://app@host/db?zero-dates=null").ZeroDates);
        Assert.Equal(ZeroDates.Refuse, MariaDbUrl.Parse("mysql://app@host/db?zero-dates=refuse").ZeroDates);
    }

    [Fact]
    public void The_password_comes_from_the_url_then_the_caller_then_MYSQL_PWD()
    {
        var env = new Dictionary<string, string> { ["MYSQL_PWD"] = "from-env" };
        string? Variables(string name) => env.GetValueOrDefault(name);

        Assert.Equal(("in-url", "the connection string"), Secret(MariaDbConnectionString.Resolve(MariaDbUrl.Parse("mysql://a:in-url@h/d"), null, Variables)));
        Assert.Equal(("given", "the caller"), Secret(MariaDbConnectionString.Resolve(MariaDbUrl.Parse("mysql://a@h/d"), "given", Variables)));
        Assert.Equal(("from-env", "MYSQL_PWD"), Secret(MariaDbConnectionString.Resolve(MariaDbUrl.Parse("mysql://a@h/d"), null, Variables)));
        Assert.Equal((null, null), Secret(MariaDbConnectionString.Resolve(MariaDbUrl.Parse("mysql://a@h/d"), null, _ => null)));
        var both = Assert.Throws<FerryException>(() => MariaDbConnectionString.Resolve(MariaDbUrl.Parse("mysql://a:x@h/d"), "given", Variables));
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
    }

    [Fact]
    public void The_description_never_holds_the_password()
    {
        var cs = MariaDbConnectionString.Resolve(MariaDbUrl.Parse("mariadb://app:hunter2@[::1]:3307/shop?zero-dates=null"), null, _ => null);

        Assert.Equal("mysql://app@[::1]:3307/shop?zero-dates=null", cs.Description);
        Assert.Contains("hunter2", cs.ToMySqlConnector(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_factory_accepts_both_schemes_and_takes_passwords()
    {
        var factory = new MariaDbEngineFactory(_ => null);

        Assert.True(factory.Accepts("mysql://a@h/d"));
        Assert.True(factory.Accepts("mariadb://a@h/d"));
        Assert.False(factory.Accepts("postgres://a@h/d"));
        Assert.True(factory.TakesPassword);
        Assert.Equal("mariadb", factory.Create("mysql://a@h/d", "pw").Name);
    }

    private static (string?, string?) Secret(MariaDbConnectionString cs) => (cs.Password, cs.PasswordSource);
}
