using Ferry.Testing;

namespace Ferry.Cli.Tests;

/// <summary>
/// Root rows selected by a unique column that is not the primary key (issue 13 point 6): Kopano's
/// stores have a composite primary key, and <c>stores.id</c> is unique by itself.
/// </summary>
public sealed class RootKeyCliTests() : CliScratch("ferry-rootkey-")
{
    private static string Schema(bool postgres) => $"""
        CREATE TABLE stores (hierarchy_id {(postgres ? "int" : "INTEGER")} NOT NULL, id {(postgres ? "int" : "INTEGER")} NOT NULL UNIQUE, name TEXT NOT NULL,
                             PRIMARY KEY (hierarchy_id, id));
        CREATE TABLE folders (id {(postgres ? "serial" : "INTEGER")} PRIMARY KEY, store_id {(postgres ? "int" : "INTEGER")} NOT NULL REFERENCES stores (id), name TEXT NOT NULL);
        """;

    private static string Data(bool postgres) => """
        INSERT INTO stores VALUES (10, 3, 'ann'), (10, 4, 'bob'), (11, 5, 'ann');
        INSERT INTO folders VALUES (1, 3, 'Inbox'), (2, 3, 'Sent'), (3, 4, 'Inbox'), (4, 5, 'Inbox');
        """ + (postgres ? "SELECT setval(pg_get_serial_sequence('folders', 'id'), 4);" : "");

    private async Task<TestDb> CreateAsync(string engine, bool empty = false)
    {
        var db = await TestDb.CreateAsync(engine, Schema, empty ? _ => "SELECT 1" : Data);
        Keep(db);
        return db;
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Root_rows_are_selected_by_a_unique_column_of_a_composite_key_table(string engine)
    {
        var source = await CreateAsync(engine);
        var target = await CreateAsync(engine, empty: true);
        var archive = Path.Combine(Dir, "store.tar.gz");
        var profile = Path.Combine(Dir, "kopano.yaml");
        await File.WriteAllTextAsync(profile, "root: {table: stores, key: id}\n");

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--root", "stores.id", "--ids", "3"]);
        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, "--profile", profile, "--ids", "3", "--no-encrypt", "-o", archive]);
        var import = await CliRun.RunAsync(["import", archive, "--to", target.ConnectionString, "--allow-plaintext"]);

        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains("plan: stores 3: ", plan.StdoutText, StringComparison.Ordinal);
        Assert.True(export.ExitCode == 0, export.Stderr);
        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Equal(["10 3 ann"], (await target.QueryAsync("SELECT hierarchy_id, id, name FROM stores")).Select(r => string.Join(" ", r)));
        Assert.Equal(["3 Inbox", "3 Sent"], (await target.QueryAsync("SELECT store_id, name FROM folders ORDER BY name")).Select(r => string.Join(" ", r)));
    }

    [Theory]
    [InlineData("sqlite", new[] { "--root", "stores.name", "--ids", "ann" },
        "root key stores.name is not unique: no primary key or unique constraint of stores is exactly (name), so an id could select several rows (columns unique by themselves: id)")]
    [InlineData("postgres", new[] { "--root", "stores.name", "--ids", "ann" },
        "root key stores.name is not unique: no primary key or unique constraint of stores is exactly (name)")]
    [InlineData("sqlite", new[] { "--root", "stores", "--ids", "3" },
        "root table stores has a composite primary key (hierarchy_id, id); --ids needs a single-column key: name a unique column with --root stores.COLUMN (columns unique by themselves: id)")]
    [InlineData("sqlite", new[] { "--root", "stores.nope", "--ids", "3" }, "root key stores.nope: stores has no column nope")]
    [InlineData("postgres", new[] { "--root", "stores.id", "--ids", "7" }, "stores has no row with id 7: nothing was exported")]
    public async Task A_root_key_that_cannot_select_rows_is_one_error_line(string engine, string[] root, string text)
    {
        var source = await CreateAsync(engine);
        var archive = Path.Combine(Dir, "never.tar.gz");

        var export = await CliRun.RunAsync(["export", "--from", source.ConnectionString, .. root, "--no-encrypt", "-o", archive]);

        export.AssertFails(text.StartsWith("stores has no row", StringComparison.Ordinal) ? ExitCodes.Failure : ExitCodes.Usage, text);
        Assert.False(File.Exists(archive));
    }

    [Fact]
    public async Task A_profile_root_key_that_is_not_unique_is_a_profile_mistake()
    {
        var source = await CreateAsync("sqlite");
        var profile = Path.Combine(Dir, "kopano.yaml");
        await File.WriteAllTextAsync(profile, "root: {table: stores, key: name}\n");

        var plan = await CliRun.RunAsync(["plan", "--from", source.ConnectionString, "--profile", profile, "--ids", "ann"]);

        plan.AssertFails(ExitCodes.Usage, "profile kopano.yaml:1: root key name is not unique: no primary key or unique constraint of stores is exactly (name)");
    }
}
