using System.Text;
using Npgsql;

namespace Ferry.Testing;

/// <summary>
/// A PostgreSQL database of its own for one test, on <see cref="TestEnvironment.PostgresUrl"/>;
/// dropped (WITH (FORCE)) on dispose. <c>await using var db = await TestPostgres.CreateDatabaseAsync();</c>
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _server;

    private TestPostgres(NpgsqlConnectionStringBuilder server, string name)
    {
        _server = server;
        Name = name;
    }

    /// <summary>The database name, <c>ferry_test_…</c>.</summary>
    public string Name { get; }

    /// <summary>A <c>postgres://</c> URL of this database for Ferry (schema public).</summary>
    public string Url => UrlFor(null);

    /// <summary>The URL with <c>?schema=</c> when <paramref name="schema"/> is given.</summary>
    public string UrlFor(string? schema) =>
        $"postgres://{Uri.EscapeDataString(_server.Username ?? "")}:{Uri.EscapeDataString(_server.Password ?? "")}@{_server.Host}:{_server.Port}/{Name}"
        + (schema is null ? "" : "?schema=" + Uri.EscapeDataString(schema));

    /// <summary>
    /// SQL that creates <paramref name="role"/>, a login that is not a superuser and owns nothing of the app: it may read
    /// and write every table and sequence of schema public and create tables there (the ledger's, on first use).
    /// </summary>
    public static string WriterRole(string role) => $"""
        CREATE ROLE {role} LOGIN;
        GRANT USAGE, CREATE ON SCHEMA public TO {role};
        GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role};
        GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role};
        """;

    /// <summary>An Npgsql connection string of this database (no pooling).</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = Name }.ConnectionString;

    /// <summary>Creates an empty database; fails (never skips) when the server is unreachable.</summary>
    public static async Task<TestPostgres> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var server = ParseUrl(TestEnvironment.PostgresUrl);
        var name = "ferry_test_" + Guid.NewGuid().ToString("N")[..16];
        try
        {
            await using var connection = new NpgsqlConnection(server.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL at {server.Host}:{server.Port} is unreachable ({e.Message}): run .ci/postgres.sh, or set FERRY_TEST_POSTGRES", e);
        }
        return new TestPostgres(server, name);
    }

    /// <summary>Runs SQL (several statements allowed) in a UTC session.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Opens a session on this database (UTC, ISO dates), for tests that need their own.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 3; SET IntervalStyle = 'iso_8601'", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// A deterministic text dump of <paramref name="schema"/>: each table (by name) with its columns and
    /// types, then every row as text in sorted order, then each sequence's position.
    /// </summary>
    public async Task<string> DumpAsync(string schema = "public", CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var dump = new StringBuilder();
        var tables = await QueryAsync(connection, """
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname::text COLLATE "C"
            """, schema, cancellationToken);
        foreach (var table in tables)
        {
            var columns = await QueryAsync(connection, """
                SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                FROM pg_attribute a WHERE a.attrelid = format('%I.%I', @schema, @table)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """, schema, cancellationToken, table);
            dump.Append("table ").AppendLine(table);
            columns.ForEach(c => dump.Append("  ").AppendLine(c));
            var quoted = $"\"{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}\".\"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            // An alias no application column is named, so that the whole row is meant.
            var rows = await QueryAsync(connection, $"SELECT ferry_dump_row::text FROM {quoted} ferry_dump_row ORDER BY ferry_dump_row::text COLLATE \"C\"", schema, cancellationToken);
            rows.ForEach(r => dump.Append("  | ").AppendLine(r));
        }
        var sequences = await QueryAsync(connection, """
            SELECT sequencename::text || ' ' || COALESCE(last_value::text, 'unused') FROM pg_sequences
            WHERE schemaname = @schema ORDER BY sequencename::text COLLATE "C"
            """, schema, cancellationToken);
        sequences.ForEach(s => dump.Append("sequence ").AppendLine(s));
        return dump.ToString();
    }

    /// <summary>Drops the database, closing any session still on it.</summary>
    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_server.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> QueryAsync(
        NpgsqlConnection connection, string sql, string schema, CancellationToken cancellationToken, string? table = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", schema);
        if (table is not null)
        {
            command.Parameters.AddWithValue("table", table);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var results = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(reader.IsDBNull(0) ? "NULL" : reader.GetString(0));
        }
        return results;
    }

    private static NpgsqlConnectionStringBuilder ParseUrl(string url)
    {
        var uri = new Uri(url);
        var userInfo = uri.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.Port > 0 ? uri.Port : 5432,
            Username = Uri.UnescapeDataString(userInfo[0]),
            Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            Database = uri.AbsolutePath.TrimStart('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
            Pooling = false,
            CommandTimeout = 0,
            Timeout = 5,
        };
    }
}
