using Ferry.Archive;

namespace Ferry.Import;

// The manifest as the target sees it: every name that the manifest holds, renamed consistently.
internal sealed partial class TransformPlan
{
    private sealed partial class Simulation
    {
        public TransformPlan Plan()
        {
            var tables = _tables.Select(t => new StagedTable(
                t.Read,
                t.Columns.Where(c => c.Read is not null).Select(c => c.Staging()).ToList(),
                t.Columns.Select(c => c.Staging()).ToList())).ToList();
            var view = manifest with
            {
                Root = manifest.Root with { Table = ByArchiveName(manifest.Root.Table)?.Name ?? manifest.Root.Table },
                Tables = _tables.Select(ViewOf).ToList(),
                CycleBreaks = manifest.CycleBreaks.Select(Rename).OfType<ManifestForeignKey>().ToList(),
            };
            return new TransformPlan { View = view, Tables = tables, Updates = _planned };
        }

        private ManifestTable ViewOf(TableState table) => table.Read with
        {
            Name = table.Name,
            Columns = table.Columns.Where(c => !c.Dropped).Select(c => c.Staging()).ToList(),
            PrimaryKey = table.Read.PrimaryKey.Select(k => table.Of(k).Name).ToList(),
            ForeignKeys = table.Read.ForeignKeys.Select(Rename).OfType<ManifestForeignKey>().ToList(),
            Uniques = table.Read.Uniques
                .Where(u => u.Columns.All(c => !table.Of(c).Dropped))
                .Select(u => u with { Columns = u.Columns.Select(c => table.Of(c).Name).ToList() })
                .ToList(),
        };

        // A key with a dropped column is gone with it; the type column of a polymorphic key is
        // still staged, so it only follows renames.
        private ManifestForeignKey? Rename(ManifestForeignKey key)
        {
            if (ByArchiveName(key.Table) is not { } from)
            {
                return key;
            }
            var to = ByArchiveName(key.RefTable);
            var columns = key.Columns.Select(from.Of).ToList();
            var refColumns = to is null ? null : key.RefColumns.Select(to.Of).ToList();
            if (columns.Any(c => c.Dropped) || refColumns?.Any(c => c.Dropped) == true)
            {
                return null;
            }
            return key with
            {
                Table = from.Name,
                Columns = columns.Select(c => c.Name).ToList(),
                RefTable = to?.Name ?? key.RefTable,
                RefColumns = refColumns?.Select(c => c.Name).ToList() ?? key.RefColumns,
                Reference = key.Reference is { TypeColumn: { } type } reference
                    ? reference with { TypeColumn = from.Of(type).Name }
                    : key.Reference,
            };
        }

        private TableState? ByArchiveName(string name) => _tables.FirstOrDefault(t => t.Read.Name == name);
    }
}
