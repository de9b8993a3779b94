using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Relations whose column holds a value meaning "none" (issue 13 point 8), as in Kopano, which declares no
/// foreign key and writes 0 for "no user": the value is not followed on export, and is kept as it is on import.
/// </summary>
public sealed class RelationNoneCliTests() : CliScratch("ferry-none-")
{
    private static string Schema(bool postgres)
    {
        var id = postgres ? "serial PRIMARY KEY" : "INTEGER PRIMARY KEY";
        var i = postgres ? "int" : "INTEGER";
        return $"""
            CREATE TABLE companies (id {id}, name TEXT NOT NULL);
            CREATE TABLE users (id {id}, company {i} NOT NULL, name TEXT NOT NULL);
            CREATE TABLE documents (id {id}, company {i} NOT NULL, creator {i} NOT NULL, title TEXT NOT NULL);
            """;
    }

    private static string Sync(bool postgres) => postgres
        ? string.Concat(new[] { "companies", "users", "documents" }.Select(t => $"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}));\n"))
        : "";

    // MariaDB takes an id 0 as "draw the next one" unless told otherwise (Kopano's own setting).
    private static string Zero(string engine) => engine == TestEngines.MariaDb ? "SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO');\n" : "";

    // User 0 is the system account (of no company Ferry moves); creator 0 means "written by the system".
    private static string Source(bool postgres) => """
        INSERT INTO companies VALUES (1, 'Acme'), (2, 'Other');
        INSERT INTO users VALUES (0, 2, 'SYSTEM'), (5, 1, 'ann');
        INSERT INTO documents VALUES (1, 1, 5, 'by ann'), (2, 1, 0, 'by the system'), (3, 2, 0, 'other');
        """ + Sync(postgres);

    private static string Target(bool postgres) => """
        INSERT INTO companies VALUES (1, 'Existing');
        INSERT INTO users VALUES (0, 1, 'SYSTEM'), (5, 1, 'zed');
        INSERT INTO documents VALUES (1, 1, 5, 'by zed');
        """ + Sync(postgres);

    private const string Relations = """
        relations:
          - {from: users.company, to: companies, owns: true}
          - {from: documents.company, to: companies, owns: true}
          - {from: documents.creator, to: users, none: 0}
        """;

    private async Task<(TestDb Source, TestDb Target)> CreateAsync(string engine)
    {
        var source = await TestDb.CreateAsync(engine, Schema, p => Zero(engine) + Source(p));
        var target = await TestDb.CreateAsync(engine, Schema, p => Zero(engine) + Target(p));
        Keep(source);
        Keep(target);
        return (source, target);
    }

    private string Profile(string yaml)
    {
        var path = Path.Combine(Dir, "kopano.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_value_meaning_none_is_not_followed_on_export_and_kept_on_import(string engine)
    {
        var (source, target) = await CreateAsync(engine);
        var archive = Path.Combine(Dir, "acme.tar.gz");
        var profile = Profile(Relations);

        var without = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", Profile(Relations.Replace(", none: 0", "", StringComparison.Ordinal)),
            "--root", "companies", "--ids", "1", "--no-encrypt", "-o", archive]);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile = Profile(Relations),
            "--root", "companies", "--ids", "1", "--no-encrypt", "-o", archive]);
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext", "--profile", profile]);

        // Without none, user 0 of the other company is a reference out of the tenant through a NOT NULL column.
        Assert.Equal(ExitCodes.Failure, without.ExitCode);
        Assert.Contains("documents", Assert.Single(without.ErrorLines), StringComparison.Ordinal);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal("3", await target.ScalarAsync("SELECT COUNT(*) FROM users"));
        Assert.Equal(["by ann ann", "by the system SYSTEM", "by zed zed"],
            (await target.QueryAsync("SELECT d.title, u.name FROM documents d JOIN users u ON u.id = d.creator ORDER BY d.title")).Select(r => $"{r[0]} {r[1]}"));
        Assert.Equal("0", await target.ScalarAsync("SELECT creator FROM documents WHERE title = 'by the system'"));
        await target.ExecuteAsync("INSERT INTO documents (company, creator, title) VALUES (1, 0, 'next')");
    }

    [Theory]
    [InlineData("  - {from: documents.creator, to: users, none: [zero]}\n", "profile kopano.yaml:2: none values must be integers (e.g. none: [0, -1])")]
    [InlineData("  - {from: documents.creator, to: users, none: []}\n", "profile kopano.yaml:2: none must give at least one value")]
    [InlineData("  - {from: documents.title, to: users, array: true, none: 0}\n", "profile kopano.yaml:2: none is for a plain relation (a column holding one key), not an array or JSON path")]
    public async Task Bad_none_values_are_one_error_line(string relation, string text)
    {
        var (source, _) = await CreateAsync("sqlite");

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", Profile("relations:\n" + relation), "--root", "companies", "--ids", "1"]);

        plan.AssertFails(ExitCodes.Usage, text);
    }
}
