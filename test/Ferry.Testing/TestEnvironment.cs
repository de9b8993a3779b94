namespace Ferry.Testing;

/// <summary>Where the tests find their databases.</summary>
public static class TestEnvironment
{
    /// <summary>
    /// A PostgreSQL superuser URL: <c>FERRY_TEST_POSTGRES</c>, by default the server that
    /// <c>.ci/postgres.sh</c> starts. Tests never skip when it is unreachable: they fail.
    /// </summary>
    public static string PostgresUrl =>
        Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES") is { Length: > 0 } url
            ? url
            : "postgres://ferry:ferry@127.0.0.1:55432/postgres";

    /// <summary>
    /// A MariaDB URL of a user who may create databases: <c>FERRY_TEST_MARIADB</c>, by default the server that
    /// <c>.ci/mariadb.sh</c> starts. Tests never skip when it is unreachable: they fail.
    /// </summary>
    public static string MariaDbUrl =>
        Environment.GetEnvironmentVariable("FERRY_TEST_MARIADB") is { Length: > 0 } url
            ? url
            : "mysql://ferry:ferry@127.0.0.1:3306/mysql";

    /// <summary>
    /// A second MariaDB server, for tests that move data between two live servers: <c>FERRY_TEST_MARIADB_OTHER</c>;
    /// without it, <see cref="MariaDbUrl"/> (another database of the same server stands for the other instance).
    /// </summary>
    public static string OtherMariaDbUrl =>
        Environment.GetEnvironmentVariable("FERRY_TEST_MARIADB_OTHER") is { Length: > 0 } url ? url : MariaDbUrl;
}
