using Microsoft.Data.Sqlite;
using Npgsql;

namespace Ferry.Testing;

/// <summary>A temporary database of either engine with the community fixture's schema, for one test.</summary>
public sealed class TestDb : IAsyncDisposable
{
    private readonly TestSqlite? _sqlite;
    private readonly TestPostgres? _postgres;

    private TestDb(TestSqlite? sqlite, TestPostgres? postgres)
    {
        _sqlite = sqlite;
        _postgres = postgres;
    }

    public bool IsPostgres => _postgres is not null;

    public string ConnectionString => _postgres?.Url ?? _sqlite!.ConnectionString;

    public static async Task<TestDb> CreateAsync(string engine, Func<bool, string> data)
    {
        var db = engine == "postgres"
            ? new TestDb(null, await TestPostgres.CreateDatabaseAsync())
            : new TestDb(new TestSqlite(), null);
        await db.ExecuteAsync(db.IsPostgres ? CommunityFixture.PostgresSchema : CommunityFixture.SqliteSchema);
        await db.ExecuteAsync(data(db.IsPostgres));
        return db;
    }

    /// <summary>A temporary database with a schema of the test's own (per engine) and data.</summary>
    public static async Task<TestDb> CreateAsync(string engine, Func<bool, string> schema, Func<bool, string> data)
    {
        var db = engine == "postgres"
            ? new TestDb(null, await TestPostgres.CreateDatabaseAsync())
            : new TestDb(new TestSqlite(), null);
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
        else
        {
            await using var connection = OpenSqlite();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Every table and row, deterministic: equal dumps mean an unchanged database.</summary>
    public Task<string> DumpAsync() => _postgres is not null ? _postgres.DumpAsync() : _sqlite!.DumpAsync();

    /// <summary>Runs a query; values as text (NULL as null).</summary>
    public async Task<List<string?[]>> QueryAsync(string sql)
    {
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

    private async Task<NpgsqlConnection> OpenPostgresAsync()
    {
        var connection = new NpgsqlConnection(_postgres!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET TimeZone = 'UTC'", connection);
        await command.ExecuteNonQueryAsync();
        return connection;
    }
}
