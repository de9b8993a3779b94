using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Ferry.Testing;

/// <summary>
/// A SQLite file for one test, under <c>{temp}/ferry-tests</c>, deleted (with its journal files)
/// on dispose. The file exists from the start, empty, so that engines that refuse to create a
/// database can open it.
/// </summary>
public sealed class TestSqlite : IDisposable
{
    public TestSqlite()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ferry-tests");
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, $"{Guid.NewGuid():N}.db");
        File.WriteAllBytes(Path, []);
    }

    /// <summary>The file's absolute path.</summary>
    public string Path { get; }

    /// <summary><c>sqlite:PATH</c>.</summary>
    public string ConnectionString => "sqlite:" + Path;

    /// <summary>Runs a script of one or more statements in one connection, outside any transaction.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A read-write, unpooled connection to the file, for setting up and inspecting tests.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>SHA-256 of the file's bytes, to prove that it was not written.</summary>
    public string Sha256() => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path)));

    /// <summary>
    /// A deterministic text dump: every schema object's SQL, then every table's rows ordered by all
    /// columns, each value with its storage class (<c>integer:1</c>, <c>text:'a'</c>, <c>blob:X'00'</c>).
    /// </summary>
    public async Task<string> DumpAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var dump = new StringBuilder();
        var tables = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT type, name, sql FROM sqlite_master ORDER BY type, name";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                dump.Append(CultureInfo.InvariantCulture, $"{reader.GetString(0)} {reader.GetString(1)}: {(reader.IsDBNull(2) ? "" : reader.GetString(2))}\n");
                if (reader.GetString(0) == "table")
                {
                    tables.Add(reader.GetString(1));
                }
            }
        }

        foreach (var table in tables)
        {
            var quoted = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM pragma_table_xinfo('{table.Replace("'", "''", StringComparison.Ordinal)}')";
            var columnCount = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            command.CommandText = $"SELECT * FROM {quoted} ORDER BY {string.Join(", ", Enumerable.Range(1, columnCount))}";
            await using var ordered = await command.ExecuteReaderAsync(cancellationToken);
            dump.Append(CultureInfo.InvariantCulture, $"-- {table}\n");
            while (await ordered.ReadAsync(cancellationToken))
            {
                var values = Enumerable.Range(0, ordered.FieldCount).Select(i => Show(ordered.GetValue(i)));
                dump.Append(string.Join(" | ", values)).Append('\n');
            }
        }

        return dump.ToString();
    }

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-journal", "-wal", "-shm" })
        {
            File.Delete(Path + suffix);
        }
    }

    private static string Show(object value) => value switch
    {
        DBNull => "null",
        long l => "integer:" + l.ToString(CultureInfo.InvariantCulture),
        double d => "real:" + d.ToString("R", CultureInfo.InvariantCulture),
        string s => "text:'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        byte[] b => "blob:X'" + Convert.ToHexString(b) + "'",
        _ => throw new InvalidOperationException($"unexpected value {value.GetType()}"),
    };
}
