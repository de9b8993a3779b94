using Ferry.Engines;

namespace Ferry.Import;

// Issue 16's incremental archives: every import records the export it came from (export_id, complete_before), so that an
// incremental archive is imported only into a target holding its base. Ledgers created before have neither column: they
// are added on first use (docs/reimport.md), as every other change of the ledger's layout (Upgrade).
internal static partial class Ledger
{
    /// <summary>The columns of <see cref="Imports"/> added for incremental archives; NULL for imports of archives without an export id.</summary>
    public static readonly IReadOnlyList<string> ExportColumns = ["export_id", "complete_before"];

    /// <summary>True when the ledger's imports table (if any) lacks <see cref="ExportColumns"/> (a ledger of an earlier Ferry).</summary>
    public static bool LacksExportColumns(Schema.DatabaseSchema schema) =>
        schema.Find(Imports) is { } imports && ExportColumns.Any(c => imports.FindColumn(c) is null);

    /// <summary>Adds the missing <see cref="ExportColumns"/> to the imports table (nullable: earlier imports have none).</summary>
    public static IReadOnlyList<string> AddExportColumns(ISqlDialect d, Schema.DatabaseSchema schema) =>
        ExportColumns.Where(c => schema.Find(Imports)!.FindColumn(c) is null)
            .Select(c => $"ALTER TABLE {d.Table(Imports)} ADD COLUMN {d.Quote(c)} {d.TextType(null)}")
            .ToList();

    /// <summary>The export id and snapshot time (text) of every import of tenant <c>@tenant</c>.</summary>
    public static string ExportsOf(ISqlDialect d) => $"SELECT export_id, complete_before FROM {d.Table(Imports)} WHERE tenant = @tenant";

    /// <summary>
    /// What brings the ledger of an earlier Ferry to this one's layout: the imports' export columns
    /// (<see cref="AddExportColumns"/>), the rows' tenant numbers (<see cref="NumberTenants"/>); empty for a ledger of this
    /// Ferry or none.
    /// </summary>
    public static IReadOnlyList<string> Upgrade(ISqlDialect d, Schema.DatabaseSchema schema) =>
    [
        .. LacksExportColumns(schema) ? AddExportColumns(d, schema) : [],
        .. LacksTenantNumbers(schema) ? NumberTenants(d) : [],
    ];
}
