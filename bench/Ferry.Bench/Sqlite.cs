namespace Ferry.Bench;

/// <summary>SQLite: database files in the work directory, through the sqlite3 shell.</summary>
internal sealed class Sqlite(string repo, string work) : IScenario
{
    private string File(string name) => Path.Combine(work, name + ".db");

    public string Engine => "SQLite";
    public long CopiedRows { get; private set; }
    public string SourceUrl => "sqlite:" + File("source");

    private void Load(string name, string sql)
    {
        var file = Path.Combine(work, name + ".sql");
        System.IO.File.WriteAllText(file, sql);
        Shell.Run($"sqlite3 {File(name)} < {file} >/dev/null");
        System.IO.File.Delete(file);
    }

    private void Create(string name, string sql)
    {
        System.IO.File.Delete(File(name));
        Load(name, Generator.Schema(repo, Generator.Engine.Sqlite));
        if (sql.Length > 0)
        {
            Load(name, sql);
        }
    }

    public void CreateSource(int scale, int groups)
    {
        Create("source", Generator.Groups(Generator.Engine.Sqlite, 1, groups, scale));
        Create("empty", "");
    }

    public void CreateTargetTemplate(int scale) => Create("target", Generator.Groups(Generator.Engine.Sqlite, 1001, 1002, scale));

    public string FreshTarget()
    {
        System.IO.File.Copy(File("target"), File("run"), overwrite: true);
        return "sqlite:" + File("run");
    }

    public void Settle() => Shell.Run("sync");

    /// <summary>The scope as INSERT statements (.mode insert), foreign keys on, in one transaction, into a copy of the empty schema.</summary>
    public double BaselineCopy()
    {
        System.IO.File.Copy(File("empty"), File("copy"), overwrite: true);
        Settle();
        var script = Path.Combine(work, "scope.sqlite");
        var lines = new List<string> { ".print 'PRAGMA foreign_keys = ON;'", ".print 'BEGIN;'" };
        foreach (var (table, query) in Scope.Tables)
        {
            lines.Add($".mode insert {table}");
            lines.Add(query + ";");
        }
        lines.Add(".mode list");
        lines.Add("SELECT 'UPDATE conversations SET latest_message_id = ' || latest_message_id || ' WHERE id = ' || quote(id) || ';' FROM ("
            + Scope.Latest + ");");
        lines.Add(".print 'COMMIT;'");
        System.IO.File.WriteAllLines(script, lines);
        var seconds = Shell.Time($"sqlite3 -bail {File("source")} < {script} | sqlite3 -bail {File("copy")}");
        CopiedRows = long.Parse(Shell.Run($"sqlite3 {File("copy")} {Shell.Quote(Scope.CountAll)}").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        System.IO.File.Delete(File("copy"));
        return seconds;
    }

    public double? BaselineDump() => null;

    public void Drop()
    {
        foreach (var name in new[] { "source", "target", "empty", "run", "copy" })
        {
            System.IO.File.Delete(File(name));
        }
    }
}
