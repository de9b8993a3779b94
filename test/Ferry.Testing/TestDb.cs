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
    }

    public bool IsPostgres => _postgres is not null;

    /// <summary>A MariaDB database; its data is the SQLite flavour, timestamps with offsets converted (<see cref="TestMariaDb.Adapt"/>).</summary>
    public bool IsMariaDb => _mariadb is not null;

    public string ConnectionString => _postgres?.Url ?? _mariadb?.Url ?? _sqlite!.ConnectionString;

    public static async Task<TestDb> CreateAsync(string engine, Func<bool, string> data)
    {
        var db = await EmptyAsync(engine);
        await db.ExecuteAsync(db.IsPostgres ? CommunityFixture.PostgresSchema : db.IsMariaDb ? CommunityFixture.MariaDbSchema : CommunityFixture.SqliteSchema);
        await db.ExecuteAsync(data(db.IsPostgres));
        return db;
    }

    private static async Task<TestDb> EmptyAsync(string engine) => engine switch
    {
        "postgres" => new TestDb(null, await TestPostgres.CreateDatabaseAsync()),
        "mariadb" => new TestDb(null, null, await TestMariaDb.CreateDatabaseAsync()),
        "mariadb-other" => new TestDb(null, null, await TestMariaDb.CreateDatabaseAsync(TestEnvironment.OtherMariaDbUrl)),
        _ => new TestDb(new TestSqlite(), null),
    };

    /// <summary>A temporary database with a schema of the test's own (per engine) and data.</summary>
    public static async Task<TestDb> CreateAsync(string engine, Func<bool, string> schema, Func<bool, string> data)
    {
        var db = await EmptyAsync(engine);
        await db.ExecuteAsync(schema(db.IsPostgres));
        await db.ExecuteAsync(data(db.IsPostgres));
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
            return await _mariadb.QueryAsync(sql);
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
