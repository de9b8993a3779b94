using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.MariaDb;

/// <summary>
/// MariaDB/MySQL SQL text for one database, for sessions that <see cref="MariaDbEngine"/> opened (sql_mode with
/// NO_BACKSLASH_ESCAPES, time zone UTC). Pure: no I/O. MariaDB is a source only so far: the statements an import
/// needs say so instead of guessing (<see cref="MariaDbEngine.OpenAsync"/> refuses a target before any of them).
/// </summary>
public sealed class MariaDbDialect(string database) : ISqlDialect
{
    private readonly string _database = database;

    /// <summary>InnoDB has no row address that a query can read: a table without a primary key cannot be scoped.</summary>
    public string RowLocator => throw NoRowLocator();

    /// <inheritdoc cref="RowLocator"/>
    public string RowLocatorType => throw NoRowLocator();

    /// <summary>A backquoted identifier; a NUL is refused.</summary>
    public string Quote(string identifier) => "`" + NoNul(identifier).Replace("`", "``", StringComparison.Ordinal) + "`";

    public string Table(string name) => Quote(_database) + "." + Quote(name);

    // MariaDB has no table inheritance: a table's reference reads its own rows.
    public string Rows(Table table) => Table(table.Name);

    /// <summary>Unqualified: a session's temporary table hides a real table of the same name in its database.</summary>
    public string TempTable(string name) => Quote(name);

    /// <summary>None: ANALYZE TABLE would end the snapshot's transaction (it commits implicitly).</summary>
    public string? AnalyzeTemp(string name) => null;

    /// <summary><c>CREATE TEMPORARY TABLE</c>: it does not commit implicitly, and disappears with the session.</summary>
    public string CreateTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey)
    {
        var parts = columns.Select(c => Quote(c.Name) + " " + c.Type).ToList();
        if (primaryKey.Count > 0)
        {
            parts.Add("PRIMARY KEY (" + string.Join(", ", primaryKey.Select(Quote)) + ")");
        }
        return $"CREATE TEMPORARY TABLE {Quote(name)} ({string.Join(", ", parts)})";
    }

    /// <summary>
    /// A compound statement that reads <paramref name="select"/> through a cursor and inserts its rows one by one: a
    /// cursor's query is a consistent read of the snapshot, where InnoDB would take shared locks on every row an
    /// <c>INSERT … SELECT</c> reads (under REPEATABLE READ), holding up the application's writes on the source until the
    /// export ends. The cursor materialises the query first, as INSERT … SELECT does, so a query reading the table it
    /// fills sees it as it was. The server reports every row inserted as affected.
    /// </summary>
    public string InsertIntoTemp(string table, IReadOnlyList<(string Name, string Type)> columns, string select)
    {
        var variables = columns.Select((_, i) => $"ferry_v{i}").ToList();
        var declared = string.Concat(columns.Select((c, i) => $"DECLARE {variables[i]} {c.Type}; "));
        var list = string.Join(", ", variables);
        return "BEGIN NOT ATOMIC DECLARE ferry_done INT DEFAULT 0; " + declared +
               $"DECLARE ferry_rows CURSOR FOR {select}; DECLARE CONTINUE HANDLER FOR NOT FOUND SET ferry_done = 1; " +
               $"OPEN ferry_rows; ferry_fill: LOOP FETCH ferry_rows INTO {list}; IF ferry_done THEN LEAVE ferry_fill; END IF; " +
               $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) VALUES ({list}); END LOOP; CLOSE ferry_rows; END";
    }

    public string StagingType(FerryType type) => type switch
    {
        FerryType.Int => "bigint",
        FerryType.Float => "double",
        FerryType.Bool => "boolean",
        FerryType.Bytes => "longblob",
        _ => "longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
    };

    /// <summary>
    /// What <see cref="MariaDbRowReader"/> reads: integers, floats and bytes as stored; decimals, dates, times, UUIDs
    /// as their text (<c>CAST … AS CHAR</c>, which prints them exactly). Spatial columns are refused.
    /// </summary>
    public string ExportColumn(string expression, Column column)
    {
        if (MariaDbTypes.IsUnsupported(BaseType(column.SqlType)))
        {
            throw new FerryException(
                $"column {column.Name} has type {column.SqlType}, which Ferry cannot carry (spatial values are not supported): exclude its table, or drop the column before export");
        }
        return column.Type switch
        {
            FerryType.Decimal or FerryType.Date or FerryType.Time or FerryType.Timestamp or FerryType.TimestampTz or FerryType.Uuid => AsText(expression),
            _ => expression,
        };
    }

    public string ConvertToTarget(string expression, FerryType from, Column target) => throw SourceOnly();

    public string Parameter(string name, Column column) => "@" + name;

    /// <summary><c>STRAIGHT_JOIN</c>: joins its left table first, so a scope query is driven from the small key table.</summary>
    public string DrivingJoin => "STRAIGHT_JOIN";

    public string Greatest(string a, string b) => $"GREATEST({a}, {b})";

    public string NotDistinct(string a, string b) => $"{a} <=> {b}";

    /// <summary><c>CAST(x AS CHAR)</c>: MariaDB has no <c>CAST … AS TEXT</c>.</summary>
    public string AsText(string expression) => $"CAST({expression} AS CHAR)";

    public string ValueText(string expression, FerryType type) =>
        type == FerryType.Bytes ? $"LOWER(HEX({expression}))" : AsText(expression);

    public string Sha256Hex(string text) => $"SHA2(CONVERT({text} USING utf8mb4), 256)";

    public string CurrentMaxId(Table table, Column column) => throw SourceOnly();

    public string? NextId(Column column) => throw SourceOnly();

    public IReadOnlyList<string> LockForImport(IReadOnlyList<string> tables) => throw SourceOnly();

    public IReadOnlyList<string>? LockExclusive(IReadOnlyList<string> tables) => throw SourceOnly();

    public (string Drop, string Restore)? SuspendForeignKey(ForeignKey key) => throw SourceOnly();

    public IReadOnlyList<string> SyncGenerators(Table table) => throw SourceOnly();

    public IReadOnlyList<string> DeferConstraints(IReadOnlyList<ForeignKey> keys) => throw SourceOnly();

    public IReadOnlyList<string> CheckDeferredConstraints(IReadOnlyList<ForeignKey> keys) => throw SourceOnly();

    public string InsertOverride(Table table, IReadOnlyList<string> columns) => throw SourceOnly();

    /// <summary>A string literal (<c>'it''s'</c>), for sessions with NO_BACKSLASH_ESCAPES (every session Ferry opens); a NUL is refused.</summary>
    public static string Literal(string value) => "'" + NoNul(value).Replace("'", "''", StringComparison.Ordinal) + "'";

    string ISqlDialect.Literal(string value) => Literal(value);

    /// <summary>MariaDB has no array type: keys in a value are a JSON array.</summary>
    public ArrayForm FormOf(Column column) => ArrayForm.Json;

    public ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, ReferenceKey key) =>
        throw new FerryException(
            $"relations whose keys sit inside arrays or JSON documents ({shape.Origin}) are not supported on MariaDB yet: declare plain column relations only");

    public string RewriteReferences(string stage, string column, ReferenceShape shape, ArrayForm form, ReferenceKey key, Column target, string map) =>
        throw SourceOnly();

    public string PairsAggregate(string oldKey, string newKey) => throw SourceOnly();

    public string LocatorFromText(string text) => throw NoRowLocator();

    /// <summary>The base type of a column's SQL type: <c>point</c> of <c>point</c>, <c>varchar</c> of <c>varchar(40) COLLATE …</c>.</summary>
    internal static string BaseType(string sqlType)
    {
        var end = sqlType.IndexOfAny(['(', ' ']);
        return end < 0 ? sqlType : sqlType[..end];
    }

    internal static FerryException SourceOnly() => new(MariaDbEngine.SourceOnlyMessage);

    private static FerryException NoRowLocator() =>
        new("a MariaDB table without a primary key cannot be scoped (InnoDB has no row address a query can read): add a primary key to it, or exclude it");

    private static string NoNul(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? throw new ArgumentException("SQL text cannot hold a NUL character", nameof(text)) : text;
}
