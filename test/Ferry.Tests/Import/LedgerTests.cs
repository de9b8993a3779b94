using Ferry.Archive;
using Ferry.Import;

namespace Ferry.Tests.Import;

public sealed class LedgerTests
{
    private static Manifest Archive(string database, string? instance, string root, params string[] ids) =>
        new(1, "ferry 0.1.0", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", database, instance), new ManifestRoot(root, ids), [], [], [], []);

    [Fact]
    public void A_tenant_is_its_source_instance_root_table_and_root_ids_in_any_order()
    {
        var id = Ledger.TenantId(Archive("sqlite:a.db", "sqlite:/srv/a.db", "groups", "2", "5"));
        Assert.Matches("^[0-9a-f]{64}$", id);
        // The same tenant: ids in another order or repeated, exported through another spelling of the same file.
        Assert.Equal(id, Ledger.TenantId(Archive("sqlite:///srv/a.db", "sqlite:/srv/a.db", "groups", "5", "2", "2")));
        // Another tenant: another instance, root table or set of ids.
        Assert.NotEqual(id, Ledger.TenantId(Archive("sqlite:a.db", "sqlite:/srv/b.db", "groups", "2", "5")));
        Assert.NotEqual(id, Ledger.TenantId(Archive("sqlite:a.db", "sqlite:/srv/a.db", "teams", "2", "5")));
        Assert.NotEqual(id, Ledger.TenantId(Archive("sqlite:a.db", "sqlite:/srv/a.db", "groups", "2")));
        // No separator games: the parts are a JSON array.
        Assert.NotEqual(Ledger.TenantId("a", "b,c", []), Ledger.TenantId("a,b", "c", []));
    }

    [Fact]
    public void An_archive_without_an_instance_is_named_by_its_database()
    {
        var old = Archive("sqlite:/srv/a.db", null, "groups", "2");
        Assert.Equal("sqlite:/srv/a.db", Ledger.SourceOf(old));
        Assert.Equal(Ledger.TenantId(Archive("x", "sqlite:/srv/a.db", "groups", "2")), Ledger.TenantId(old));
        Assert.Equal("[\"2\"]", Ledger.RootKeys(old));
    }

    [Fact]
    public void The_instance_is_written_to_the_manifest_and_read_back_and_older_manifests_still_read()
    {
        var manifest = Archive("sqlite:a.db", "sqlite:/srv/a.db", "groups", "2");
        var json = System.Text.Encoding.UTF8.GetString(ArchiveJson.SerializeManifest(manifest));
        Assert.Contains("\"instance\": \"sqlite:/srv/a.db\"", json, StringComparison.Ordinal);
        Assert.Equal("sqlite:/srv/a.db", ArchiveJson.DeserializeManifest(System.Text.Encoding.UTF8.GetBytes(json)).Source.Instance);
        var old = json.Replace(",\n    \"instance\": \"sqlite:/srv/a.db\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("instance", old, StringComparison.Ordinal);
        Assert.Null(ArchiveJson.DeserializeManifest(System.Text.Encoding.UTF8.GetBytes(old)).Source.Instance);
    }
}
