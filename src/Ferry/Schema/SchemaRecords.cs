namespace Ferry.Schema;

/// <summary>A column as the database describes it.</summary>
/// <param name="Name">Column name, exactly as in the database.</param>
/// <param name="SqlType">The engine's own type name (<c>timestamp with time zone</c>, <c>VARCHAR(40)</c>).</param>
/// <param name="Type">The archive type the column's values travel as.</param>
/// <param name="Nullable">Whether the column accepts NULL.</param>
/// <param name="Default">The default expression, or null when there is none.</param>
/// <param name="IsAutoIncrement">Identity, serial or SQLite autoincrement/rowid alias: the database generates values.</param>
/// <param name="Sequence">PostgreSQL: the sequence behind a serial or identity column, schema-qualified and quoted as
/// <c>pg_get_serial_sequence</c> returns it; null elsewhere.</param>
/// <param name="GeneratedAlways">PostgreSQL <c>GENERATED ALWAYS AS IDENTITY</c>: inserts need <c>OVERRIDING SYSTEM VALUE</c>.</param>
public sealed record Column(
    string Name,
    string SqlType,
    FerryType Type,
    bool Nullable,
    string? Default = null,
    bool IsAutoIncrement = false,
    string? Sequence = null,
    bool GeneratedAlways = false)
{
    /// <summary>True when an insert that leaves this column out still succeeds.</summary>
    public bool CanBeOmitted => Nullable || Default is not null || IsAutoIncrement;
}

/// <summary>A foreign key from <see cref="Table"/>.<see cref="Columns"/> to <see cref="RefTable"/>.<see cref="RefColumns"/>.</summary>
/// <param name="Name">Constraint name (SQLite: a generated <c>fk_TABLE_N</c>).</param>
/// <param name="Nullable">True when any of the columns is nullable, so a row may point nowhere.</param>
public sealed record ForeignKey(
    string Name,
    string Table,
    IReadOnlyList<string> Columns,
    string RefTable,
    IReadOnlyList<string> RefColumns,
    bool Nullable)
{
    /// <summary><c>table.col1+col2 → reftable</c>, for messages.</summary>
    public override string ToString() => $"{Table}.{string.Join('+', Columns)} → {RefTable}";

    /// <summary>True when the key points at its own table.</summary>
    public bool IsSelfReference => string.Equals(Table, RefTable, StringComparison.Ordinal);
}

/// <summary>A primary key, unique constraint or unique index (without a predicate or expressions).</summary>
public sealed record UniqueKey(string Name, IReadOnlyList<string> Columns, bool IsPrimaryKey);

/// <summary>A table with everything Ferry needs to know about it.</summary>
/// <param name="Name">Table name, unqualified: the connection's schema is implied.</param>
/// <param name="PrimaryKey">Primary key columns in key order; empty when the table has none.</param>
/// <param name="Uniques">Every unique key, the primary key included.</param>
/// <param name="ForeignKeys">Foreign keys declared on this table.</param>
public sealed record Table(
    string Name,
    IReadOnlyList<Column> Columns,
    IReadOnlyList<string> PrimaryKey,
    IReadOnlyList<UniqueKey> Uniques,
    IReadOnlyList<ForeignKey> ForeignKeys)
{
    /// <summary>The column of that name, or null.</summary>
    public Column? FindColumn(string name) => Columns.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal));

    /// <summary>The column of that name; throws when missing.</summary>
    public Column GetColumn(string name) =>
        FindColumn(name) ?? throw new KeyNotFoundException($"table {Name} has no column {name}");

    /// <summary>True when the primary key is one integer column (ids Ferry can allocate anew).</summary>
    public bool HasSingleIntegerKey => PrimaryKey.Count == 1 && GetColumn(PrimaryKey[0]).Type == FerryType.Int;
}

/// <summary>All tables of one database schema, in name order.</summary>
public sealed class DatabaseSchema
{
    private readonly Dictionary<string, Table> _byName;

    public DatabaseSchema(IEnumerable<Table> tables)
    {
        Tables = tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        _byName = Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Tables ordered by name (ordinal).</summary>
    public IReadOnlyList<Table> Tables { get; }

    /// <summary>The table of that name, or null.</summary>
    public Table? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The table of that name; throws when missing.</summary>
    public Table Get(string name) => Find(name) ?? throw new KeyNotFoundException($"no table {name}");
}
