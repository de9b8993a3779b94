using System.Globalization;
using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Sqlite;

/// <summary>
/// SQL text for SQLite (pure). Staging tables live in the connection's <c>temp</c> schema; values
/// are converted to the target column's type by the column's affinity when they are inserted.
/// </summary>
public sealed partial class SqliteDialect : ISqlDialect
{
    /// <summary>The table SQLite keeps AUTOINCREMENT counters in; <see cref="Column.Sequence"/> of such columns.</summary>
    public const string SequenceTable = "sqlite_sequence";

    /// <summary>A quoted identifier; a NUL, which would end the statement's text early, is refused.</summary>
    // Type affinity stores what it is given: the import checks the values itself.
    public bool EnforcesColumnTypes => false;

    public string Quote(string identifier) => "\"" + NoNul(identifier).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public string Table(string name) => "\"main\"." + Quote(name);

    public string Rows(Table table) => Table(table.Name);

    public string TempTable(string name) => "\"temp\"." + Quote(name);

    // Scope queries fix their join order with CROSS JOIN (ISqlDialect.DrivingJoin): no statistics needed.
    public string? AnalyzeTemp(string name) => null;

    public string CreateTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey)
    {
        var parts = columns.Select(c => $"{Quote(c.Name)} {c.Type}").ToList();
        if (primaryKey.Count > 0)
        {
            parts.Add($"PRIMARY KEY ({QuoteList(primaryKey)})");
        }

        return $"CREATE TEMP TABLE {Quote(name)} ({string.Join(", ", parts)})";
    }

    // BLOB affinity keeps every value exactly as bound; TEXT affinity would turn numbers into text.
    public string StagingType(FerryType type) => type switch
    {
        FerryType.Int or FerryType.Bool => "INTEGER",
        FerryType.Float => "REAL",
        _ => "BLOB",
    };

    public string RowLocator => "rowid";

    public string RowLocatorType => "INTEGER";

    public string ExportColumn(string expression, Column column) => expression;

    // The target column's affinity converts the staged value on insert, as it would for the app.
    public string ConvertToTarget(string expression, FerryType from, Column target) => expression;

    public string Parameter(string name, Column column) => "@" + name;

    // Two-argument max() is SQLite's scalar maximum (one argument would be the aggregate).
    public string Greatest(string a, string b) => $"MAX({a}, {b})";

    /// <summary>The SQL function, registered on every connection of <see cref="SqliteEngine"/>, behind <see cref="Sha256Hex"/>.</summary>
    public const string Sha256Function = "ferry_sha256";

    // A BLOB read as TEXT would be its bytes taken as UTF-8: two blobs could give one text.
    public string ValueText(string expression, FerryType type) =>
        type == FerryType.Bytes ? $"lower(hex({expression}))" : $"CAST({expression} AS TEXT)";

    public string Sha256Hex(string text) => $"{Sha256Function}({text})";

    /// <summary>The SQL function, registered on every connection of <see cref="SqliteEngine"/>, behind <see cref="RowDigest"/>.</summary>
    public const string DigestFunction = "ferry_digest";

    // One call of a native function instead of SQLite building the tuple's text (the same 64 digits, see SqliteFunctions).
    public string RowDigest(IReadOnlyList<(string Expression, FerryType Type)> values) =>
        values.Count is 0 or > SqliteFunctions.MaxDigestValues
            ? Sha256Hex(RowDigestText.Tuple(this, values, bare: false))
            : $"{DigestFunction}('{string.Concat(values.Select(v => v.Type == FerryType.Bytes ? 'b' : 't'))}', {string.Join(", ", values.Select(v => v.Expression))})";

    // SQLite's IS compares like =, except that NULL IS NULL is true; it can use an index.
    public string NotDistinct(string a, string b) => $"{a} IS {b}";

    public string CurrentMaxId(Table table, Column column)
    {
        var max = $"COALESCE((SELECT MAX({Quote(column.Name)}) FROM {Table(table.Name)}), 0)";
        if (column.Sequence != SequenceTable)
        {
            return max;
        }

        var seq = $"COALESCE((SELECT \"seq\" FROM {Table(SequenceTable)} WHERE \"name\" = {Literal(table.Name)}), 0)";
        return Greatest(max, seq);
    }

    public string? NextId(Column column) => null;

    // SQLite keeps the left table of a CROSS JOIN as the outer loop.
    public string DrivingJoin => "CROSS JOIN";

    // BEGIN IMMEDIATE already holds the database's write lock for the whole import.
    public IReadOnlyList<string> LockForImport(IReadOnlyList<string> tables) => [];

    // BEGIN IMMEDIATE (SqliteEngine.BeginWriteAsync) holds the database's one write lock from the import's start.
    public bool ReadsBeforeStagingAsAfter => true;

    // An import already holds the database's one write lock; SQLite cannot take a key off a table (no ALTER TABLE
    // DROP CONSTRAINT), nor turn foreign keys off inside a transaction.
    public IReadOnlyList<string>? LockExclusive(IReadOnlyList<string> tables) => null;

    public (string Drop, string Restore)? SuspendForeignKey(ForeignKey key) => null;

    // SQLite raises sqlite_sequence itself when a row is inserted with an explicit larger id.
    public IReadOnlyList<string> SyncGenerators(Table table) => [];

    // Every key of the connection waits for the commit (the pragma ends with the transaction).
    public IReadOnlyList<string> DeferConstraints(IReadOnlyList<ForeignKey> keys) =>
        keys.Count == 0 ? [] : ["PRAGMA defer_foreign_keys = ON"];

    // SQLite has no statement that checks deferred keys before the commit; the commit does.
    public IReadOnlyList<string> CheckDeferredConstraints(IReadOnlyList<ForeignKey> keys) => [];

    public string InsertOverride(Table table, IReadOnlyList<string> columns) => "";

    /// <summary>A string literal (<c>'it''s'</c>); only for names of the schema, never for data.</summary>
    internal static string Literal(string value) => "'" + NoNul(value).Replace("'", "''", StringComparison.Ordinal) + "'";

    private static string NoNul(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? throw new ArgumentException("SQL text cannot hold a NUL character", nameof(text)) : text;

    string ISqlDialect.Literal(string value) => Literal(value);

    /// <summary>The single prepared statement of a bulk load: parameters <c>@p0</c>, <c>@p1</c>, ... in column order.</summary>
    internal string InsertRow(string tempTable, IReadOnlyList<string> columns) =>
        $"INSERT INTO {TempTable(tempTable)} ({QuoteList(columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => ParameterName(i)))})";

    /// <summary>The name of the parameter for the column at <paramref name="index"/> in <see cref="InsertRow"/>.</summary>
    internal static string ParameterName(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    private string QuoteList(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));
}
