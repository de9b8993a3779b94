using Ferry.Import;
using Ferry.Testing;

namespace Ferry.IntegrationTests;

/// <summary>
/// The ledger's source digests since version 2 are computed by Ferry while staging (docs/reimport.md); a ledger written
/// before holds version 1 digests (64 hex digits, computed by the target's SQL), reproduced here with
/// <see cref="ImportOptions.SourceDigestVersion"/>. Such a ledger keeps working: its rows are compared the old way,
/// an <c>--update</c> that changes nothing writes nothing (the ledger stays as it is), and the first one that writes
/// brings every row it compared to version 2.
/// </summary>
public sealed class SourceDigestVersionTests
{
    public static TheoryData<string> Targets => new() { "sqlite", "postgres", "mariadb" };

    private const string Version1Rows = "SELECT COUNT(*) FROM ferry_ledger_rows WHERE length(source_digest) = 64";

    private const string Version2Rows = "SELECT COUNT(*) FROM ferry_ledger_rows WHERE length(source_digest) = 66 AND source_digest LIKE '2:%'";

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_ledger_of_version_1_is_compared_the_old_way_and_brought_to_version_2_by_the_first_update_that_writes(string engine)
    {
        await using var source = await TestDb.CreateAsync("sqlite", CommunityFixture.SourceData);
        await using var target = await TestDb.CreateAsync(engine, CommunityFixture.TargetData);
        var first = await ImportVersion1Async(target, await Move.ExportAsync(source));
        var recorded = first.LedgerRows;
        Assert.True(recorded > 10);
        Assert.Equal(recorded.ToString(System.Globalization.CultureInfo.InvariantCulture), await target.ScalarAsync(Version1Rows));

        // Nothing changed: compared the old way, nothing written, the ledger left as it was.
        var dump = await target.DumpAsync();
        var ledger = await target.QueryAsync("SELECT table_name, source_key, source_digest, digest, import_no FROM ferry_ledger_rows ORDER BY 1, 2");
        var same = await Move.UpdateAsync(target, await Move.ExportAsync(source));
        Assert.True(same.NothingChanged);
        Assert.Equal(dump, await target.DumpAsync());
        Assert.Equal(ledger, await target.QueryAsync("SELECT table_name, source_key, source_digest, digest, import_no FROM ferry_ledger_rows ORDER BY 1, 2"));

        // One row changed at the source, one in the target only, one on both sides: the old comparison's answers.
        await source.ExecuteAsync("UPDATE activities SET title = 'Potluck (source)' WHERE id = 1");
        await source.ExecuteAsync("UPDATE groups SET name = 'Beta (source)' WHERE id = 2");
        await target.ExecuteAsync("UPDATE groups SET name = 'Beta (target)' WHERE slug = 'beta'");
        await target.ExecuteAsync("UPDATE places SET name = 'Garden (target)' WHERE name = 'Garden'");
        var archive = await Move.ExportAsync(source);
        var refused = await Assert.ThrowsAsync<ConflictException>(() => Move.UpdateAsync(target, archive));
        Assert.Equal([("groups", "changed")], refused.Report.Conflicts.Select(c => (c.Table, c.Kind)));
        Assert.Equal(recorded.ToString(System.Globalization.CultureInfo.InvariantCulture), await target.ScalarAsync(Version1Rows));

        var settled = await Move.UpdateAsync(target, archive, Prefer.Target);
        Assert.Equal((0L, 1L, 1L), (settled.Inserted, settled.Updated, settled.Conflicting));
        Assert.Equal("Potluck (source)", await target.ScalarAsync("SELECT title FROM activities WHERE title LIKE 'Potluck%'"));
        Assert.Equal("Beta (target)", await target.ScalarAsync("SELECT name FROM groups WHERE slug = 'beta'"));
        Assert.Equal("Garden (target)", await target.ScalarAsync("SELECT name FROM places WHERE name LIKE 'Garden%'"));
        // The import was recorded: every row it compared now has a version 2 digest. Identities (users) are never
        // compared, so nothing reads their source digests: they keep theirs.
        var users = await target.ScalarAsync("SELECT COUNT(*) FROM ferry_ledger_rows WHERE table_name = 'users'");
        Assert.Equal(users, await target.ScalarAsync(Version1Rows));
        Assert.Equal((recorded - long.Parse(users!, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            await target.ScalarAsync(Version2Rows));

        // And compares as version 2 from now on: nothing changed, then a source edit on a row the target changed is a conflict.
        Assert.True((await Move.UpdateAsync(target, archive)).NothingChanged);
        await source.ExecuteAsync("UPDATE places SET name = 'Garden (source)' WHERE name = 'Garden'");
        var again = await Assert.ThrowsAsync<ConflictException>(async () => await Move.UpdateAsync(target, await Move.ExportAsync(source)));
        Assert.Equal([("places", "changed")], again.Report.Conflicts.Select(c => (c.Table, c.Kind)));

        // --sync compares every row (what was compared did not vanish): an activity deleted at the source goes, with
        // its participants, and the rest stays.
        await source.ExecuteAsync("UPDATE places SET name = 'Garden' WHERE name = 'Garden (source)'");
        await source.ExecuteAsync("DELETE FROM activity_participants WHERE activity_id = 1");
        await source.ExecuteAsync("DELETE FROM activities WHERE id = 1");
        var synced = await Move.UpdateAsync(target, await Move.ExportAsync(source), Prefer.Target, sync: true);
        Assert.Equal((0L, 0L, 3L), (synced.Inserted, synced.Updated, synced.Deleted));
        Assert.Equal("0", await target.ScalarAsync("SELECT COUNT(*) FROM activities WHERE title LIKE 'Potluck%'"));
        Assert.True((await Move.UpdateAsync(target, await Move.ExportAsync(source), sync: true)).NothingChanged);
    }

    private static async Task<ImportReport> ImportVersion1Async(TestDb target, byte[] archive)
    {
        var options = new ImportOptions(target.ConnectionString, [MatchRule.Parse("users:email")], false, () => Move.Password.ToCharArray());
        // Internal, for this test only: the ledger as Ferry wrote it before version 2.
        typeof(ImportOptions).GetProperty("SourceDigestVersion", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(options, 1);
        using var input = new MemoryStream(archive);
        return await new Importer(Move.Engines.Create(target.ConnectionString), Reporting.SilentProgress.Instance).ImportAsync(options, input, CancellationToken.None);
    }
}
