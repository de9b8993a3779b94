using System.Globalization;

namespace Ferry.Bench;

/// <summary>
/// MariaDB (issue 15): source, target template and empty databases on one server, named bench_*, driven through the
/// mariadb client as the user of the URL (password through MYSQL_PWD, never on a command line).
/// </summary>
internal sealed class MariaDb(string repo, string work, string serverUrl) : IScenario
{
    private readonly Uri _server = new(serverUrl);
    // SELECT … INTO OUTFILE writes on the server's side as its own user: a directory it may write into.
    private readonly string _outfiles = Path.Combine(Path.GetTempPath(), "ferry-bench-outfile");
    private int _copies;

    public string Engine => "MariaDB";
    public long CopiedRows { get; private set; }
    public string SourceUrl => Url("bench_source");
    private string Url(string db) => $"{_server.Scheme}://{_server.UserInfo}@{_server.Host}:{_server.Port}/{db}";

    private Dictionary<string, string> Env => new() { ["MYSQL_PWD"] = Uri.UnescapeDataString(_server.UserInfo.Split(':', 2) is [_, var p] ? p : "") };
    private string Client(string db) =>
        $"mariadb --default-character-set=utf8mb4 --batch --skip-column-names -h {_server.Host} -P {_server.Port} -u {Shell.Quote(Uri.UnescapeDataString(_server.UserInfo.Split(':')[0]))} {db}";

    private string Sql(string db, string sql) => Shell.Run($"{Client(db)} -e {Shell.Quote(sql)}", Env);

    private void Load(string db, string sql)
    {
        var file = Path.Combine(work, db + ".sql");
        File.WriteAllText(file, sql);
        Shell.Run($"{Client(db)} < {file} >/dev/null", Env);
        File.Delete(file);
    }

    private void Create(string db, bool schema = true)
    {
        Sql("mysql", $"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}");
        if (schema)
        {
            Load(db, Generator.Schema(repo, Generator.Engine.MariaDb));
        }
    }

    /// <summary>
    /// InnoDB has no CHECKPOINT statement: the buffer pool is flushed by asking for no dirty pages and waiting until
    /// there are none (at most 60 s), then the files are synced, so no step is billed for an earlier step's writes.
    /// </summary>
    public void Settle()
    {
        var pct = Sql("mysql", "SELECT @@innodb_max_dirty_pages_pct").Trim();
        Sql("mysql", "SET GLOBAL innodb_max_dirty_pages_pct = 0");
        try
        {
            for (var i = 0; i < 600 && long.Parse(Sql("mysql", "SELECT variable_value FROM information_schema.global_status WHERE variable_name = 'INNODB_BUFFER_POOL_PAGES_DIRTY'").Trim(), CultureInfo.InvariantCulture) > 0; i++)
            {
                Thread.Sleep(100);
            }
        }
        finally
        {
            Sql("mysql", $"SET GLOBAL innodb_max_dirty_pages_pct = {pct}");
        }
        Shell.Run("sync");
    }

    public void CreateSource(int scale, int groups)
    {
        Create("bench_source");
        Load("bench_source", Generator.Groups(Generator.Engine.MariaDb, 1, groups, scale));
        Create("bench_empty");
    }

    public void CreateTargetTemplate(int scale)
    {
        Create("bench_target");
        Load("bench_target", Generator.Groups(Generator.Engine.MariaDb, 1001, 1002, scale));
    }

    /// <summary>No template databases in MariaDB: the schema, then each table's rows copied by INSERT … SELECT (untimed).</summary>
    public string FreshTarget()
    {
        Create("bench_run");
        Load("bench_run", "SET foreign_key_checks = 0;\nBEGIN;\n"
            + string.Concat(Scope.Tables.Select(t => $"INSERT INTO `{t.Table}` SELECT * FROM bench_target.`{t.Table}`;\n"))
            + "COMMIT;\n" + string.Concat(Scope.Tables.Select(t => $"ANALYZE TABLE `{t.Table}`;\n")));
        Sql("bench_run", "SELECT 1");
        return Url("bench_run");
    }

    /// <summary>
    /// Baseline (a) for MariaDB, as an expert writes it on the database's host: per table in dependency order
    /// <c>SELECT (scope query) INTO OUTFILE</c> on the source, then <c>LOAD DATA INFILE</c> into the copy, which has
    /// the schema with its foreign keys, unique keys and indexes and no rows; the conversations' latest messages are
    /// loaded into a temporary table and set by UPDATE … JOIN once the messages are in.
    /// </summary>
    public double BaselineCopy()
    {
        var db = $"bench_copy{_copies++ % 2}";
        Create(db);
        Directory.CreateDirectory(_outfiles);
        Shell.Run($"chmod 1777 {_outfiles}"); // as /tmp: the server writes there, the next run deletes
        foreach (var file in Directory.GetFiles(_outfiles))
        {
            File.Delete(file);
        }
        Settle();
        string Out(string name) => Path.Combine(_outfiles, name + ".tsv");
        var steps = Scope.Tables.Select(t =>
            $"{Client("bench_source")} -e {Shell.Quote($"{t.Query} INTO OUTFILE '{Out(t.Table)}' CHARACTER SET utf8mb4")} && "
            + $"{Client(db)} -e {Shell.Quote($"LOAD DATA INFILE '{Out(t.Table)}' INTO TABLE `{t.Table}` CHARACTER SET utf8mb4")}");
        var latest = $"{Client("bench_source")} -e {Shell.Quote($"{Scope.Latest} INTO OUTFILE '{Out("latest")}' CHARACTER SET utf8mb4")} && "
            + $"{Client(db)} -e {Shell.Quote($"CREATE TEMPORARY TABLE latest (id UUID PRIMARY KEY, message_id BIGINT UNSIGNED); LOAD DATA INFILE '{Out("latest")}' INTO TABLE latest CHARACTER SET utf8mb4; "
                + "UPDATE conversations c JOIN latest l ON c.id = l.id SET c.latest_message_id = l.message_id")}";
        var seconds = Shell.Time(string.Join(" && ", steps.Append(latest)), Env);
        CopiedRows = long.Parse(Sql(db, Scope.CountAll).Trim(), CultureInfo.InvariantCulture);
        Sql("mysql", $"DROP DATABASE {db}");
        return seconds;
    }

    public double? BaselineDump() => null;

    public void Drop()
    {
        foreach (var db in new[] { "bench_source", "bench_target", "bench_empty", "bench_run", "bench_copy0", "bench_copy1" })
        {
            Sql("mysql", $"DROP DATABASE IF EXISTS {db}");
        }
    }
}
