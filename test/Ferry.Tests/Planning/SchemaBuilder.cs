using Ferry.Schema;

namespace Ferry.Tests.Planning;

/// <summary>
/// Builds small schemas for planner tests: tables with an integer key <c>id</c> by default, and
/// foreign keys that add their own integer columns (NOT NULL unless said otherwise).
/// <code>new SchemaBuilder().Table("groups").Table("memberships").Fk("memberships", "group_id", "groups").Build()</code>
/// </summary>
internal sealed class SchemaBuilder
{
    private readonly List<Draft> _tables = [];

    /// <summary>Adds a table; <paramref name="pk"/> null for none, <c>a+b</c> for a composite key.</summary>
    public SchemaBuilder Table(string name, string? pk = "id")
    {
        var key = pk is null ? [] : pk.Split('+');
        var draft = new Draft(name, key);
        foreach (var column in key)
        {
            draft.Columns.Add(new Column(column, "INTEGER", FerryType.Int, Nullable: false));
        }

        _tables.Add(draft);
        return this;
    }

    /// <summary>Adds several tables with the default key.</summary>
    public SchemaBuilder Tables(params string[] names)
    {
        foreach (var name in names)
        {
            Table(name);
        }

        return this;
    }

    /// <summary>Adds a plain text column.</summary>
    public SchemaBuilder Column(string table, string column, bool nullable = true, FerryType type = FerryType.Text)
    {
        Get(table).Columns.Add(new Column(column, type.ToName().ToUpperInvariant(), type, nullable));
        return this;
    }

    /// <summary>
    /// Adds a foreign key <paramref name="table"/>.<paramref name="columns"/> (<c>a+b</c> for several)
    /// → <paramref name="refTable"/>'s key, named <c>fk_TABLE_COLUMNS</c> unless <paramref name="name"/>
    /// says otherwise; missing columns are added with the key's nullability.
    /// </summary>
    public SchemaBuilder Fk(string table, string columns, string refTable, bool nullable = false, string? name = null, ReferenceShape? shape = null)
    {
        var draft = Get(table);
        var cols = columns.Split('+');
        foreach (var column in cols.Where(c => draft.Columns.All(x => x.Name != c)))
        {
            draft.Columns.Add(new Column(column, "INTEGER", FerryType.Int, nullable));
        }

        var refKey = _tables.FirstOrDefault(t => t.Name == refTable)?.PrimaryKey ?? ["id"];
        draft.ForeignKeys.Add(new ForeignKey(
            name ?? $"fk_{table}_{columns.Replace('+', '_')}", table, cols, refTable, refKey.Count > 0 ? refKey : ["id"], nullable) { Shape = shape });
        return this;
    }

    /// <summary>The schema, tables and keys in the order given.</summary>
    public DatabaseSchema Build() => new(_tables.Select(t => t.ToTable(t.Columns, t.ForeignKeys)));

    /// <summary>The same schema with tables, columns and foreign keys in a shuffled order.</summary>
    public DatabaseSchema BuildShuffled(int seed)
    {
        var random = new Random(seed);
        var tables = _tables.Select(t => t.ToTable(Shuffle(random, t.Columns), Shuffle(random, t.ForeignKeys))).ToList();
        return new DatabaseSchema(Shuffle(random, tables));
    }

    private static List<T> Shuffle<T>(Random random, IEnumerable<T> items)
    {
        var list = items.ToList();
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
        return list;
    }

    private Draft Get(string table) =>
        _tables.FirstOrDefault(t => t.Name == table) ?? throw new InvalidOperationException($"declare table {table} first");

    private sealed record Draft(string Name, IReadOnlyList<string> PrimaryKey)
    {
        public List<Column> Columns { get; } = [];

        public List<ForeignKey> ForeignKeys { get; } = [];

        public Table ToTable(IEnumerable<Column> columns, IEnumerable<ForeignKey> foreignKeys)
        {
            var uniques = PrimaryKey.Count > 0 ? new[] { new UniqueKey($"pk_{Name}", PrimaryKey, IsPrimaryKey: true) } : [];
            return new Table(Name, [.. columns], PrimaryKey, uniques, [.. foreignKeys]);
        }
    }
}
