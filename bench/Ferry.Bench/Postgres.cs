namespace Ferry.Bench;

/// <summary>PostgreSQL: source, target template and empty template databases on one server, named bench_*.</summary>
internal sealed class Postgres(string repo, string work, string serverUrl) : IScenario
{
    private readonly string _base = serverUrl[..serverUrl.LastIndexOf('/')];
    private int _copies;

    public string Engine => "PostgreSQL";
    public long CopiedRows { get; private set; }

    /// <summary>--log-slow MS: statements of Ferry's sessions slower than this go to the server log (set per database, gone when it is dropped).</summary>
    public int? LogSlowMs { get; init; }

    private void LogSlow(string db)
    {
        if (LogSlowMs is { } ms)
        {
            Sql("postgres", $"ALTER DATABASE {db} SET log_min_duration_statement = {ms}");
        }
    }
    public string SourceUrl => Url("bench_source");
    private string Url(string db) => $"{_base}/{db}";

    private void Sql(string db, string sql) => Shell.Run($"psql -q -X -v ON_ERROR_STOP=1 {Shell.Quote(Url(db))} -c {Shell.Quote(sql)}");

    private void Create(string db, string? template = null)
    {
        Sql("postgres", $"DROP DATABASE IF EXISTS {db} WITH (FORCE)");
        // FILE_COPY copies the template's files (PostgreSQL 15's default, WAL_LOG, writes all of it to the WAL and
        // leaves it in shared buffers, for the next checkpoint to write out during whatever step runs next).
        Sql("postgres", template is null ? $"CREATE DATABASE {db}" : $"CREATE DATABASE {db} TEMPLATE {template} STRATEGY FILE_COPY");
    }

    public void Settle() => Sql("postgres", "CHECKPOINT");

    private void Load(string db, string sql)
    {
        var file = Path.Combine(work, db + ".sql");
        File.WriteAllText(file, sql);
        Shell.Run($"psql -q -X -v ON_ERROR_STOP=1 {Shell.Quote(Url(db))} -f {file} >/dev/null");
        File.Delete(file);
    }

    public void CreateSource(int scale, int groups)
    {
        Create("bench_source");
        Load("bench_source", Generator.Schema(repo, Generator.Engine.Postgres));
        Load("bench_source", Generator.Groups(Generator.Engine.Postgres, 1, groups, scale));
        // Vacuumed and analyzed now, untimed: else autovacuum comes by the freshly loaded tables during the first runs
        // (two workers for the first 21 s of a pipe, whose export then took 20 s instead of 9-11 s).
        Sql("bench_source", "VACUUM (ANALYZE)");
        LogSlow("bench_source");
        Create("bench_empty");
        Load("bench_empty", Generator.Schema(repo, Generator.Engine.Postgres));
    }

    /// <summary>The target's own data: two groups of the tenant's size, ids and keys of its own.</summary>
    public void CreateTargetTemplate(int scale)
    {
        Create("bench_target");
        Load("bench_target", Generator.Schema(repo, Generator.Engine.Postgres));
        Load("bench_target", Generator.Groups(Generator.Engine.Postgres, 1001, 1002, scale));
        Sql("bench_target", "VACUUM (ANALYZE)");
    }

    public string FreshTarget()
    {
        Create("bench_run", "bench_target");
        LogSlow("bench_run");
        return Url("bench_run");
    }

    public double BaselineCopy()
    {
        var db = $"bench_copy{_copies++ % 2}";
        Create(db, "bench_empty");
        Settle();
        var src = Shell.Quote(SourceUrl);
        var dst = Shell.Quote(Url(db));
        var pipes = Scope.Tables.Select(t =>
            $"psql -X -q {src} -c {Shell.Quote($"COPY ({t.Query}) TO STDOUT")} | psql -X -q -v ON_ERROR_STOP=1 {dst} -c {Shell.Quote($"COPY {t.Table} FROM STDIN")}");
        var latest = $"psql -X -q {src} -c {Shell.Quote($"COPY ({Scope.Latest}) TO STDOUT")} | psql -X -q -v ON_ERROR_STOP=1 {dst}"
            + " -c 'CREATE TEMP TABLE latest (id uuid, message_id bigint)' -c 'COPY latest FROM STDIN'"
            + " -c 'UPDATE conversations c SET latest_message_id = l.message_id FROM latest l WHERE c.id = l.id'";
        var seconds = Shell.Time(string.Join(" && ", pipes.Append(latest)));
        CopiedRows = long.Parse(Shell.Run($"psql -X -tA {dst} -c {Shell.Quote(Scope.CountAll)}").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Sql("postgres", $"DROP DATABASE {db} WITH (FORCE)");
        return seconds;
    }

    public double? BaselineDump()
    {
        Create("bench_dump", "bench_empty");
        Settle();
        var tables = string.Join(" ", Scope.Tables.Select(t => "-t " + t.Table));
        var seconds = Shell.Time($"pg_dump --data-only --disable-triggers {tables} {Shell.Quote(SourceUrl)} | psql -X -q -v ON_ERROR_STOP=1 {Shell.Quote(Url("bench_dump"))} >/dev/null");
        Sql("postgres", "DROP DATABASE bench_dump WITH (FORCE)");
        return seconds;
    }

    public void Drop()
    {
        foreach (var db in new[] { "bench_source", "bench_target", "bench_empty", "bench_run" })
        {
            Sql("postgres", $"DROP DATABASE IF EXISTS {db} WITH (FORCE)");
        }
    }
}
