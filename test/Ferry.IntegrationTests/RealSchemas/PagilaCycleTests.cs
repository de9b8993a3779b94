using Ferry.Import;
using Ferry.Planning.Rendering;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// Pagila with the key that Sakila declares and Pagila leaves out, <c>store.manager_staff_id → staff</c>: store ⇄ staff
/// is then a cycle of NOT NULL keys, neither DEFERRABLE. Plan and export break it at staff.store_id; a PostgreSQL target
/// writes it with <c>--exclusive</c> (the keys taken off for the inserts and put back, which checks them), and without it
/// is refused with one line before anything is written.
/// </summary>
public sealed class PagilaCycleTests
{
    private const string Manager = "ALTER TABLE store ADD CONSTRAINT store_manager_staff_id_fkey FOREIGN KEY (manager_staff_id) REFERENCES staff (staff_id);";

    // Pagila's profile without the relation the key now declares.
    private static readonly string Profile = PagilaTests.Profile.Replace("relations:\n  - {from: store.manager_staff_id, to: staff}\n", "", StringComparison.Ordinal);

    private const string Keys =
        "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated || ' ' || condeferrable " +
        "FROM pg_constraint WHERE contype = 'f' ORDER BY 1";

    private static async Task<ImportReport> ImportAsync(TestDb target, byte[] archive, bool exclusive, bool dryRun = false)
    {
        var options = new ImportOptions(target.ConnectionString, [], dryRun, () => Move.Password.ToCharArray(), Trip.Profile(Profile)) { Exclusive = exclusive };
        using var input = new MemoryStream(archive);
        return await new Importer(Move.Engines.Create(target.ConnectionString), Reporting.SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }

    [Fact]
    public async Task A_store_moves_through_the_not_null_cycle_with_exclusive_and_the_keys_are_back()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source() + Manager);
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target() + Manager);
        var (keys, before) = (await Column(target, Keys), await target.DumpAsync());
        var otherStores = await PagilaTests.ProjectAsync(target, "1", "2");

        var plan = await PlanAsync(source, "store", "2", profile: Trip.Profile(Profile));
        var archive = (await ExportAsync(source, "store", "2", profile: Trip.Profile(Profile))).Archive;
        var dry = await ImportAsync(target, archive, exclusive: true, dryRun: true);
        Assert.Equal(before, await target.DumpAsync());
        var imported = await ImportAsync(target, archive, exclusive: true);

        Assert.Empty(plan.Undeclared);
        Assert.Equal("staff.store_id → store", Assert.Single(plan.CycleBreaks).ToString());
        Assert.Contains("  staff.store_id → store: NOT NULL, not DEFERRABLE staff_store_id_fkey", PlanTextRenderer.RenderText(plan), StringComparison.Ordinal);
        Assert.Equal("dry run", dry.Outcome);
        Assert.Equal("imported", imported.Outcome);
        Assert.Equal(await PagilaTests.ProjectAsync(source, "2"), await PagilaTests.ProjectAsync(target, PagilaTests.Store2));
        Assert.Equal(otherStores, await PagilaTests.ProjectAsync(target, "1", "2"));
        Assert.Equal(keys, await Column(target, Keys));
        // The keys check again, and the application's next store and clerk go in.
        await target.ExecuteAsync($"""
            INSERT INTO staff (first_name, last_name, address_id, store_id, username) SELECT 'New', 'Clerk', address_id, store_id, 'new.clerk' FROM store WHERE store_id = {PagilaTests.Store2};
            INSERT INTO store (manager_staff_id, address_id) VALUES (currval('staff_staff_id_seq'), (SELECT address_id FROM staff WHERE username = 'new.clerk'));
            """);
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync("INSERT INTO store (manager_staff_id, address_id) SELECT -1, MIN(address_id) FROM address"));
        Assert.Contains("store_manager_staff_id_fkey", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_exclusive_the_store_is_refused_with_one_line_and_the_target_is_unchanged()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source() + Manager);
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target() + Manager);
        var before = await target.DumpAsync();
        var archive = (await ExportAsync(source, "store", "2", profile: Trip.Profile(Profile))).Archive;

        var error = await Assert.ThrowsAsync<FerryException>(() => ImportAsync(target, archive, exclusive: false));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("the target's foreign key staff_store_id_fkey (staff.store_id → store) is NOT NULL and not DEFERRABLE, and closes a cycle of the tables written",
            error.Message, StringComparison.Ordinal);
        Assert.EndsWith("import with --exclusive (it takes the tables' foreign keys off during the inserts and checks them all before the commit), " +
                        "or make the constraint DEFERRABLE (ALTER TABLE staff ALTER CONSTRAINT staff_store_id_fkey DEFERRABLE). Nothing was written", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await target.DumpAsync());
    }
}
