using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ferry.Testing;

/// <summary>A temporary database of either engine with the community fixture's schema, for one test.</summary>
public sealed class TestDb : IAsyncDisposable
{
    private readonly TestSqlite? _sqlite;
    private readonly TestPostgres? _postgres;
    private readonly TestMariaDb? _mariadb;

    private TestDb(TestSqlite? sqlite, TestPostgres? postgres, TestMariaDb? mariadb = null)
    {
        _sqlite = sqlite;
        _postgres = postgres;
        _mariadb = mariadb;
        Engine = postgres is not null ? TestEngines.Postgres : mariadb is not null ? TestEngines.MariaDb : TestEngines.Sqlite;
    }

    /// <summary>
    /// The engine, one of <see cref="TestEngines.All"/>. The schema and data lambdas get <c>true</c> for PostgreSQL's
    /// flavour of SQL; MariaDB runs the SQLite flavour, timestamps with offsets converted (<see cref="TestMariaDb.Adapt"/>).
    /// </summary>
    public string Engine { get; }

    public string ConnectionString => _postgres?.Url ?? _mariadb?.Url ?? _sqlite!.ConnectionString;

    public static async Task<TestDb> CreateAsync(string engine, Func<bool, string> data)
    {
        var db = await EmptyAsync(engine);
        await db.ExecuteAsync(db.Engine switch
        {
            TestEngines.Postgres => CommunityFixture.PostgresSchema,
            TestEngines.MariaDb => CommunityFixture.MariaDbSchema,
            _ => CommunityFixture.SqliteSchema,
        });
        await db.ExecuteAsync(data(db.Engine == TestEngines.Postgres));
        return db;
    }

    private static async Task<TestDb> EmptyAsync(string engine) => engine switch
    {
        TestEngines.Postgres => new TestDb(null, await TestPostgres.CreateDatabaseAsync()),
        TestEngines.MariaDb => new TestDb(null, null, await TestMariaDb.CreateDatabaseAsync()),
        "mariadb-other" => new TestDb(null, null, await TestMariaDb.CreateDatabaseAsync(TestEnvironment.OtherMariaDbUrl)),
        TestEngines.Sqlite => new TestDb(new TestSqlite(), null),
        _ => throw new ArgumentException($"unknown test engine {engine} (one of {string.Join(", ", TestEngines.All)}, or mariadb-other)", nameof(engine)),
    };

    /// <summary>An identifier quoted for this engine (backticks on MariaDB, double quotes elsewhere).</summary>
    public string Quote(string identifier) =>
        Engine == TestEngines.MariaDb ? $"`{identifier.Replace("`", "``")}`" : $"\"{identifier.Replace("\"", "\"\"")}\"";

    /// <summary>A temporary database with a schema of the test's own (per engine) and data.</summary>
    public static async Task<TestDb> CreateAsync(string engine, Func<bool, string> schema, Func<bool, string> data)
    {
        var db = await EmptyAsync(engine);
        await db.ExecuteAsync(schema(db.Engine == TestEngines.Postgres));
        await db.ExecuteAsync(data(db.Engine == TestEngines.Postgres));
        return db;
    }

    /// <summary>A temporary database with a schema and data of the test's own, given per engine (one of <see cref="TestEngines.All"/>).</summary>
    public static async Task<TestDb> CreatePerEngineAsync(string engine, Func<string, string> schema, Func<string, string> data)
    {
        var db = await EmptyAsync(engine);
        await db.ExecuteAsync(schema(db.Engine));
        await db.ExecuteAsync(data(db.Engine));
        return db;
    }

    public async Task ExecuteAsync(string sql)
    {
        if (_postgres is not null)
        {
            await _postgres.ExecuteAsync(sql);
        }
        else if (_mariadb is not null)
        {
            await _mariadb.ExecuteAsync(TestMariaDb.Adapt(sql));
        }
        else
        {
            await using var connection = OpenSqlite();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every table and row, deterministic: equal dumps mean an unchanged database.</summary>
    public Task<string> DumpAsync() => _postgres is not null ? _postgres.DumpAsync() : _mariadb is not null ? _mariadb.DumpAsync() : _sqlite!.DumpAsync();

    /// <summary>Runs a query; values as text (NULL as null).</summary>
    public async Task<List<string?[]>> QueryAsync(string sql)
    {
        if (_mariadb is not null)
        {
            return await _mariadb.QueryAsync(TestMariaDb.Adapt(sql));
        }
        await using System.Data.Common.DbConnection connection = _postgres is not null ? await OpenPostgresAsync() : OpenSqlite();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }
            rows.Add(row);
        }
        return rows;
    }

    public async Task<string?> ScalarAsync(string sql) => (await QueryAsync(sql)).Single()[0];

    public async ValueTask DisposeAsync()
    {
        _sqlite?.Dispose();
        if (_mariadb is not null)
        {
            await _mariadb.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }

    private SqliteConnection OpenSqlite()
    {
        var connection = new SqliteConnection($"Data Source={_sqlite!.Path};Pooling=False");
        connection.Open();
        return connection;
    }

    /// <summary>An open connection to a MariaDB test database (session in UTC), for tests that hold a transaction open.</summary>
    public Task<MySqlConnector.MySqlConnection> OpenMariaDbConnectionAsync() => _mariadb!.OpenAsync();

    /// <summary>The database's URL with another user and password (MariaDB): for tests of a role with fewer privileges.</summary>
    public string UrlAs(string user, string password) => _mariadb!.UrlAs(user, password);

    /// <summary>An open connection to a PostgreSQL test database (session in UTC), for tests that hold a transaction open.</summary>
    public Task<NpgsqlConnection> OpenPostgresConnectionAsync() => OpenPostgresAsync();

    private async Task<NpgsqlConnection> OpenPostgresAsync()
    {
        var connection = new NpgsqlConnection(_postgres!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET TimeZone = 'UTC'", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
