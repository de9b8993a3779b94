using Ferry.Import;
using Ferry.Reporting;
using Ferry.Testing;
using static Ferry.IntegrationTests.Trip;

namespace Ferry.IntegrationTests.RealSchemas;

/// <summary>
/// <c>--exclusive</c> on Pagila, a real public schema: the tables written are locked for the whole import and their
/// foreign keys are taken off during the inserts and put back exactly as they were (name, definition, validated),
/// which makes PostgreSQL check each table once. The store moves as without the option; a dry run leaves the
/// keys as they were; and the keys check again afterwards.
/// </summary>
public sealed class PagilaExclusiveTests
{
    private const string Keys =
        "SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) || ' ' || convalidated || ' ' || condeferrable " +
        "FROM pg_constraint WHERE contype = 'f' ORDER BY 1";

    private static async Task<ImportReport> ImportExclusiveAsync(TestDb target, byte[] archive, bool dryRun = false, List<string>? steps = null)
    {
        var options = new ImportOptions(target.ConnectionString, [], dryRun, () => Move.Password.ToCharArray(), Trip.Profile(PagilaTests.Profile))
        {
            Exclusive = true,
        };
        using var input = new MemoryStream(archive);
        return await new Importer(Move.Engines.Create(target.ConnectionString), new Steps(steps ?? [])).ImportAsync(options, input, CancellationToken.None);
    }

    [Fact]
    public async Task A_store_moves_the_same_and_every_foreign_key_is_back_as_it_was()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source());
        await using var plain = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target());
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target());
        var keys = await Column(target, Keys);
        var otherStores = await PagilaTests.ProjectAsync(target, "1", "2");
        var archive = (await ExportAsync(source, "store", "2", profile: Trip.Profile(PagilaTests.Profile))).Archive;

        var expected = await ImportAsync(plain, archive, Trip.Profile(PagilaTests.Profile));
        var steps = new List<string>();
        var imported = await ImportExclusiveAsync(target, archive, steps: steps);

        Assert.Equal("imported", imported.Outcome);
        // The keys are back before the ledger, the import's last step, records the rows.
        Assert.Equal(["check foreign keys", "record ledger"], steps.TakeLast(2));
        Assert.Equal(expected.Tables.Select(t => (t.Name, t.Inserted, t.Matched)), imported.Tables.Select(t => (t.Name, t.Inserted, t.Matched)));
        Assert.Equal(await PagilaTests.ProjectAsync(source, "2"), await PagilaTests.ProjectAsync(target, PagilaTests.Store2));
        Assert.Equal(otherStores, await PagilaTests.ProjectAsync(target, "1", "2"));
        Assert.Equal(keys, await Column(target, Keys));
        // The keys check again: a rental of an inventory item that does not exist is refused.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => target.ExecuteAsync(
            "INSERT INTO rental (rental_date, inventory_id, customer_id, staff_id) SELECT now(), -1, MIN(customer_id), MIN(staff_id) FROM customer, staff"));
        Assert.Contains("rental_inventory_id_fkey", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_and_leaves_the_keys_as_they_were()
    {
        await using var source = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Source());
        await using var target = await TestDb.CreateAsync("postgres", _ => PagilaTests.Schema, _ => PagilaData.Target());
        var (keys, before) = (await Column(target, Keys), await target.DumpAsync());

        var report = await ImportExclusiveAsync(target, (await ExportAsync(source, "store", "2", profile: Trip.Profile(PagilaTests.Profile))).Archive, dryRun: true);

        Assert.Equal("dry run", report.Outcome);
        Assert.Equal(before, await target.DumpAsync());
        Assert.Equal(keys, await Column(target, Keys));
    }

    private sealed class Steps(List<string> started) : IProgressSink
    {
        public void Info(string text) { }

        public void Warning(string text) { }

        public IProgressTask Start(string description, long? total)
        {
            started.Add(description);
            return SilentProgress.Instance.Start(description, total);
        }
    }
}
