using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>
/// Every foreign key of a schema, indexed by the table that declares it and by the table it points
/// at. Pure and immutable; every list is in <see cref="Order"/>.
/// </summary>
internal sealed class ForeignKeyGraph
{
    private static readonly IReadOnlyList<ForeignKey> None = [];
    private readonly Dictionary<string, List<ForeignKey>> _outgoing;
    private readonly Dictionary<string, List<ForeignKey>> _incoming;

    public ForeignKeyGraph(DatabaseSchema schema)
    {
        Edges = schema.Tables.SelectMany(t => t.ForeignKeys).Order(Order).ToList();
        _outgoing = Index(Edges, fk => fk.Table);
        _incoming = Index(Edges, fk => fk.RefTable);
    }

    /// <summary>
    /// The order of every edge list the planner returns: declaring table, then constraint name, then
    /// columns and referenced table (names are unique per table in practice; the rest keeps it total).
    /// </summary>
    public static IComparer<ForeignKey> Order { get; } = Comparer<ForeignKey>.Create(Compare);

    /// <summary>All foreign keys of the schema.</summary>
    public IReadOnlyList<ForeignKey> Edges { get; }

    /// <summary>Foreign keys declared on <paramref name="table"/>.</summary>
    public IReadOnlyList<ForeignKey> Outgoing(string table) => _outgoing.GetValueOrDefault(table) ?? None;

    /// <summary>Foreign keys pointing at <paramref name="table"/>, self-references included.</summary>
    public IReadOnlyList<ForeignKey> Incoming(string table) => _incoming.GetValueOrDefault(table) ?? None;

    private static Dictionary<string, List<ForeignKey>> Index(IEnumerable<ForeignKey> edges, Func<ForeignKey, string> key)
    {
        var index = new Dictionary<string, List<ForeignKey>>(StringComparer.Ordinal);
        foreach (var fk in edges)
        {
            if (!index.TryGetValue(key(fk), out var list))
            {
                list = [];
                index.Add(key(fk), list);
            }

            list.Add(fk);
        }

        return index;
    }

    private static int Compare(ForeignKey? x, ForeignKey? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var c = string.CompareOrdinal(x.Table, y.Table);
        if (c == 0)
        {
            c = string.CompareOrdinal(x.Name, y.Name);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(string.Join('\0', x.Columns), string.Join('\0', y.Columns));
        }

        return c != 0 ? c : string.CompareOrdinal(x.RefTable, y.RefTable);
    }
}
