namespace Ferry.Schema;

/// <summary>A column as the database describes it.</summary>
/// <param name="Name">Column name, exactly as in the database.</param>
/// <param name="SqlType">The engine's own type name (<c>timestamp with time zone</c>, <c>VARCHAR(40)</c>).</param>
/// <param name="Type">The archive type the column's values travel as.</param>
/// <param name="Nullable">Whether the column accepts NULL.</param>
/// <param name="Default">The default expression, or null when there is none.</param>
/// <param name="IsAutoIncrement">Identity, serial or SQLite autoincrement/rowid alias: the database generates values.</param>
/// <param name="Sequence">PostgreSQL: the sequence behind a serial or identity column, or the one its default draws from
/// (<c>nextval</c>), schema-qualified and quoted as <c>pg_get_serial_sequence</c> returns it; SQLite: <c>sqlite_sequence</c>
/// for AUTOINCREMENT; null elsewhere.</param>
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

    /// <summary>What the declared type allows beyond <see cref="Type"/> (precision, length, range), as the engine says.</summary>
    public ValueLimits Limits { get; init; } = ValueLimits.None;
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

    /// <summary>
    /// Null for a foreign key the database declares; for a relation a profile declares, how the
    /// row holds its key(s). The database enforces none of these.
    /// </summary>
    public ReferenceShape? Shape { get; init; }

    /// <summary>True for a relation declared by a profile rather than by the database.</summary>
    public bool IsVirtual => Shape is not null;

    /// <summary>True when a row holds its key in the plain columns (a declared key, or a virtual one without type or array).</summary>
    public bool IsPlain => Shape is null || (Shape.Kind == ReferenceKind.Column && Shape.TypeColumn is null);

    /// <summary>
    /// True when the database lets a transaction check this key at commit rather than at each
    /// statement (PostgreSQL <c>DEFERRABLE</c>; every SQLite key, through <c>PRAGMA defer_foreign_keys</c>).
    /// </summary>
    public bool Deferrable { get; init; }

    /// <summary>
    /// The database's own text of the key (PostgreSQL <c>pg_get_constraintdef</c>: <c>FOREIGN KEY (a) REFERENCES t(id)
    /// ON DELETE CASCADE</c>), read from the target's catalogue, never from an archive, to re-create the key exactly
    /// (<c>--exclusive</c>); null where the engine gives none, and for a key that is not validated or is spread over
    /// partitions.
    /// </summary>
    public string? Definition { get; init; }

    /// <summary>
    /// For a key that the partitions of a partitioned table declare rather than the table itself (the
    /// union of theirs): which partitions declare it; null for a key of the table.
    /// </summary>
    public PartitionCoverage? Partitions { get; init; }

    /// <summary>The database's constraints behind this key: its own name, or one per partition that declares it.</summary>
    public IReadOnlyList<string> Constraints => Partitions?.Constraints ?? [Name];
}

/// <summary>Where the partitions of a partitioned table declare a foreign key.</summary>
/// <param name="Constraints">The constraints, one per partition (or sub-partitioned table) declaring it, by name.</param>
/// <param name="DeclaredOn">The leaf partitions whose rows the key covers, by name.</param>
/// <param name="Total">The table's leaf partitions.</param>
public sealed record PartitionCoverage(IReadOnlyList<string> Constraints, IReadOnlyList<string> DeclaredOn, int Total)
{
    /// <summary>True when every partition declares the key.</summary>
    public bool Complete => DeclaredOn.Count == Total;
}

/// <summary>How the key(s) of a profile relation are stored in a row.</summary>
public enum ReferenceKind
{
    /// <summary>In the foreign-key column itself (optionally only when a type column has a given value).</summary>
    Column,
    /// <summary>As the elements of an array: a PostgreSQL array, or a JSON array in a text or JSON column.</summary>
    Array,
    /// <summary>Inside a JSON document, at <see cref="ReferenceShape.Path"/>.</summary>
    Json,
}

/// <summary>The storage of a profile relation's key(s).</summary>
/// <param name="Kind">Where the key is.</param>
/// <param name="Path">Json: <c>$.a.b</c> (one key) or <c>$.a.b[*]</c> (an array of keys).</param>
/// <param name="TypeColumn">Polymorphic: the column that says which table the key points into.</param>
/// <param name="TypeValue">Polymorphic: the value of <paramref name="TypeColumn"/> that means this relation's table.</param>
/// <param name="Origin">Where it was declared (<c>profile app.yaml:12</c>), for messages.</param>
public sealed record ReferenceShape(ReferenceKind Kind, string? Path, string? TypeColumn, string? TypeValue, string Origin)
{
    /// <summary>
    /// Values that mean "none" (<c>company = 0</c>): such a key points at no row, is never followed nor cut on
    /// export, and is kept as it is on import. Plain keys only; empty: none.
    /// </summary>
    public IReadOnlyList<long> None { get; init; } = [];
}

/// <summary>A primary key, unique constraint or unique index (without a predicate or expressions).</summary>
public sealed record UniqueKey(string Name, IReadOnlyList<string> Columns, bool IsPrimaryKey);

/// <summary>
/// A partial unique index (<c>CREATE UNIQUE INDEX … ON users (email) WHERE state = 'active'</c>): its columns are
/// unique only among the rows its predicate selects. The import checks incoming rows against the target's among the
/// rows the predicate selects on each side (<c>MergeSql.ExistingFilteredConflicts</c>); <c>ferry profile init</c> suggests
/// it as an identity.
/// </summary>
/// <param name="Predicate">The index's WHERE condition as the database prints it, without the keyword.</param>
public sealed record FilteredUniqueKey(string Name, IReadOnlyList<string> Columns, string Predicate);

/// <summary>
/// A unique index over expressions (<c>CREATE UNIQUE INDEX … ON users (lower(email))</c>), partial or not: its key parts
/// are SQL texts over the table's columns, as the database prints them (a plain column part is the column's name). The
/// import checks incoming rows against the target's with them, the texts coming from the target's own catalog.
/// </summary>
/// <param name="Keys">The key parts in order, each an SQL expression over the table's columns.</param>
/// <param name="Predicate">A partial index's WHERE condition, without the keyword; null for a whole-table index.</param>
public sealed record ExpressionUniqueKey(string Name, IReadOnlyList<string> Keys, string? Predicate);

/// <summary>
/// A CHECK constraint of a table: its condition as the database prints it (SQLite: as its CREATE TABLE text writes it), SQL over the table's
/// columns. The import checks incoming rows against the target's before any id is drawn, the text coming from the
/// target's own catalog.
/// </summary>
public sealed record CheckConstraint(string Name, string Condition);

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
    /// <summary>Partial unique indexes over plain columns (not in <see cref="Uniques"/>, which the database enforces on every row).</summary>
    public IReadOnlyList<FilteredUniqueKey> FilteredUniques { get; init; } = [];

    /// <summary>Unique indexes over expressions, partial or not (not in <see cref="Uniques"/> nor <see cref="FilteredUniques"/>).</summary>
    public IReadOnlyList<ExpressionUniqueKey> ExpressionUniques { get; init; } = [];

    /// <summary>CHECK constraints (SQLite's read from the table's CREATE text).</summary>
    public IReadOnlyList<CheckConstraint> Checks { get; init; } = [];

    /// <summary>The generated columns, which are not in <see cref="Columns"/> (the database computes them on each side).</summary>
    public IReadOnlyList<string> GeneratedColumns { get; init; } = [];

    /// <summary>
    /// Other tables inherit from this one (PostgreSQL <c>INHERITS</c>, the partitioning of apps older than
    /// PostgreSQL 10): a plain reference to it reads their rows too, so reads name its own rows only
    /// (<see cref="Engines.ISqlDialect.Rows"/>). Its keys and foreign keys do not cover those tables.
    /// </summary>
    public bool HasInheritors { get; init; }

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

    public DatabaseSchema(IEnumerable<Table> tables, IReadOnlyList<SchemaNote>? notes = null)
    {
        Tables = tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        _byName = Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Notes = notes ?? [];
    }

    /// <summary>What of the database's schema Ferry cannot use, and what it does instead (<see cref="UsableKeys"/>).</summary>
    public IReadOnlyList<SchemaNote> Notes { get; }

    /// <summary>Tables ordered by name (ordinal).</summary>
    public IReadOnlyList<Table> Tables { get; }

    /// <summary>The table of that name, or null.</summary>
    public Table? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The table of that name; throws when missing.</summary>
    public Table Get(string name) => Find(name) ?? throw new KeyNotFoundException($"no table {name}");
}
