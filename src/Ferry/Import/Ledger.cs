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
    /// One row per imported row: tenant (by its number, <see cref="TenantNumber"/>), table, source key → target key, the digest of the row as the target held it
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
    /// A tenant's number in this target's ledger: the number of its first import there (the smallest <c>import_no</c> of
    /// its rows in <see cref="Imports"/>, which only <c>ferry forget</c> removes, all at once). <see cref="Rows"/> holds it
    /// instead of the 64-hex-digit id, which led every key of its primary key: SQLite's lookups of 1,000,000 ledger rows
    /// 1.5–1.7 s with the id, 1.1–1.3 s with a number, and a ledger a third smaller. Ledgers written before it existed
    /// hold the id in a column <c>tenant</c> and are rewritten on first use (<see cref="NumberTenants"/>).
    /// </summary>
    public const string TenantNumber = "tenant_no";

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
            CreateRows(d, Rows, ifNotExists: true),
        ];
    }

    private static string CreateRows(ISqlDialect d, string name, bool ifNotExists) =>
        $"CREATE TABLE {(ifNotExists ? "IF NOT EXISTS " : "")}{d.Table(name)} ({TenantNumber} BIGINT NOT NULL, table_name {d.TextType(64)} NOT NULL, " +
        $"source_key {d.TextType(MaxKeyText)} NOT NULL, target_key {d.TextType(null)} NOT NULL, digest {d.TextType(null)} NOT NULL, " +
        $"source_digest {d.TextType(null)} NOT NULL, import_no BIGINT NOT NULL, PRIMARY KEY ({TenantNumber}, table_name, source_key))";

    /// <summary>True when the target's ledger rows name their tenant by its id rather than its number (a ledger of an earlier Ferry).</summary>
    public static bool LacksTenantNumbers(Schema.DatabaseSchema schema) =>
        schema.Find(Rows) is { } rows && rows.FindColumn(TenantNumber) is null;

    /// <summary>
    /// Rewrites the rows of a ledger of an earlier Ferry with tenant numbers (<see cref="TenantNumber"/>): into a new
    /// table, which then takes the old one's name. Where DDL commits (MariaDB) each statement is safe to stop after: the
    /// old table stays whole until one <c>RENAME TABLE</c> swaps both, and a new table left by a stopped run is dropped
    /// and written again; at worst <c>ferry_ledger_rows_v1</c> is left behind, a copy no one reads.
    /// </summary>
    public static IReadOnlyList<string> NumberTenants(ISqlDialect d)
    {
        const string Numbered = Rows + "_v2", Old = Rows + "_v1";
        var columns = "table_name, source_key, target_key, digest, source_digest, import_no";
        return
        [
            $"DROP TABLE IF EXISTS {d.Table(Numbered)}",
            CreateRows(d, Numbered, ifNotExists: false),
            $"INSERT INTO {d.Table(Numbered)} ({TenantNumber}, {columns}) SELECT f.first_import, {string.Join(", ", columns.Split(", ").Select(c => $"r.{c}"))} " +
            $"FROM {d.Table(Rows)} r JOIN (SELECT tenant, MIN(import_no) AS first_import FROM {d.Table(Imports)} GROUP BY tenant) f ON f.tenant = r.tenant",
            .. d.RenameTables([(Rows, Old), (Numbered, Rows)]),
            $"DROP TABLE {d.Table(Old)}",
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
    /// source, root table, root keys, when imported, and how many rows the tenant has in the ledger. With
    /// <paramref name="numbered"/> false, of a ledger whose rows still name their tenant by its id (<see cref="LacksTenantNumbers"/>).
    /// </summary>
    public static string ListImports(ISqlDialect d, bool numbered = true) =>
        $"SELECT i.tenant, i.import_no, i.source, i.root_table, i.root_keys, i.imported_at, " +
        $"(SELECT COUNT(*) FROM {d.Table(Rows)} r WHERE {(numbered ? $"r.{TenantNumber} IN (SELECT f.import_no FROM {d.Table(Imports)} f WHERE f.tenant = i.tenant)" : "r.tenant = i.tenant")}) " +
        $"FROM {d.Table(Imports)} i WHERE substr(i.tenant, 1, length(@prefix)) = @prefix ORDER BY i.import_no";

    /// <summary>How many imports tenant <c>@tenant</c> has, and its number (<see cref="TenantNumber"/>; 0 without imports).</summary>
    public static string ImportsOf(ISqlDialect d) => $"SELECT COUNT(*), COALESCE(MIN(import_no), 0) FROM {d.Table(Imports)} WHERE tenant = @tenant";

    /// <summary>
    /// Removes one tenant (<c>@tenant</c>) from the ledger: its rows (under any of its import numbers), then its imports.
    /// <paramref name="numbered"/> as in <see cref="ListImports"/>.
    /// </summary>
    public static IReadOnlyList<string> Forget(ISqlDialect d, bool numbered = true) =>
    [
        $"DELETE FROM {d.Table(Rows)} WHERE {(numbered ? $"{TenantNumber} IN (SELECT import_no FROM {d.Table(Imports)} WHERE tenant = @tenant)" : "tenant = @tenant")}",
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
