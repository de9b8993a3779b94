using Ferry.Import;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// A profile's transforms on import into a target running the app's next version (TransformFixture),
/// in every direction: renamed table and column, a dropped column, set, map, fill and staging SQL.
/// </summary>
public sealed class TransformTests
{
    [Theory]
    [MemberData(nameof(TestEngines.Directions), MemberType = typeof(TestEngines))]
    public async Task Transforms_carry_a_tenant_into_the_next_version_of_the_app(string from, string to)
    {
        await using var source = await TestDb.CreateAsync(from, TransformFixture.Version1, TransformFixture.SourceData);
        await using var target = await TestDb.CreateAsync(to, TransformFixture.Version2, TransformFixture.TargetData);

        var archive = await Move.ExportAsync(source);
        var report = await Move.ImportWithProfileAsync(target, archive, TransformFixture.Profile());

        Assert.Equal("imported", report.Outcome);
        // display_name arrived as full_name; nobody arrives as an administrator; bob kept his account.
        Assert.Equal(["ann@example.org:Ann:n", "bob@example.org:Robert:n", "cat@example.org:Cat:n", "zoe@example.org:Zoe:y"], await Column(target,
            "SELECT email || ':' || full_name || ':' || CASE WHEN is_superuser THEN 'y' ELSE 'n' END FROM users ORDER BY email"));
        // visibility filled from the slug; the cycle through the renamed table was closed afterwards.
        Assert.Equal(["lakeside:public:-", "private-hill:private:Planting"], await Column(target,
            "SELECT g.slug || ':' || g.visibility || ':' || COALESCE(e.title, '-') FROM groups g LEFT JOIN events e ON e.id = g.featured_event_id ORDER BY g.slug"));
        Assert.Equal(["ann@example.org:owner", "bob@example.org:member", "cat@example.org:organizer"], await Column(target,
            "SELECT u.email || ':' || m.role FROM memberships m JOIN users u ON u.id = m.user_id JOIN groups g ON g.id = m.group_id WHERE g.slug = 'private-hill' ORDER BY 1"));
        Assert.Equal(["Hall", "Shed"], await Column(target,
            "SELECT p.name FROM places p JOIN groups g ON g.id = p.group_id WHERE g.slug = 'private-hill' ORDER BY 1"));
        // group_events landed in events, their references into and out of it remapped.
        Assert.Equal(["Concert:Shed:cat@example.org", "Planting:Hall:bob@example.org"], await Column(target,
            "SELECT e.title || ':' || p.name || ':' || u.email FROM attendances a JOIN events e ON e.id = a.event_id JOIN places p ON p.id = e.place_id " +
            "JOIN users u ON u.id = a.user_id JOIN groups g ON g.id = e.group_id WHERE g.slug = 'private-hill' ORDER BY 1"));
        Assert.Equal(["Concert", "Planting", "Swim"], await Column(target, "SELECT title FROM events ORDER BY title"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task Conflicts_are_checked_on_the_transformed_rows(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, TransformFixture.Version1, TransformFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, TransformFixture.Version2, TransformFixture.TargetData);
        var before = await target.DumpAsync();

        var archive = await Move.ExportAsync(source);
        var failure = await Assert.ThrowsAsync<ConflictException>(() => Move.ImportWithProfileAsync(target, archive,
            TransformFixture.Profile("  - {sql: \"UPDATE {groups} SET slug = 'lakeside'\"}")));

        var conflict = Assert.Single(failure.Report.Conflicts);
        Assert.Equal(("groups", "existing", "lakeside"), (conflict.Table, conflict.Kind, conflict.Values[0]));
        Assert.Equal(before, await target.DumpAsync());
    }

    /// <summary>
    /// The values of a table a <c>sql</c> transform names skip the checks while staged (the transform may be what makes
    /// them fit), so what the transforms leave is checked: a value the target's column does not take stops the import
    /// with one line, the target unchanged, on every engine (SQLite stored it as it was, exit 0, until Ferry checked it
    /// itself; PostgreSQL refused it in the INSERT, now before it, naming the column); once the transform makes it fit,
    /// it is written.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task What_a_sql_transform_leaves_is_checked_against_the_targets_columns(string engine)
    {
        await using var source = await TestDb.CreatePerEngineAsync(engine,
            e => e == TestEngines.Postgres ? "CREATE TABLE groups (id int PRIMARY KEY, n text, code text)" : "CREATE TABLE groups (id INTEGER PRIMARY KEY, n TEXT, code TEXT)",
            _ => "INSERT INTO groups (id, n, code) VALUES (1, 'x12', 'ok')");
        await using var target = await TestDb.CreatePerEngineAsync(engine,
            e => e == TestEngines.Postgres ? "CREATE TABLE groups (id serial PRIMARY KEY, n int, code text)" : "CREATE TABLE groups (id INTEGER PRIMARY KEY, n INTEGER, code TEXT)",
            _ => "INSERT INTO groups (n, code) VALUES (7, 'theirs')");
        var before = await target.DumpAsync();
        var archive = await Move.ExportAsync(source, ids: "1");

        // Without a transform the staging check refuses it; with one that leaves it as it is, the check after the transforms.
        var plain = await Assert.ThrowsAsync<FerryException>(() => Move.ImportAsync(target, archive, ""));
        Assert.StartsWith("a value does not fit the target: table groups, column n", plain.Message, StringComparison.Ordinal);
        var untouched = await Assert.ThrowsAsync<FerryException>(() => Move.ImportAsync(target, archive,
            "transforms:\n  - {sql: \"UPDATE {groups} SET code = code\"}\n"));
        // MariaDB converts in a SELECT with a warning only: its strict INSERT refuses the value, in the same one line.
        Assert.StartsWith(engine == TestEngines.MariaDb ? "the database refused a statement (INSERT" : "a value does not fit the target: table groups, column n",
            untouched.Message, StringComparison.Ordinal);
        Assert.Contains("x12", untouched.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, untouched.ExitCode);
        Assert.Equal(before, await target.DumpAsync());

        var fixedUp = await Move.ImportAsync(target, archive, "transforms:\n  - {sql: \"UPDATE {groups} SET n = '12' WHERE n = 'x12'\"}\n");
        Assert.Equal("imported", fixedUp.Outcome);
        Assert.Equal(["7 theirs", "12 ok"], await Column(target, "SELECT CAST(n AS TEXT) || ' ' || code FROM groups ORDER BY n"));
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_failing_sql_transform_rolls_back_everything(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, TransformFixture.Version1, TransformFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, TransformFixture.Version2, TransformFixture.TargetData);
        var before = await target.DumpAsync();

        var archive = await Move.ExportAsync(source);
        // The first statement writes a real table of the target: the failure of the second must undo it.
        var failure = await Assert.ThrowsAsync<FerryException>(() => Move.ImportWithProfileAsync(target, archive, TransformFixture.Profile(
            "  - {sql: \"UPDATE groups SET name = 'touched'\"}\n  - {sql: \"UPDATE {places} SET no_such_column = 1\"}")));

        Assert.StartsWith("profile transforms.yaml:10: the transform failed on the target: the database refused a statement", failure.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, failure.ExitCode);
        Assert.Equal(before, await target.DumpAsync());
    }

    [Theory]
    [MemberData(nameof(TestEngines.Each), MemberType = typeof(TestEngines))]
    public async Task A_dry_run_with_transforms_reports_and_writes_nothing(string engine)
    {
        await using var source = await TestDb.CreateAsync(engine, TransformFixture.Version1, TransformFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, TransformFixture.Version2, TransformFixture.TargetData);
        var before = await target.DumpAsync();

        var report = await Move.ImportWithProfileAsync(target, await Move.ExportAsync(source), TransformFixture.Profile(), dryRun: true);

        Assert.Equal("dry run", report.Outcome);
        Assert.Equal(2, report.Tables.Single(t => t.Name == "events").Inserted);
        Assert.Equal(before, await target.DumpAsync());
    }

    private static async Task<string[]> Column(TestDb db, string sql) => [.. (await db.QueryAsync(sql)).Select(r => r[0] ?? "NULL")];
}
