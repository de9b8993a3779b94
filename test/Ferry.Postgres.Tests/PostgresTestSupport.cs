using System.Data.Common;
using Ferry.Engines;
using Ferry.Schema;
using Ferry.Testing;

namespace Ferry.Postgres.Tests;

internal static class PostgresTestSupport
{
    public static PostgresEngine Engine(TestPostgres db, string? schema = null) =>
        (PostgresEngine)new PostgresEngineFactory().Create(db.UrlFor(schema));

    public static async Task<DatabaseSchema> ReadSchemaAsync(TestPostgres db, string setupSql, string? schema = null)
    {
        await db.ExecuteAsync(setupSql);
        var engine = Engine(db, schema);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var transaction = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        return await engine.ReadSchemaAsync(connection, transaction, CancellationToken.None);
    }

    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<object?[]>> CollectAsync(IAsyncEnumerable<object?[]> rows)
    {
        var result = new List<object?[]>();
        await foreach (var row in rows)
        {
            result.Add((object?[])row.Clone());
        }
        return result;
    }
}
