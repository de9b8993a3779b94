using Ferry.Engines;
using Ferry.Testing;
using Npgsql;
using static Ferry.Postgres.Tests.PostgresTestSupport;

namespace Ferry.Postgres.Tests;

public class PostgresSessionTests
{
    [Fact]
    public async Task Snapshot_sees_one_consistent_view_while_others_commit()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var snapshot = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        Assert.Equal(2L, await ScalarAsync(connection, snapshot, "SELECT count(*) FROM t"));

        await db.ExecuteAsync("INSERT INTO t VALUES (3); DELETE FROM t WHERE id = 1;");

        Assert.Equal(2L, await ScalarAsync(connection, snapshot, "SELECT count(*) FROM t"));
        var ids = await CollectAsync(engine.ReadRowsAsync(connection, snapshot, "SELECT (id)::int8 FROM t ORDER BY id", "t",
            [new("id", "integer", Schema.FerryType.Int, false)], CancellationToken.None));
        Assert.Equal([1L, 2L], ids.Select(r => r[0]));
    }

    [Fact]
    public async Task Sealed_snapshot_writes_temp_tables_but_refuses_real_ones()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
        var engine = Engine(db);
        var d = engine.Dialect;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var snapshot = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        await engine.ReadSchemaAsync(connection, snapshot, CancellationToken.None);
        await ExecuteAsync(connection, snapshot, d.CreateTempTable("scope", [("id", "bigint"), ("loc", d.RowLocatorType)], ["loc"]));

        await engine.SealSnapshotAsync(connection, snapshot, CancellationToken.None);

        await ExecuteAsync(connection, snapshot, $"INSERT INTO {d.TempTable("scope")} SELECT id, ctid FROM {d.Table("t")}");
        await ExecuteAsync(connection, snapshot, $"ANALYZE {d.TempTable("scope")}");
        Assert.Equal(2L, await ScalarAsync(connection, snapshot, $"SELECT count(*) FROM {d.TempTable("scope")} s JOIN t ON t.ctid = s.loc"));
        await ExecuteAsync(connection, snapshot, "SAVEPOINT before_write");
        var e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, snapshot, "INSERT INTO t VALUES (3)"));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, e.SqlState);
        await ExecuteAsync(connection, snapshot, "ROLLBACK TO SAVEPOINT before_write");
        e = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, snapshot, "CREATE TEMP TABLE late (x int)"));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, e.SqlState);
    }

    [Fact]
    public async Task Temp_tables_are_analyzed_from_a_small_sample_and_the_session_keeps_its_setting()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var engine = Engine(db);
        var d = engine.Dialect;
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await ExecuteAsync(connection, null, "SET default_statistics_target = 42");
        await using var snapshot = await engine.BeginSnapshotAsync(connection, CancellationToken.None);
        await ExecuteAsync(connection, snapshot, d.CreateTempTable("scope", [("id", "bigint")], ["id"]));
        await ExecuteAsync(connection, snapshot, $"INSERT INTO {d.TempTable("scope")} SELECT g FROM generate_series(1, 20000) g");
        await engine.SealSnapshotAsync(connection, snapshot, CancellationToken.None);

        await ExecuteAsync(connection, snapshot, d.AnalyzeTemp("scope")!);

        // The planner knows the table's size and its key's distinct values; the histogram has the sample's 10 buckets (+1 bound).
        Assert.Equal(20000L, await ScalarAsync(connection, snapshot, "SELECT reltuples::bigint FROM pg_class WHERE oid = 'pg_temp.scope'::regclass"));
        Assert.Equal(-1.0f, await ScalarAsync(connection, snapshot, "SELECT n_distinct FROM pg_stats WHERE tablename = 'scope' AND attname = 'id'"));
        Assert.Equal(11, await ScalarAsync(connection, snapshot, "SELECT cardinality(histogram_bounds::text::bigint[]) FROM pg_stats WHERE tablename = 'scope' AND attname = 'id'"));
        Assert.Equal("42", await ScalarAsync(connection, snapshot, "SHOW default_statistics_target"));
    }

    [Fact]
    public async Task Stopping_a_row_stream_early_leaves_the_transaction_usable()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t AS SELECT g AS id FROM generate_series(1, 100000) g");
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadOnly, CancellationToken.None);
        await using var snapshot = await engine.BeginSnapshotAsync(connection, CancellationToken.None);

        await foreach (var row in engine.ReadRowsAsync(connection, snapshot, "SELECT (id)::int8 FROM t", "t",
            [new("id", "integer", Schema.FerryType.Int, true)], CancellationToken.None))
        {
            Assert.Equal(1L, row[0]);
            break;
        }

        Assert.Equal(100000L, await ScalarAsync(connection, snapshot, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task Sessions_get_working_memory_where_the_server_has_its_defaults()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var connection = await Engine(db).OpenAsync(Access.ReadWrite, CancellationToken.None);

        Assert.Equal("128MB", await ScalarAsync(connection, null, "SHOW temp_buffers"));
        Assert.Equal("64MB", await ScalarAsync(connection, null, "SHOW work_mem"));
    }

    [Fact]
    public async Task Working_memory_set_for_the_database_is_kept()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET work_mem = '2MB'");
        await using var connection = await Engine(db).OpenAsync(Access.ReadWrite, CancellationToken.None);

        Assert.Equal("2MB", await ScalarAsync(connection, null, "SHOW work_mem"));
        Assert.Equal("128MB", await ScalarAsync(connection, null, "SHOW temp_buffers"));
    }

    [Fact]
    public async Task Sessions_use_utc()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        await using var connection = await Engine(db).OpenAsync(Access.ReadWrite, CancellationToken.None);

        Assert.Equal("UTC", await ScalarAsync(connection, null, "SHOW TimeZone"));
        Assert.Equal("2024-05-01 10:00:00+00", await ScalarAsync(connection, null, "SELECT '2024-05-01 12:00:00+02'::timestamptz::text"));
    }

    [Fact]
    public async Task Write_transactions_are_read_committed()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync();
        var engine = Engine(db);
        await using var connection = await engine.OpenAsync(Access.ReadWrite, CancellationToken.None);
        await using var transaction = await engine.BeginWriteAsync(connection, CancellationToken.None);

        Assert.Equal("read committed", await ScalarAsync(connection, transaction, "SHOW transaction_isolation"));
    }
}
