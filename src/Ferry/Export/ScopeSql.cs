using Ferry.Engines;
using Ferry.Planning;
using Ferry.Schema;

namespace Ferry.Export;

/// <summary>
/// Builds the SQL that computes a tenant's scope inside the source database: one temporary key
/// table per table in scope, filled from the root rows along foreign keys, driven from the key
/// tables so that the work follows the tenant's size. Pure: text only.
/// </summary>
internal sealed partial class ScopeSql
{
    /// <summary>The key column of a key table for a table without a primary key.</summary>
    public const string LocatorColumn = "ferry_loc";

    private readonly ISqlDialect _d;
    private readonly Dictionary<string, string> _keyTables;
    private readonly Dictionary<string, IReadOnlyList<string>> _carried;

    /// <summary>The scope SQL of <paramref name="plan"/>, whose key tables are <c>ferry_scope_1</c>, ... in load order.</summary>
    /// <remarks>
    /// Each key table also carries the columns its table's referenced edges read (<see cref="PullReferenced"/>: a
    /// message's author_id) and its foreign keys' (<see cref="CountCuts"/>), filled with the key, so that the
    /// referenced rows are found and the cuts counted from the key table alone (434,780 messages' authors on
    /// PostgreSQL: 1.10–1.27 s through the messages, 0.84–0.91 s from the key table).
    /// </remarks>
    public ScopeSql(ISqlDialect dialect, ExportPlan plan)
        : this(dialect, plan.Tables.Select((t, i) => (t.Name, $"ferry_scope_{i + 1}")), Carried(plan))
    {
    }

    /// <summary>The scope SQL over the given key tables (table name → key table name): the tables in scope.</summary>
    public ScopeSql(ISqlDialect dialect, IEnumerable<(string Table, string KeyTable)> keyTables)
        : this(dialect, keyTables, new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal))
    {
    }

    private ScopeSql(ISqlDialect dialect, IEnumerable<(string Table, string KeyTable)> keyTables, Dictionary<string, IReadOnlyList<string>> carried)
    {
        _d = dialect;
        _keyTables = keyTables.ToDictionary(x => x.Table, x => x.KeyTable, StringComparer.Ordinal);
        _carried = carried;
    }

    // Per table with a primary key, the columns beyond it that its foreign keys read from its rows (those its
    // referenced edges follow, and those whose cuts are counted: every one, CountCuts); a relation inside an array or a
    // document is read from the rows themselves.
    private static Dictionary<string, IReadOnlyList<string>> Carried(ExportPlan plan) =>
        plan.Tables.Select(t => t.Table).Where(t => t.PrimaryKey.Count > 0).ToDictionary(t => t.Name, t =>
            (IReadOnlyList<string>)t.ForeignKeys.Where(e => !HoldsElements(e))
                .SelectMany(e => e.Shape?.TypeColumn is { } type ? e.Columns.Append(type) : e.Columns)
                .Distinct(StringComparer.Ordinal)
                .Where(c => !t.PrimaryKey.Contains(c))
                .OrderBy(t.Columns.Select(x => x.Name).ToList().IndexOf)
                .ToList(), StringComparer.Ordinal);

    /// <summary>True when the table is in scope (has a key table).</summary>
    public bool InScope(string table) => _keyTables.ContainsKey(table);

    /// <summary>Refreshes the statistics of <paramref name="table"/>'s key table once rows were added; null when the engine needs none.</summary>
    public string? AnalyzeKeyTable(Table table) => _d.AnalyzeTemp(KeyTableName(table));

    /// <summary>Empties the key table of <paramref name="table"/> (a trial scope reuses its key tables).</summary>
    public string ClearKeyTable(Table table) => $"DELETE FROM {KeyTable(table)}";

    /// <summary>DDL of the key table of <paramref name="table"/>.</summary>
    public string CreateKeyTable(Table table)
    {
        return _d.CreateTempTable(KeyTableName(table), KeyColumns(table), table.PrimaryKey.Count > 0 ? table.PrimaryKey : [LocatorColumn]);
    }

    // The columns of a key table: the table's primary key, or its row locator; then the columns it carries.
    private List<(string Name, string Type)> KeyColumns(Table table) =>
        table.PrimaryKey.Count > 0
            ? table.PrimaryKey.Concat(CarriedBy(table)).Select(c => (c, table.GetColumn(c).SqlType)).ToList()
            : [(LocatorColumn, _d.RowLocatorType)];

    private IReadOnlyList<string> CarriedBy(Table table) => _carried.GetValueOrDefault(table.Name) ?? [];

    // Adds the rows of a query to a key table.
    private string InsertKeys(Table table, string select) => _d.InsertIntoTemp(KeyTable(table), KeyColumns(table), select);

    /// <summary>
    /// Inserts the root rows whose <paramref name="key"/> (a column unique in the table: the primary key or
    /// another) is one of the parameters <c>@id0..@idN</c>.
    /// </summary>
    public string InsertRoots(Table root, string key, int idCount)
    {
        var t = Alias.Rows("t");
        var ids = string.Join(", ", Enumerable.Range(0, idCount).Select(i => _d.Parameter($"id{i}", root.GetColumn(key))));
        return InsertKeys(root, $"SELECT {KeyOf(root, t)} FROM {_d.Rows(root)} t WHERE t.{Q(key)} IN ({ids})");
    }

    /// <summary>The <paramref name="key"/> values of the root rows found, as text, to name the ids that do not exist.</summary>
    public string FoundRoots(Table root, string key) =>
        root.PrimaryKey.Count == 1 && root.PrimaryKey[0] == key
            ? $"SELECT {_d.AsText(Q(key))} FROM {KeyTable(root)}"
            : $"SELECT {_d.AsText($"t.{Q(key)}")} FROM {KeyTable(root)} k JOIN {_d.Rows(root)} t ON {KeyMatch(root, Alias.Keys("k"), Alias.Rows("t"))}";

    /// <summary>Adds to the child's key table the rows that point at scoped parent rows through <paramref name="edge"/>.</summary>
    public string PullChildren(ForeignKey edge, Table child, Table parent)
    {
        var c = Alias.Rows("c");
        var notYet = $"NOT EXISTS (SELECT 1 FROM {KeyTable(child)} x WHERE {KeyMatch(child, Alias.Keys("x"), c)})";
        if (HoldsElements(edge))
        {
            // Keys inside arrays or documents cannot be probed through an index: the child table is scanned once.
            return InsertKeys(child, $"SELECT {KeyOf(child, c)} FROM {_d.Rows(child)} c WHERE {PointsInto(edge, child, parent, c)} AND {notYet}");
        }
        var source = ParentRows(parent, edge.RefColumns, Alias.Keys("s"), Alias.Rows("p"), driving: true);
        var join = string.Join(" AND ", edge.Columns.Select((col, i) => $"c.{Q(col)} = {source.Ref(i)}")) + TypeCondition(edge, c);
        return InsertKeys(child,
            $"SELECT {KeyOf(child, c)} FROM {source.From} {_d.DrivingJoin} {_d.Rows(child)} c ON {join} WHERE {notYet}");
    }

    /// <summary>Adds to the referenced table's key table the rows that scoped rows point at through <paramref name="edge"/>.</summary>
    public string PullReferenced(ForeignKey edge, Table from, Table referenced)
    {
        var (x, r) = (Alias.Rows("x"), Alias.Rows("r"));
        var notYet = $"NOT EXISTS (SELECT 1 FROM {KeyTable(referenced)} y WHERE {KeyMatch(referenced, Alias.Keys("y"), r)})";
        if (HoldsElements(edge))
        {
            // The keys are read out of the scoped rows first, each document once, and only then looked up through
            // the referenced table's index: joined directly, PostgreSQL repeated the read for every referenced row.
            var elements = Elements(edge, from, referenced, x);
            return InsertKeys(referenced,
                $"WITH k AS {_d.MaterializedCte}(SELECT DISTINCT {elements.Key} AS k FROM {KeyTable(from)} s " +
                $"{_d.DrivingJoin} {_d.Rows(from)} x ON {KeyMatch(from, Alias.Keys("s"), x)} CROSS JOIN {elements.From}) " +
                $"SELECT {KeyOf(referenced, r)} FROM k {_d.DrivingJoin} {_d.Rows(referenced)} r ON r.{Q(edge.RefColumns[0])} = k.k " +
                $"WHERE {notYet}");
        }
        // Where the key table holds the foreign key's columns (a membership's user_id, a message's carried author_id),
        // without a pass over the table's rows (217,390 participants' users on PostgreSQL: 0.90-0.96 s joined, 0.18 s).
        var (rows, a) = RowsFor(from, [edge]);
        if (PointsAtIntegerKey(edge, from, referenced))
        {
            // The keys not scoped yet are found among the scoped rows' values first, and only those rows read: joined
            // first, PostgreSQL hashed the whole referenced table to find that the 434,780 messages' authors were all
            // scoped already (1.09 s for 1,086,950 users). Integer keys only: no collation can make the key table's
            // comparison differ from the referenced table's.
            var scoped = string.Join(" AND ", edge.Columns.Select((c, i) => $"y.{Q(edge.RefColumns[i])} = {a}.{Q(c)}"));
            var keys = $"SELECT DISTINCT {string.Join(", ", edge.Columns.Select((c, i) => $"{a}.{Q(c)} AS k{i}"))} FROM {rows} " +
                       $"WHERE {string.Join(" AND ", edge.Columns.Select(c => $"{a}.{Q(c)} IS NOT NULL"))}{TypeCondition(edge, a)} " +
                       $"AND NOT EXISTS (SELECT 1 FROM {KeyTable(referenced)} y WHERE {scoped})";
            var on = string.Join(" AND ", edge.RefColumns.Select((c, i) => $"r.{Q(c)} = k.k{i}"));
            return InsertKeys(referenced, $"SELECT {KeyOf(referenced, r)} FROM ({keys}) k {_d.DrivingJoin} {_d.Rows(referenced)} r ON {on}");
        }
        var join = string.Join(" AND ", edge.Columns.Select((c, i) => $"r.{Q(edge.RefColumns[i])} = {a}.{Q(c)}")) + TypeCondition(edge, a);
        return InsertKeys(referenced,
            $"SELECT DISTINCT {KeyOf(referenced, r)} FROM {rows} {_d.DrivingJoin} {_d.Rows(referenced)} r ON {join} WHERE {notYet}");
    }

    // True when edge's columns are integers that point at the whole primary key of referenced, which its key table holds.
    private static bool PointsAtIntegerKey(ForeignKey edge, Table from, Table referenced) =>
        referenced.PrimaryKey.Count == edge.RefColumns.Count && edge.RefColumns.All(referenced.PrimaryKey.Contains) &&
        edge.RefColumns.All(c => referenced.GetColumn(c).Type == FerryType.Int) && edge.Columns.All(c => from.GetColumn(c).Type == FerryType.Int);

    // The scoped rows of `table` as `edges` read them: its key table s alone where it holds every column they read,
    // else the key table driving the table's rows x (ScopedRows).
    private (string From, Alias Row) RowsFor(Table table, IEnumerable<ForeignKey> edges) =>
        edges.All(e => !HoldsElements(e) && KeyHolds(table, e)) ? ($"{KeyTable(table)} s", Alias.Keys("s")) : (ScopedRows(table), Alias.Rows("x"));

    // True when the key table of `table` holds every column `edge` reads from its rows (in its key, or carried): the
    // foreign key's columns and a polymorphic key's type column.
    private bool KeyHolds(Table table, ForeignKey edge)
    {
        bool Holds(string column) => table.PrimaryKey.Contains(column) || CarriedBy(table).Contains(column);
        return table.PrimaryKey.Count > 0 && edge.Columns.All(Holds) && (edge.Shape?.TypeColumn is not { } typeColumn || Holds(typeColumn));
    }

    /// <summary>True for a relation whose keys sit inside an array or a JSON document: never cut on export
    /// (the import drops the keys it has no new key for).</summary>
    public static bool HoldsElements(ForeignKey edge) => edge.Shape is { Kind: not ReferenceKind.Column };

    /// <summary>
    /// A condition on row alias <c>x</c> of <paramref name="edge"/>'s table: true when the foreign key
    /// is NULL or points at a row in scope. A key into a table that is not in scope never holds.
    /// </summary>
    public string Keeps(ForeignKey edge, Table referenced)
    {
        var isNull = PointsNowhere(edge);
        if (!InScope(referenced.Name))
        {
            return $"({isNull})";
        }
        var source = ParentRows(referenced, edge.RefColumns, Alias.Keys("y"), Alias.Rows("r"), driving: false);
        var match = string.Join(" AND ", edge.Columns.Select((c, i) => $"{source.Ref(i)} = x.{Q(c)}"));
        return $"({isNull} OR EXISTS (SELECT 1 FROM {source.From} WHERE {match}))";
    }

    // True when row x's key (read through `row`, x by default) is NULL, or (polymorphic) of another type: it does not
    // point into the table.
    private string PointsNowhere(ForeignKey edge, string row = "x")
    {
        var isNull = string.Join(" OR ", edge.Columns.Select(c => $"{row}.{Q(c)} IS NULL"));
        if (edge.Shape?.None is { Count: > 0 } none)
        {
            isNull += $" OR {row}.{Q(edge.Columns[0])} IN ({NoneList(none)})";
        }
        return edge.Shape?.TypeColumn is { } typeColumn
            ? $"{row}.{Q(typeColumn)} IS NULL OR {row}.{Q(typeColumn)} <> {_d.Literal(edge.Shape.TypeValue!)} OR {isNull}"
            : isNull;
    }

    /// <summary>
    /// Counts, in one pass over the scoped rows of <paramref name="table"/>, the rows each of
    /// <paramref name="edges"/> cuts: one column per edge, in order. Each edge joins the scoped rows it
    /// points into (a LEFT JOIN, which the database can hash, where a condition per row would probe
    /// the key table once per row and edge); referenced keys are unique, so no row is counted twice.
    /// </summary>
    public string CountCuts(Table table, IReadOnlyList<(ForeignKey Edge, Table Referenced)> edges)
    {
        var counts = new List<string>();
        var joins = new System.Text.StringBuilder();
        // Where the key table holds every column counted (a participant's activity_id and user_id), the table's rows
        // are not read.
        var (rows, row) = RowsFor(table, edges.Select(e => e.Edge));
        foreach (var ((edge, referenced), i) in edges.Select((e, i) => (e, i)))
        {
            var kept = $"({PointsNowhere(edge, row.Name)})";
            if (InScope(referenced.Name))
            {
                var source = ParentRows(referenced, edge.RefColumns, Alias.Keys($"y{i}"), Alias.Rows($"r{i}"), driving: false);
                var keys = string.Join(", ", edge.Columns.Select((_, j) => $"{source.Ref(j)} AS k{j}"));
                var on = string.Join(" AND ", edge.Columns.Select((c, j) => $"j{i}.k{j} = {row}.{Q(c)}"));
                joins.Append($" LEFT JOIN (SELECT {keys} FROM {source.From}) j{i} ON {on}");
                kept = $"({kept} OR j{i}.k0 IS NOT NULL)";
            }
            counts.Add($"COALESCE(SUM(CASE WHEN {kept} THEN 0 ELSE 1 END), 0)");
        }
        return $"SELECT {string.Join(", ", counts)} FROM {rows}{joins}";
    }

    /// <summary>Up to <paramref name="limit"/> examples of cut rows: the row's key, then the foreign key's values, as text.</summary>
    public string CutExamples(Table table, ForeignKey edge, Table referenced, int limit)
    {
        var keys = table.PrimaryKey.Count > 0 ? table.PrimaryKey : [];
        var columns = keys.Concat(edge.Columns).Select(c => _d.AsText($"x.{Q(c)}"));
        return $"SELECT {string.Join(", ", columns)} FROM {ScopedRows(table)} WHERE NOT {Keeps(edge, referenced)} " +
               $"ORDER BY {OrderKey(table)} LIMIT {limit}";
    }

    /// <summary>
    /// Counts rows outside the scope that point into it through a nullable edge that was not followed
    /// (what a user leaves behind), driven from the parent's key table. The child table need not be
    /// in scope: then every row pointing into the tenant is outside the export.
    /// </summary>
    public string CountLeftBehind(ForeignKey edge, Table child, Table parent)
    {
        var c = Alias.Rows("c");
        if (HoldsElements(edge))
        {
            var notScoped = InScope(child.Name) ? $"NOT EXISTS (SELECT 1 FROM {KeyTable(child)} x WHERE {KeyMatch(child, Alias.Keys("x"), c)})" : null;
            var scoped = notScoped is null ? "" : $" AND {notScoped}";
            return $"SELECT COUNT(*) FROM {_d.Rows(child)} c WHERE {PointsInto(edge, child, parent, c)}{scoped}";
        }
        var source = ParentRows(parent, edge.RefColumns, Alias.Keys("s"), Alias.Rows("p"), driving: true);
        var join = string.Join(" AND ", edge.Columns.Select((col, i) => $"c.{Q(col)} = {source.Ref(i)}")) + TypeCondition(edge, c);
        // The child's own scoped rows left out by an anti-join on its key table (matched by its key, one row at most), not
        // NOT EXISTS, which MariaDB materialised as a set of the whole key table (434,780 messages' replies: 2.57 s, 0.71 s).
        var notScopedRows = InScope(child.Name)
            ? $" LEFT JOIN {KeyTable(child)} x ON {KeyMatch(child, Alias.Keys("x"), c)} WHERE x.{Q(KeyColumns(child)[0].Name)} IS NULL"
            : "";
        return $"SELECT COUNT(*) FROM {source.From} {_d.DrivingJoin} {_d.Rows(child)} c ON {join}{notScopedRows}";
    }

    // True when a row holds, inside an array or document, a key of a scoped parent row.
    private string PointsInto(ForeignKey edge, Table child, Table parent, Alias row)
    {
        var elements = Elements(edge, child, parent, row);
        var source = ParentRows(parent, edge.RefColumns, Alias.Keys("s"), Alias.Rows("p"), driving: false);
        return $"EXISTS (SELECT 1 FROM {elements.From} JOIN {source.From} ON {source.Ref(0)} = {elements.Key})";
    }

    private ReferenceElements Elements(ForeignKey edge, Table table, Table referenced, Alias row)
    {
        var key = referenced.GetColumn(edge.RefColumns[0]);
        return _d.ReferenceElements(edge.Shape!, $"{row}.{Q(edge.Columns[0])}", _d.FormOf(table.GetColumn(edge.Columns[0])),
            new ReferenceKey(key.Type, key.SqlType));
    }

    // A polymorphic key points into its table only when the type column says so; a key holding a value that
    // means "none" points nowhere.
    private string TypeCondition(ForeignKey edge, Alias row) =>
        (edge.Shape?.TypeColumn is { } typeColumn ? $" AND {row}.{Q(typeColumn)} = {_d.Literal(edge.Shape.TypeValue!)}" : "")
        + (edge.Shape?.None is { Count: > 0 } none ? $" AND {row}.{Q(edge.Columns[0])} NOT IN ({NoneList(none)})" : "");

    /// <summary>Values meaning "none" as SQL integer literals (longs, printed: never text from elsewhere).</summary>
    public static string NoneList(IReadOnlyList<long> none) =>
        string.Join(", ", none.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Scoped rows with a polymorphic key whose type names none of <paramref name="types"/> (copied unchanged).</summary>
    public string CountOtherTypes(Table table, string column, string typeColumn, IReadOnlyCollection<string> types) =>
        $"SELECT COUNT(*) FROM {ScopedRows(table)} WHERE x.{Q(column)} IS NOT NULL " +
        $"AND (x.{Q(typeColumn)} IS NULL OR x.{Q(typeColumn)} NOT IN ({string.Join(", ", types.Select(_d.Literal))}))";

    /// <summary>
    /// Scoped rows of <paramref name="table"/> (every row when <paramref name="scoped"/> is false: no key table
    /// is needed then) with a value in <paramref name="column"/>, and of those the rows whose value is a key of
    /// <paramref name="likely"/> (its column <paramref name="key"/>; 0 without one).
    /// </summary>
    public string CountExisting(Table table, Column column, Table? likely, string? key, bool scoped = true)
    {
        var rows = scoped ? ScopedRows(table) : $"{_d.Rows(table)} x";
        return likely is null || key is null
            ? $"SELECT COUNT(x.{Q(column.Name)}), 0 FROM {rows}"
            : $"SELECT COUNT(x.{Q(column.Name)}), COUNT(r.{Q(key)}) FROM {rows} " +
              $"LEFT JOIN {_d.Rows(likely)} r ON r.{Q(key)} = x.{Q(column.Name)}";
    }

    /// <summary>The number of scoped rows of the table.</summary>
    public string CountScoped(Table table) => $"SELECT COUNT(*) FROM {KeyTable(table)}";

    /// <summary>
    /// The export query of one table: every column in schema order through
    /// <see cref="ISqlDialect.ExportColumn"/>; columns in <paramref name="cutColumns"/> become NULL
    /// where their condition (from <see cref="Keeps"/>) fails. Ordered by key, for reproducible archives.
    /// </summary>
    public string Select(Table table, IReadOnlyDictionary<string, string> cutColumns)
    {
        var columns = table.Columns.Select(c =>
        {
            var value = cutColumns.TryGetValue(c.Name, out var keeps)
                ? $"CASE WHEN {keeps} THEN x.{Q(c.Name)} END"
                : $"x.{Q(c.Name)}";
            return _d.ExportColumn(value, c);
        });
        return $"SELECT {string.Join(", ", columns)} FROM {ScopedRows(table)} ORDER BY {OrderKey(table)}";
    }

    // The scoped rows of a table: its key table s driving the table's rows x.
    private string ScopedRows(Table table) =>
        $"{KeyTable(table)} s {_d.DrivingJoin} {_d.Rows(table)} x ON {KeyMatch(table, Alias.Keys("s"), Alias.Rows("x"))}";

    private string OrderKey(Table table) =>
        table.PrimaryKey.Count > 0
            ? string.Join(", ", table.PrimaryKey.Select(c => $"s.{Q(c)}"))
            : $"s.{Q(LocatorColumn)}";

    // Rows of a scoped parent, exposing the columns a foreign key references: straight from the key
    // table when they are its primary key, else through the parent table itself (driven from the key
    // table when the rows are enumerated, from the parent's unique index when probed by EXISTS).
    private (string From, Func<int, string> Ref) ParentRows(Table parent, IReadOnlyList<string> refColumns, Alias keys, Alias rows, bool driving)
    {
        if (parent.PrimaryKey.Count > 0 && refColumns.SequenceEqual(parent.PrimaryKey))
        {
            return ($"{KeyTable(parent)} {keys}", i => $"{keys}.{Q(refColumns[i])}");
        }
        return ($"{KeyTable(parent)} {keys} {(driving ? _d.DrivingJoin : "JOIN")} {_d.Rows(parent)} {rows} ON {KeyMatch(parent, keys, rows)}",
            i => $"{rows}.{Q(refColumns[i])}");
    }

    private string KeyTableName(Table table) =>
        _keyTables.TryGetValue(table.Name, out var name)
            ? name
            : throw new InvalidOperationException($"table {table.Name} is not in scope: it has no key table");

    private string KeyTable(Table table) => _d.TempTable(KeyTableName(table));

    private string KeyList(Table table) =>
        table.PrimaryKey.Count > 0 ? string.Join(", ", table.PrimaryKey.Select(Q)) : Q(LocatorColumn);

    // What a key table holds for a row of the table itself: its key, and the columns it carries.
    private string KeyOf(Table table, Alias rows) =>
        table.PrimaryKey.Count > 0
            ? string.Join(", ", table.PrimaryKey.Concat(CarriedBy(table)).Select(c => $"{rows}.{Q(c)}"))
            : $"{rows.Row()}.{_d.RowLocator}";

    // The same row on both sides: by primary key, else by row locator (a key table holds it in LocatorColumn).
    private string KeyMatch(Table table, Alias left, Alias right)
    {
        if (table.PrimaryKey.Count > 0)
        {
            return string.Join(" AND ", table.PrimaryKey.Select(c => $"{left}.{Q(c)} = {right}.{Q(c)}"));
        }
        return $"{Locator(left)} = {Locator(right)}";
    }

    private string Locator(Alias alias) => alias.IsKeyTable ? $"{alias}.{Q(LocatorColumn)}" : $"{alias}.{_d.RowLocator}";

    private string Q(string identifier) => _d.Quote(identifier);

    /// <summary>
    /// An alias in a scope query, typed by what it ranges over: a key table (which holds a table's
    /// primary key, or its row locator in <see cref="LocatorColumn"/>) or the rows of the table itself.
    /// </summary>
    private readonly record struct Alias(string Name, bool IsKeyTable)
    {
        public static Alias Keys(string name) => new(name, true);

        public static Alias Rows(string name) => new(name, false);

        /// <summary>This alias, which must range over a table's own rows.</summary>
        public string Row() => IsKeyTable ? throw new InvalidOperationException($"alias {Name} is a key table, not a table's rows") : Name;

        public override string ToString() => Name;
    }
}
