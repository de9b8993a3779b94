using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ferry.Archive;
using Ferry.Engines;

namespace Ferry.Import;

/// <summary>
/// The target's record of what imports brought (<c>docs/reimport.md</c>): one row per import in
/// <see cref="Imports"/>, and per imported row its source key, target key and digest in <see cref="Rows"/>.
/// Pure: names, the tenant's id and SQL text; the importer and <c>ferry forget</c> run it.
/// </summary>
internal static partial class Ledger
{
    /// <summary>One row per committed import: which tenant, from where, when.</summary>
    public const string Imports = "ferry_ledger_imports";

    /// <summary>
    /// One row per imported row: tenant, table, source key → target key, the digest of the row as the target held it
    /// after the import that last wrote it (<c>digest</c>), and the digest of the row as the archive gave it
    /// (<c>source_digest</c>): an <c>--update</c> compares the first with the target's row now (changed in the target?),
    /// the second with the new archive's row (changed at the source?).
    /// </summary>
    public const string Rows = "ferry_ledger_rows";

    /// <summary>The length of a tenant id as people see it (the full id is 64 hex digits).</summary>
    public const int ShortId = 12;

    /// <summary>
    /// The tenant an archive holds, as the ledger names it: SHA-256 (hex) of the JSON array
    /// <c>[instance, root table, root ids in ordinal order without repeats]</c>, where the instance is
    /// <c>source.instance</c>, or <c>source.database</c> in archives written before it existed.
    /// </summary>
    public static string TenantId(Manifest manifest) => TenantId(SourceOf(manifest), manifest.Root.Table, manifest.Root.Ids);

    /// <summary>See <see cref="TenantId(Manifest)"/>.</summary>
    public static string TenantId(string instance, string rootTable, IReadOnlyList<string> ids)
    {
        var parts = new List<string> { instance, rootTable };
        parts.AddRange(ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(parts))));
    }

    /// <summary>The source instance the ledger records for an archive.</summary>
    public static string SourceOf(Manifest manifest) => manifest.Source.Instance ?? manifest.Source.Database;

    /// <summary>The root ids as the ledger records them: a JSON array of strings.</summary>
    public static string RootKeys(Manifest manifest) => JsonSerializer.Serialize(manifest.Root.Ids);

    /// <summary>The longest source key (as <see cref="Tuple"/> spells it) the ledger holds where keys must be bounded (MariaDB).</summary>
    public const int MaxKeyText = 600;

    /// <summary>
    /// Creates both tables where they do not exist yet (first use); the same DDL on every engine but for the text
    /// type of the key columns (<see cref="ISqlDialect.TextType"/>: MariaDB keys hold 3072 bytes).
    /// </summary>
    public static IReadOnlyList<string> Create(ISqlDialect d)
    {
        var text = d.TextType(null);
        return
        [
            $"CREATE TABLE IF NOT EXISTS {d.Table(Imports)} (import_no BIGINT NOT NULL PRIMARY KEY, tenant {text} NOT NULL, " +
            $"source {text} NOT NULL, root_table {text} NOT NULL, root_keys {text} NOT NULL, exported_at {text} NOT NULL, " +
            $"imported_at {text} NOT NULL, tool {text} NOT NULL, export_id {text}, complete_before {text})",
            $"CREATE TABLE IF NOT EXISTS {d.Table(Rows)} (tenant {d.TextType(64)} NOT NULL, table_name {d.TextType(64)} NOT NULL, source_key {d.TextType(MaxKeyText)} NOT NULL, " +
            $"target_key {text} NOT NULL, digest {text} NOT NULL, source_digest {text} NOT NULL, import_no BIGINT NOT NULL, " +
            "PRIMARY KEY (tenant, table_name, source_key))",
        ];
    }

    /// <summary>The next import's number (under the import's write lock).</summary>
    public static string NextImport(ISqlDialect d) => $"SELECT COALESCE(MAX(import_no), 0) + 1 FROM {d.Table(Imports)}";

    /// <summary>Records an import; parameters <c>@no @tenant @source @root_table @root_keys @exported_at @imported_at @tool @export_id @complete_before</c>.</summary>
    public static string RecordImport(ISqlDialect d) =>
        $"INSERT INTO {d.Table(Imports)} (import_no, tenant, source, root_table, root_keys, exported_at, imported_at, tool, export_id, complete_before) " +
        "VALUES (@no, @tenant, @source, @root_table, @root_keys, @exported_at, @imported_at, @tool, @export_id, @complete_before)";

    /// <summary>
    /// The imports of tenants whose id starts with <c>@prefix</c> (all when empty), newest last: tenant, import number,
    /// source, root table, root keys, when imported, and how many rows the tenant has in the ledger.
    /// </summary>
    public static string ListImports(ISqlDialect d) =>
        $"SELECT i.tenant, i.import_no, i.source, i.root_table, i.root_keys, i.imported_at, " +
        $"(SELECT COUNT(*) FROM {d.Table(Rows)} r WHERE r.tenant = i.tenant) FROM {d.Table(Imports)} i " +
        "WHERE substr(i.tenant, 1, length(@prefix)) = @prefix ORDER BY i.import_no";

    /// <summary>Removes one tenant (<c>@tenant</c>) from the ledger: its rows, then its imports.</summary>
    public static IReadOnlyList<string> Forget(ISqlDialect d) =>
    [
        $"DELETE FROM {d.Table(Rows)} WHERE tenant = @tenant",
        $"DELETE FROM {d.Table(Imports)} WHERE tenant = @tenant",
    ];

    /// <summary>How many imports the ledger still records.</summary>
    public static string CountImports(ISqlDialect d) => $"SELECT COUNT(*) FROM {d.Table(Imports)}";

    /// <summary>Drops both tables (once no tenant is left, so that the target's schema is as it was before Ferry).</summary>
    public static IReadOnlyList<string> Drop(ISqlDialect d) => [$"DROP TABLE {d.Table(Rows)}", $"DROP TABLE {d.Table(Imports)}"];

    /// <summary>See <see cref="RowDigestText.Tuple"/>.</summary>
    public static string Tuple(ISqlDialect d, IReadOnlyList<(string Expression, Schema.FerryType Type)> values, bool bare) =>
        RowDigestText.Tuple(d, values, bare);
}
