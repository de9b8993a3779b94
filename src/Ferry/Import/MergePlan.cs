using Ferry.Archive;
using Ferry.Planning;
using Ferry.Schema;

namespace Ferry.Import;

/// <summary>How the rows of one archive table land in its target table.</summary>
internal sealed partial class TableMerge
{
    public required int Index { get; init; }

    public required ManifestTable Archive { get; init; }

    public required Table Target { get; init; }

    /// <summary>
    /// Rules that map incoming rows to existing target rows, applied in order (the identity first,
    /// then conflict rules with <c>reuse</c>); a row matched by one is not tried by the next.
    /// </summary>
    public List<MatchRule> Matches { get; } = [];

    /// <summary>The natural-key identity rule (<c>--match</c> or a profile identity), if any.</summary>
    public MatchRule? Match => Matches.FirstOrDefault(m => !m.Reuse);

    /// <summary>True when unmatched rows are inserted as placeholders (natural key, profile values, defaults).</summary>
    public bool Placeholders => Match?.Missing == Profiles.MissingIdentity.Placeholder;

    /// <summary>
    /// Unique keys of a table without a key map (composite or no primary key) whose <c>reuse</c>
    /// rule skips incoming rows that collide with an existing row: the existing row stands for them.
    /// </summary>
    public List<UniqueKey> Skips { get; } = [];

    /// <summary>
    /// True under <c>--update</c> for a table the ledger records (<see cref="MergeSql.InLedger"/>): staged rows the
    /// ledger maps to an existing target row (map rows with <c>matched = 2</c>), or, without a key map, whose key
    /// the target already holds, are compared and updated rather than inserted.
    /// </summary>
    public bool Updating { get; set; }

    /// <summary>
    /// The staging column that holds each row's source digest (<see cref="SourceRowDigest"/>), computed while it is
    /// staged; null when the import records no ledger row of the table.
    /// </summary>
    public string? DigestColumn { get; private set; }

    /// <summary>Stages a source digest per row, in a column whose name no staged column has.</summary>
    public void StageDigests()
    {
        var name = "ferry_source_digest";
        while (StageColumns.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            name += "_";
        }
        DigestColumn = name;
    }

    /// <summary>The rows staged from the archive (its key rows apart), once staged; counted again after a profile's <c>sql</c> transform that names the table.</summary>
    public long Staged { get; set; }

    /// <summary>True once an <c>--update</c> compared the existing rows (its comparison table lists those it writes or records).</summary>
    public bool Compared { get; set; }

    /// <summary>True once an <c>--update</c> listed the staged rows of a table without a key map that the target does not hold (<see cref="MergeSql.FillNew"/>).</summary>
    public bool NewListed { get; set; }

    /// <summary>
    /// Under <c>--update</c>, the rows the table's insert will write, once counted (after the comparison; the count
    /// holds until the table's own insert, the only statement that changes it).
    /// </summary>
    public long? RowsToInsert { get; set; }

    /// <summary>For identities whose key is taken through another table: that table's merge (its staged rows hold the incoming keys).</summary>
    public Dictionary<MatchRule, TableMerge> Through { get; } = [];

    /// <summary>Conflict rules with <c>rename</c>: the colliding rows get <c>Pattern</c> in <c>Column</c>.</summary>
    public List<ConflictRename> Renames { get; } = [];

    /// <summary>
    /// Positions in the primary key of the columns that get fresh ids (for unmatched rows, when
    /// matched): a single integer key that is not a reference; in a composite key, every integer
    /// column that is not a reference and that a sequence or identity of the target feeds.
    /// </summary>
    public IReadOnlyList<int> Allocated { get; init; } = [];

    /// <summary>True when some column of the primary key gets fresh ids.</summary>
    public bool Allocates => Allocated.Count > 0;

    /// <summary>True when an old→new key map table is built for this table.</summary>
    public bool HasMap => Matches.Count > 0 || Allocates;

    public string Stage => $"ferry_stage_{Index}";

    public string Map => $"ferry_map_{Index}";

    /// <summary>Per column: the foreign key whose parent map gives its new value.</summary>
    public Dictionary<string, Remap> Remapped { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Profile relations whose keys are rewritten in the staged rows once every map exists
    /// (polymorphic, array and JSON references), with the map of the table they point into.
    /// </summary>
    public List<(ManifestForeignKey Key, TableMerge Parent)> Rewrites { get; } = [];

    /// <summary>
    /// True when statements pair the staged rows with values computed from them (a profile's <c>fill</c>, documents
    /// rewritten by Ferry): the stage is then created with the dialect's <see cref="Engines.ISqlDialect.StageRowColumn"/>.
    /// </summary>
    public bool NumberedRows { get; set; }

    /// <summary>
    /// Columns written NULL first and updated after every table is written: the nullable columns of the
    /// target's foreign keys into a table written later (a cycle break).
    /// </summary>
    public HashSet<string> Deferred { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The target's DEFERRABLE foreign keys into a table written later that are NOT NULL: written with
    /// their new values while the database checks them at the end of the transaction.
    /// </summary>
    public List<ForeignKey> DeferredKeys { get; } = [];

    /// <summary>
    /// The target's NOT NULL foreign keys that are not DEFERRABLE into a table written later (a cycle break), or, in a
    /// table whose ids its insert draws, into its own rows: written while the target does not check them (the
    /// dialect's <see cref="Engines.ISqlDialect.ForeignKeyChecks"/>, or <c>--exclusive</c>), and checked before the commit.
    /// </summary>
    public List<ForeignKey> UncheckedKeys { get; } = [];

    /// <summary>
    /// NOT NULL columns written, when the rows are inserted, with the value their key map holds then, and set again
    /// once every row exists: references into a table whose ids its insert draws that the rows are written before
    /// (its map holds the provisional ids until that table is written).
    /// </summary>
    public HashSet<string> Refreshed { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// True once the insert of this table, whose ids it draws, drew for every row the provisional id its key map held:
    /// the references written with them (<see cref="Refreshed"/>) need not be set again.
    /// </summary>
    public bool DrawnAsProvisional { get; set; }

    /// <summary>
    /// When the table's rows are written, among the archive's tables: after the tables the target's
    /// foreign keys say it points at, except through <see cref="Deferred"/>, <see cref="DeferredKeys"/> and
    /// <see cref="UncheckedKeys"/>.
    /// </summary>
    public int WritePosition { get; set; }

    /// <summary>Archive columns in archive order (all exist in the target).</summary>
    public IEnumerable<ManifestColumn> Columns => Archive.Columns;

    public ManifestColumn ArchiveColumn(string name) => Archive.Columns.First(c => c.Name == name);
}

/// <summary>A column whose new value comes from the map of the table its foreign key points at.</summary>
/// <param name="Position">The column's position in the foreign key.</param>
/// <param name="Slots">For each column of the foreign key, the position in the parent's primary key of the
/// column it references: the parent map's <c>o</c>/<c>n</c> columns to join and read.</param>
internal sealed record Remap(ManifestForeignKey Key, TableMerge Parent, int Position, IReadOnlyList<int> Slots)
{
    /// <summary>The parent map's column that holds this column's new value (<c>n</c>N).</summary>
    public int Slot => Slots[Position];

    /// <summary>
    /// The parent's fresh column (<see cref="TableMerge.Fresh"/>) this column references, whose value map gives
    /// its new value (<see cref="Slots"/> empty); null when the parent's key map does.
    /// </summary>
    public string? Fresh { get; init; }
}

/// <summary>
/// Pure: checks that the archive fits the target schema (reporting every mismatch at once) and
/// decides, per table, which keys are allocated, matched or kept and how foreign keys are remapped.
/// </summary>
internal static partial class MergePlan
{
    /// <param name="profile">Gives the conflict rules (<c>reuse</c>, <c>rename</c>), checked against the target before; null: none.</param>
    /// <param name="drawnKey">For a target whose inserts draw ids (<see cref="MergeSql.DrawnKey"/>): the position of a table's
    /// key column whose ids its insert draws, or null; null when the target draws none.</param>
    public static IReadOnlyList<TableMerge> Build(
        Manifest manifest, DatabaseSchema target, IReadOnlyList<MatchRule> match, Profiles.Profile? profile = null,
        Func<TableMerge, int?>? drawnKey = null)
    {
        var problems = new List<string>();
        var missingTables = manifest.Tables.Where(t => target.Find(t.Name) is null).Select(t => t.Name).ToList();
        if (missingTables.Count > 0)
        {
            problems.Add($"table(s) missing in the target: {string.Join(", ", missingTables)}");
        }
        var missingColumns = manifest.Tables
            .Where(t => target.Find(t.Name) is not null)
            .SelectMany(t => t.Columns.Where(c => target.Get(t.Name).FindColumn(c.Name) is null).Select(c => $"{t.Name}.{c.Name}"))
            .ToList();
        if (missingColumns.Count > 0)
        {
            problems.Add($"column(s) missing in the target: {string.Join(", ", missingColumns)}");
        }
        var unfillable = manifest.Tables
            .Where(t => target.Find(t.Name) is not null)
            .SelectMany(t => target.Get(t.Name).Columns
                .Where(c => !c.CanBeOmitted && t.Columns.All(a => a.Name != c.Name))
                .Select(c => $"{t.Name}.{c.Name}"))
            .ToList();
        if (unfillable.Count > 0)
        {
            problems.Add($"target column(s) NOT NULL without a default and absent from the archive: {string.Join(", ", unfillable)}");
        }
        foreach (var table in manifest.Tables.Where(t => target.Find(t.Name) is { } tt && !tt.PrimaryKey.SequenceEqual(t.PrimaryKey)))
        {
            problems.Add($"table {table.Name}: primary key ({string.Join(", ", table.PrimaryKey)}) differs in the target ({string.Join(", ", target.Get(table.Name).PrimaryKey)})");
        }
        problems.AddRange(CheckMatchRules(manifest, target, match));
        if (problems.Count > 0)
        {
            throw new FerryException($"the archive does not fit the target: {string.Join("; ", problems)}");
        }

        var merges = new List<TableMerge>();
        var byName = new Dictionary<string, TableMerge>(StringComparer.Ordinal);
        foreach (var (table, i) in manifest.Tables.Select((t, i) => (t, i + 1)))
        {
            var merge = new TableMerge
            {
                Index = i,
                Archive = table,
                Target = target.Get(table.Name),
                Allocated = AllocatedColumns(table, target.Get(table.Name)),
            };
            merge.Matches.AddRange(match.Where(m => m.Table == table.Name));
            merge.Fresh = FreshColumns(table, merge.Target, merge.Matches);
            merges.Add(merge);
            byName[table.Name] = merge;
        }
        foreach (var merge in merges)
        {
            foreach (var rule in merge.Matches.Where(r => r.Through is not null))
            {
                merge.Through[rule] = byName[rule.Through!.Table];
            }
        }
        problems.AddRange(ApplyConflictRules(merges, profile));
        foreach (var merge in merges)
        {
            foreach (var key in merge.Archive.ForeignKeys)
            {
                if (!byName.TryGetValue(key.RefTable, out var parent) || RemapToFresh(merge, key, parent, problems) || !parent.HasMap)
                {
                    continue;
                }
                if (!key.IsPlain)
                {
                    if (key.RefColumns.SequenceEqual(parent.Archive.PrimaryKey))
                    {
                        merge.Rewrites.Add((key, parent));
                    }
                    continue;
                }
                if (Slots(key, parent) is not { } slots)
                {
                    // A key into columns that get fresh ids, which the map cannot give back one per value: its
                    // rows would keep ids that now belong to other rows.
                    var fresh = parent.Allocated.Select(j => parent.Archive.PrimaryKey[j]).Where(key.RefColumns.Contains).ToList();
                    if (fresh.Count > 0)
                    {
                        problems.Add($"{merge.Archive.Name}.{string.Join('+', key.Columns)} references {parent.Archive.Name}.{string.Join('+', key.RefColumns)}, " +
                                     $"and {parent.Archive.Name}.{string.Join('+', fresh)} gets fresh ids, but the target holds no unique key on exactly the " +
                                     $"referenced columns within the primary key, so the references cannot follow them (reference the primary key, " +
                                     $"or make {parent.Archive.Name}.{string.Join('+', key.RefColumns)} unique in the target)");
                    }
                    continue;
                }
                foreach (var (column, position) in key.Columns.Select((c, p) => (c, p)))
                {
                    merge.Remapped.TryAdd(column, new Remap(key, parent, position, slots));
                }
            }
        }
        problems.AddRange(CheckMatchOrder(merges));
        problems.AddRange(CheckPlaceholders(merges));
        if (problems.Count > 0)
        {
            throw new FerryException($"the archive does not fit the target: {string.Join("; ", problems)}");
        }
        WriteOrder(merges, drawnKey);
        return merges;
    }

    /// <summary>
    /// The order tables are written in, from the target's own foreign keys (the archive's load order
    /// follows the source's, which may differ: a key the source does not declare, one DEFERRABLE in one
    /// and not the other). A cycle is broken like the export's: a nullable key is written NULL and
    /// updated once every row exists, a DEFERRABLE NOT NULL one is deferred, any other NOT NULL one is written while
    /// the target does not check it (<see cref="TableMerge.UncheckedKeys"/>; whether the target can is the importer's
    /// question), both checked before the commit.
    /// A relation the target does not enforce (a profile relation) is written with its new key straight
    /// away: every key map exists before the first row is written. Except into a table whose ids its insert draws
    /// (<paramref name="drawnKey"/>: MariaDB's AUTO_INCREMENT), whose new keys are known only once its rows are
    /// written: such a relation orders the writes like a foreign key (<see cref="DrawnRelations"/>).
    /// </summary>
    private static void WriteOrder(IReadOnlyList<TableMerge> merges, Func<TableMerge, int?>? drawnKey)
    {
        var byName = merges.ToDictionary(m => m.Target.Name, StringComparer.Ordinal);
        var keys = merges.SelectMany(m =>
        {
            var written = MergeSql.InsertColumns(m).ToHashSet(StringComparer.Ordinal);
            return m.Target.ForeignKeys.Where(k => byName.ContainsKey(k.RefTable) && k.Columns.Any(written.Contains));
        }).ToList();
        var relations = DrawnRelations(merges, drawnKey, keys).ToList();
        keys.AddRange(relations);
        var order = LoadOrder.Compute(byName.Keys, keys);
        foreach (var (name, position) in order.Tables.Select((t, i) => (t, i)))
        {
            byName[name].WritePosition = position;
        }
        foreach (var key in order.CycleBreaks)
        {
            var merge = byName[key.Table];
            var written = key.Columns.Where(MergeSql.InsertColumns(merge).Contains).ToList();
            if (key.Nullable)
            {
                merge.Deferred.UnionWith(written);
                continue;
            }
            // A NOT NULL key into a table whose ids its insert draws holds that table's provisional ids until it is written.
            if (drawnKey is not null && merge.Remapped.TryGetValue(key.Columns[0], out var remap) && remap.Fresh is null
                && drawnKey(remap.Parent) is { } drawn && remap.Slots.Contains(drawn))
            {
                merge.Refreshed.UnionWith(written);
            }
            if (relations.Any(r => ReferenceEquals(r, key)))
            {
                continue; // a relation no constraint checks
            }
            (LoadOrder.Breakable(key) ? merge.DeferredKeys : merge.UncheckedKeys).Add(key);
        }
    }

    /// <summary>
    /// The references, written from a key map, into another table's key column whose ids that table's insert draws,
    /// that no foreign key of the target among <paramref name="declared"/> orders already (profile relations): as
    /// foreign keys of the target, nullable as their columns, so that the referenced table is written first, or, in a
    /// cycle, the nullable ones are written NULL and set once every row exists. A table's references to its own rows
    /// are left to <see cref="Importer.DeferSelfReferences"/>.
    /// </summary>
    private static IEnumerable<ForeignKey> DrawnRelations(IReadOnlyList<TableMerge> merges, Func<TableMerge, int?>? drawnKey, List<ForeignKey> declared)
    {
        if (drawnKey is null)
        {
            yield break;
        }
        foreach (var merge in merges)
        {
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            foreach (var remap in merge.Remapped.Values.Where(r => r.Fresh is null && !ReferenceEquals(r.Parent, merge)).DistinctBy(r => r.Key))
            {
                var key = remap.Key;
                if (drawnKey(remap.Parent) is not { } drawn || !remap.Slots.Contains(drawn) || !key.Columns.Any(written.Contains)
                    || declared.Any(k => k.Table == merge.Target.Name && k.RefTable == remap.Parent.Target.Name && k.Columns.SequenceEqual(key.Columns)))
                {
                    continue;
                }
                yield return new ForeignKey($"relation {merge.Target.Name}.{string.Join('+', key.Columns)}", merge.Target.Name, key.Columns,
                    remap.Parent.Target.Name, key.RefColumns, key.Columns.Any(c => merge.Target.GetColumn(c).Nullable));
            }
        }
    }

    // The columns of a table's primary key that get fresh ids (see TableMerge.Allocated).
    private static List<int> AllocatedColumns(ManifestTable table, Table target)
    {
        var references = table.ForeignKeys.SelectMany(f => f.Columns).ToHashSet(StringComparer.Ordinal);
        bool Fresh(string column) => table.Columns.First(c => c.Name == column).Type == FerryType.Int && !references.Contains(column);
        var key = table.PrimaryKey;
        if (key.Count == 1)
        {
            return Fresh(key[0]) ? [0] : [];
        }
        return key.Select((column, i) => (column, i))
            .Where(k => Fresh(k.column) && target.FindColumn(k.column) is { } c && (c.Sequence is not null || c.IsAutoIncrement))
            .Select(k => k.i)
            .ToList();
    }

    /// <summary>
    /// Where a key's referenced columns sit in the parent's primary key (its map's columns), or null
    /// when the map cannot give their new values: a column outside the primary key, or part of it that
    /// the target does not hold unique by itself (a map row per referenced value is needed).
    /// </summary>
    private static List<int>? Slots(ManifestForeignKey key, TableMerge parent)
    {
        var primaryKey = parent.Archive.PrimaryKey;
        var slots = key.RefColumns.Select(c => primaryKey.ToList().IndexOf(c)).ToList();
        if (slots.Any(s => s < 0) || slots.Distinct().Count() != slots.Count)
        {
            return null;
        }
        var unique = slots.Count == primaryKey.Count
            || parent.Target.Uniques.Any(u => u.Columns.Count == key.RefColumns.Count && u.Columns.All(key.RefColumns.Contains));
        return unique ? slots : null;
    }

    private static IEnumerable<string> CheckMatchRules(Manifest manifest, DatabaseSchema target, IReadOnlyList<MatchRule> match)
    {
        foreach (var rule in match)
        {
            var table = manifest.Tables.FirstOrDefault(t => t.Name == rule.Table);
            if (table is null)
            {
                yield return $"{rule.Origin}: the archive has no table {rule.Table}";
                continue;
            }
            if (table.PrimaryKey.Count != 1)
            {
                yield return $"{rule.Origin}: {rule.Table} needs a single-column primary key to be matched";
            }
            var holder = rule.Through?.Table ?? rule.Table;
            var holderTable = manifest.Tables.FirstOrDefault(t => t.Name == holder);
            if (holderTable is null)
            {
                yield return $"{rule.Origin}: the key is taken through {holder}, but the archive has no {holder} table: " +
                             $"export its rows with {rule.Table} (a relation that owns them, or --follow)";
                continue;
            }
            foreach (var column in rule.Columns.Append(rule.Through?.Column).OfType<string>()
                         .Where(c => holderTable.Columns.All(a => a.Name != c) || target.Find(holder)?.FindColumn(c) is null))
            {
                yield return $"{rule.Origin}: {holder}.{column} is not a column of both the archive and the target";
            }
        }
    }
}
