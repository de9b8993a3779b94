using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace Ferry.Testing;

/// <summary>
/// A MariaDB database of its own for one test, on <see cref="TestEnvironment.MariaDbUrl"/>; dropped on dispose.
/// <c>await using var db = await TestMariaDb.CreateDatabaseAsync();</c>
/// </summary>
public sealed class TestMariaDb : IAsyncDisposable
{
    private readonly MySqlConnectionStringBuilder _server;

    private TestMariaDb(MySqlConnectionStringBuilder server, string name)
    {
        _server = server;
        Name = name;
    }

    /// <summary>The database name, <c>ferry_test_…</c>.</summary>
    public string Name { get; }

    /// <summary>A <c>mysql://</c> URL of this database for Ferry.</summary>
    public string Url => UrlAs(_server.UserID, _server.Password);

    /// <summary>This database's URL for another user.</summary>
    public string UrlAs(string user, string password) =>
        $"mysql://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{_server.Server}:{_server.Port}/{Name}";

    /// <summary>The server's host and port, and a user, for URLs a test builds itself.</summary>
    public (string Host, uint Port, string User, string Password) Server => (_server.Server, _server.Port, _server.UserID, _server.Password);

    /// <summary>A MySqlConnector connection string of this database (no pooling, UTC sessions are set by <see cref="OpenAsync"/>).</summary>
    public string ConnectionString => new MySqlConnectionStringBuilder(_server.ConnectionString) { Database = Name }.ConnectionString;

    /// <summary>Creates an empty utf8mb4 database; fails (never skips) when the server is unreachable.</summary>
    public static Task<TestMariaDb> CreateDatabaseAsync(CancellationToken cancellationToken = default) =>
        CreateDatabaseAsync(TestEnvironment.MariaDbUrl, cancellationToken);

    /// <summary>Creates an empty utf8mb4 database on the server of <paramref name="url"/> (a user who may create databases).</summary>
    public static async Task<TestMariaDb> CreateDatabaseAsync(string url, CancellationToken cancellationToken = default)
    {
        var server = ParseUrl(url);
        var name = "ferry_test_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new MySqlCommand($"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (MySqlException e) when (e.ErrorCode is MySqlErrorCode.UnableToConnectToHost)
        {
            throw new InvalidOperationException(
                $"MariaDB at {server.Server}:{server.Port} is unreachable ({e.Message}): run .ci/mariadb.sh, or set FERRY_TEST_MARIADB", e);
        }
        return new TestMariaDb(server, name);
    }

    /// <summary>Runs SQL (several statements allowed) in a UTC session.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Opens a session on this database with time zone UTC, <c>||</c> as concatenation (PIPES_AS_CONCAT) and double
    /// quotes around identifiers (ANSI_QUOTES), so that a test's schema, data and queries read the same on every engine.
    /// </summary>
    public async Task<MySqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MySqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new MySqlCommand("SET time_zone = '+00:00', sql_mode = CONCAT(@@sql_mode, ',PIPES_AS_CONCAT,ANSI_QUOTES')", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs a query; values as text (NULL as null, bytes as hex).</summary>
    public async Task<List<string?[]>> QueryAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<string?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                // DECIMAL(40, 10) does not fit System.Decimal: read it as MariaDB prints it.
                row[i] = reader.IsDBNull(i) ? null
                    : reader.GetFieldType(i) == typeof(decimal) ? reader.GetMySqlDecimal(i).ToString()
                    : Text(reader.GetValue(i));
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Every table with its columns and every row in sorted order, then each AUTO_INCREMENT position: equal dumps mean an unchanged database.</summary>
    public async Task<string> DumpAsync(CancellationToken cancellationToken = default)
    {
        var dump = new StringBuilder();
        var tables = await QueryAsync(
            $"SELECT TABLE_NAME, COALESCE(AUTO_INCREMENT, 0) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{Name}' ORDER BY TABLE_NAME", cancellationToken);
        foreach (var table in tables)
        {
            var columns = await QueryAsync(
                $"SELECT CONCAT(COLUMN_NAME, ' ', COLUMN_TYPE, IF(IS_NULLABLE = 'NO', ' not null', '')) FROM information_schema.COLUMNS " +
                $"WHERE TABLE_SCHEMA = '{Name}' AND TABLE_NAME = '{table[0]}' ORDER BY ORDINAL_POSITION", cancellationToken);
            dump.Append("table ").Append(table[0]).Append(" auto_increment ").AppendLine(table[1]);
            columns.ForEach(c => dump.Append("  ").AppendLine(c[0]));
            var rows = (await QueryAsync($"SELECT * FROM `{table[0]}`", cancellationToken))
                .Select(r => string.Join(" | ", r.Select(v => v ?? "NULL"))).Order(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                dump.Append("  | ").AppendLine(row);
            }
        }
        return dump.ToString();
    }

    /// <summary>Drops the database.</summary>
    public async ValueTask DisposeAsync()
    {
        await using var connection = new MySqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new MySqlCommand($"DROP DATABASE IF EXISTS `{Name}`", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// SQL written for SQLite made to run on MariaDB, so that a test's fixture reads the same on every engine: a
    /// timestamp literal with an offset (which MariaDB refuses) becomes the same instant in UTC, the time zone of every
    /// session here; <c>CAST(x AS TEXT)</c> (the tests' common spelling) becomes <c>CAST(x AS CHAR)</c>; and in each
    /// <c>CREATE TABLE</c>, SQLite's <c>INTEGER PRIMARY KEY</c> (a rowid the engine fills) becomes
    /// <c>BIGINT AUTO_INCREMENT PRIMARY KEY</c> and every other <c>INTEGER</c> a <c>BIGINT</c>, so that the columns
    /// referencing it have its type (InnoDB refuses a foreign key between types that differ). Applied to the statements
    /// and queries a test runs, never to Ferry's.
    /// </summary>
    public static string Adapt(string sql)
    {
        sql = Regex.Replace(sql, @"'(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?)([+-]\d\d:\d\d)'", "CONVERT_TZ('$1', '$2', '+00:00')");
        sql = Regex.Replace(sql, @"\bAS TEXT\)", "AS CHAR)");
        return Regex.Replace(sql, @"CREATE TABLE [^;]*", table => Regex.Replace(
            Regex.Replace(table.Value, @"\bINTEGER PRIMARY KEY( AUTOINCREMENT)?\b", "BIGINT AUTO_INCREMENT PRIMARY KEY"),
            @"\bINTEGER\b", "BIGINT"));
    }

    private static string Text(object value) => value switch
    {
        byte[] b => "\\x" + Convert.ToHexString(b).ToLowerInvariant(),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static MySqlConnectionStringBuilder ParseUrl(string url)
    {
        var uri = new Uri(url.Replace("mariadb://", "mysql://", StringComparison.Ordinal));
        var userInfo = uri.UserInfo.Split(':', 2);
        return new MySqlConnectionStringBuilder
        {
            Server = uri.Host,
            Port = uri.Port > 0 ? (uint)uri.Port : 3306,
            UserID = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "",
            Pooling = false,
            AllowUserVariables = true,
            CharacterSet = "utf8mb4",
            TreatTinyAsBoolean = false,
            AllowZeroDateTime = true,
            GuidFormat = MySqlGuidFormat.None,
        };
    }
}
