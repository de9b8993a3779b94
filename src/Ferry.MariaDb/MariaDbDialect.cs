using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.MariaDb;

/// <summary>
/// MariaDB/MySQL SQL text for one database, for sessions that <see cref="MariaDbEngine"/> opened (sql_mode with
/// NO_BACKSLASH_ESCAPES, time zone UTC). Pure: no I/O. As a target: DDL commits implicitly in MariaDB, so the import
/// creates only TEMPORARY tables inside its transaction; ids of AUTO_INCREMENT keys are drawn by the insert itself
/// (<see cref="IdGeneration.OnInsert"/>); InnoDB checks foreign keys row by row and defers none.
/// </summary>
public sealed partial class MariaDbDialect(string database) : ISqlDialect
{
    private readonly string _database = database;

    /// <summary>InnoDB has no row address that a query can read: a table without a primary key cannot be scoped.</summary>
    public string RowLocator => throw NoRowLocator();

    /// <inheritdoc cref="RowLocator"/>
    public string RowLocatorType => throw NoRowLocator();

    public bool HasRowLocator => false;

    /// <summary>A staging table's rows are numbered by AUTO_INCREMENT in the column <see cref="StageRowColumn"/> adds.</summary>
    public string StageRow => "ferry_stage_row";

    public string StageRowType => "BIGINT";

    /// <summary>Numbered as LOAD DATA stores the rows (the loader names every other column); an AUTO_INCREMENT column must be a key.</summary>
    public (string Name, string Type)? StageRowColumn => (StageRow, "BIGINT NOT NULL AUTO_INCREMENT UNIQUE KEY");

    /// <summary><c>DROP TEMPORARY TABLE</c>: without TEMPORARY, DROP TABLE commits the transaction.</summary>
    public string DropTempTable(string name) => $"DROP TEMPORARY TABLE {TempTable(name)}";

    /// <summary>A backquoted identifier; a NUL is refused.</summary>
    public string Quote(string identifier) => "`" + NoNul(identifier).Replace("`", "``", StringComparison.Ordinal) + "`";

    public string Table(string name) => Quote(_database) + "." + Quote(name);

    // MariaDB has no table inheritance: a table's reference reads its own rows.
    public string Rows(Table table) => Table(table.Name);

    /// <summary>Unqualified: a session's temporary table hides a real table of the same name in its database.</summary>
    public string TempTable(string name) => Quote(name);

    /// <summary>None: ANALYZE TABLE would end the snapshot's transaction (it commits implicitly).</summary>
    public string? AnalyzeTemp(string name) => null;

    /// <summary>
    /// <c>CREATE TEMPORARY TABLE</c>: it does not commit implicitly, and disappears with the session. A key over a
    /// TEXT or BLOB column (InnoDB indexes only a prefix of those) is a UNIQUE key over the whole values (MariaDB
    /// 10.4+ keeps a hash of them), with an index on their first 191 characters for lookups.
    /// </summary>
    public string CreateTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey) =>
        CreateIndexedTempTable(name, columns, primaryKey, []);

    public string CreateIndexedTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey, IReadOnlyList<string> lookup)
    {
        var parts = columns.Select(c => Quote(c.Name) + " " + c.Type).ToList();
        parts.AddRange(KeyClauses(columns, primaryKey));
        if (lookup.Count > 0)
        {
            parts.Add("KEY (" + string.Join(", ", lookup.Select(k => IsUnbounded(columns.First(c => c.Name == k).Type) ? $"{Quote(k)}(191)" : Quote(k))) + ")");
        }
        return $"CREATE TEMPORARY TABLE {Quote(name)} ({string.Join(", ", parts)})";
    }

    /// <summary>Text compared exactly; up to <paramref name="maxLength"/> characters when it is part of a key (InnoDB keys hold 3072 bytes).</summary>
    public string TextType(int? maxLength) =>
        maxLength is { } n ? $"varchar({n}) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : "longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";

    private IEnumerable<string> KeyClauses(IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey)
    {
        if (primaryKey.Count == 0)
        {
            yield break;
        }
        var keyed = string.Join(", ", primaryKey.Select(Quote));
        var unbounded = primaryKey.Where(k => IsUnbounded(columns.First(c => c.Name == k).Type)).ToHashSet(StringComparer.Ordinal);
        if (unbounded.Count == 0)
        {
            yield return $"PRIMARY KEY ({keyed})";
            yield break;
        }
        yield return $"UNIQUE KEY ({keyed})";
        yield return "KEY (" + string.Join(", ", primaryKey.Select(k => unbounded.Contains(k) ? $"{Quote(k)}(191)" : Quote(k))) + ")";
    }

    // TEXT, BLOB and JSON columns: an index holds only a prefix of their values.
    private static bool IsUnbounded(string type) =>
        BaseType(type.ToLowerInvariant()) is "tinytext" or "text" or "mediumtext" or "longtext" or "tinyblob" or "blob" or "mediumblob" or "longblob" or "json";

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

    /// <summary>None: MariaDB has no hint; a CTE holding a DISTINCT is materialised.</summary>
    public string MaterializedCte => "";

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

    /// <summary>
    /// Staged values are written by assignment, which MariaDB's strict mode checks (a value out of range or not a
    /// date is an error, where a CAST would truncate or give NULL). Text takes the target column's collation, so that
    /// conflicts and duplicates are found as the column compares (a case-insensitive key conflicts case-insensitively);
    /// an integer into a boolean column is its truth.
    /// </summary>
    public string ConvertToTarget(string expression, FerryType from, Column target)
    {
        // A number written into an ENUM or SET is taken as the position of a member (2 is the second): its text is the value.
        if (from is FerryType.Int or FerryType.Float or FerryType.Bool && target.Limits.Members is not null)
        {
            return AsText(expression);
        }
        if (from == FerryType.Int && target.Type == FerryType.Bool)
        {
            return $"(({expression}) <> 0)";
        }
        if (from is FerryType.Text or FerryType.Json && Collation(target.SqlType) is { } collation)
        {
            var charset = collation[..collation.IndexOf('_', StringComparison.Ordinal)];
            return charset == "utf8mb4" ? $"{expression} COLLATE {collation}" : $"CONVERT({expression} USING {charset}) COLLATE {collation}";
        }
        return expression;
    }

    /// <summary>
    /// For a column of a character set that lacks characters of Unicode (latin1, utf8mb3 without the characters beyond
    /// U+FFFF, …): the first staged value that does not come back the same from that character set, converted there and
    /// back (MariaDB's own tables, so latin1 is Windows-1252 as MariaDB reads it), with what it comes back as (each
    /// character the set lacks becomes <c>?</c>). The staged text is utf8mb4, compared exactly.
    /// </summary>
    public string? UnstorableText(string stage, string column, Column target)
    {
        if (Collation(target.SqlType) is not { } collation)
        {
            return null;
        }
        var charset = collation[..collation.IndexOf('_', StringComparison.Ordinal)];
        if (charset is "utf8mb4" or "utf16" or "utf16le" or "utf32")
        {
            return null;
        }
        var value = $"s.{Quote(column)}";
        var back = $"CONVERT(CONVERT({value} USING {charset}) USING utf8mb4) COLLATE utf8mb4_bin";
        return $"SELECT {value}, {back} FROM {stage} s WHERE {value} IS NOT NULL AND {back} <> {value} LIMIT 1";
    }

    // The collation a column's type names (MariaDbSchemaReader keeps it there): utf8mb4_unicode_ci of "varchar(40) COLLATE utf8mb4_unicode_ci".
    private static string? Collation(string sqlType)
    {
        var at = sqlType.LastIndexOf(" COLLATE ", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return null;
        }
        var name = sqlType[(at + 9)..].Trim();
        return name.Length > 0 && name.Contains('_', StringComparison.Ordinal) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? name : null;
    }

    /// <summary>CAST's own type names: SIGNED, DOUBLE, BINARY, CHAR (a column type such as bigint is not one).</summary>
    public string CastTo(string expression, FerryType type) => type switch
    {
        FerryType.Int or FerryType.Bool => $"CAST({expression} AS SIGNED)",
        FerryType.Float => $"CAST({expression} AS DOUBLE)",
        FerryType.Bytes => $"CAST({expression} AS BINARY)",
        _ => $"CAST({expression} AS CHAR)",
    };

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

    /// <summary>
    /// The column's maximum and, for an AUTO_INCREMENT column, the counter's position minus one (information_schema
    /// reads InnoDB's counter): provisional ids above both. The final ids of an AUTO_INCREMENT key are drawn by the
    /// insert (<see cref="Ids"/>).
    /// </summary>
    public string CurrentMaxId(Table table, Column column)
    {
        var max = $"COALESCE((SELECT MAX({Quote(column.Name)}) FROM {Table(table.Name)}), 0)";
        return column.IsAutoIncrement
            ? $"GREATEST({max}, COALESCE((SELECT AUTO_INCREMENT - 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = {Literal(_database)} AND TABLE_NAME = {Literal(table.Name)}), 0))"
            : max;
    }

    /// <summary>None: MariaDB has no sequence an expression could draw from for AUTO_INCREMENT (<see cref="Ids"/>).</summary>
    public string? NextId(Column column) => null;

    /// <summary>An AUTO_INCREMENT key's ids are drawn by the INSERT … SELECT that writes the rows, in one block.</summary>
    public IdGeneration Ids => IdGeneration.OnInsert;

    public string FirstDrawnId => "SELECT LAST_INSERT_ID()";

    /// <summary>
    /// The AUTO_INCREMENT counter (information_schema asks InnoDB), and <c>ALTER TABLE … AUTO_INCREMENT = @position</c>,
    /// which InnoDB raises to the table's maximum plus one when that is higher, and runs once the transactions using
    /// the table have ended: an id another session drew meanwhile is never handed out again.
    /// </summary>
    public (string Read, string Rewind)? GeneratorPosition(Table table) =>
        ($"SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = {Literal(_database)} AND TABLE_NAME = {Literal(table.Name)}",
         $"ALTER TABLE {Table(table.Name)} AUTO_INCREMENT = @position");

    /// <summary>False: every DDL statement but CREATE/DROP TEMPORARY TABLE commits the transaction.</summary>
    public bool TransactionalDdl => false;

    // One statement renames them all, atomically (ALTER TABLE each would leave a moment with neither name).
    public IReadOnlyList<string> RenameTables(IReadOnlyList<(string From, string To)> renames) =>
        [$"RENAME TABLE {string.Join(", ", renames.Select(r => $"{Table(r.From)} TO {Table(r.To)}"))}"];

    /// <summary>
    /// None. LOCK TABLES would commit the transaction (and needs every alias a statement uses locked); InnoDB's row
    /// locks make a concurrent writer that collides with the import wait, then fail one side with a duplicate key,
    /// which rolls the import back whole. Ids of AUTO_INCREMENT keys come from InnoDB's counter, which other sessions
    /// share, so they never collide.
    /// </summary>
    public IReadOnlyList<string> LockForImport(IReadOnlyList<string> tables) => [];

    // No table lock, ever (LockForImport): reading before staging gives the same guarantees as reading after it.
    public bool ReadsBeforeStagingAsAfter => true;

    /// <summary>None: a foreign key can only be taken off by ALTER TABLE, which commits.</summary>
    public IReadOnlyList<string>? LockExclusive(IReadOnlyList<string> tables) => null;

    public (string Drop, string Restore)? SuspendForeignKey(ForeignKey key) => null;

    /// <summary>
    /// <c>SET foreign_key_checks = 0</c> and <c>= 1</c>: a session variable, which commits nothing. InnoDB does not check the
    /// rows written meanwhile when the checks come back on; the import checks the keys so written itself before the commit.
    /// </summary>
    public (string Off, string On)? ForeignKeyChecks => ("SET foreign_key_checks = 0", "SET foreign_key_checks = 1");

    /// <summary>None: InnoDB moves the AUTO_INCREMENT counter past every id written, drawn or explicit.</summary>
    public IReadOnlyList<string> SyncGenerators(Table table) => [];

    /// <summary>None: InnoDB has no deferrable constraints (the schema reader reports none).</summary>
    public IReadOnlyList<string> DeferConstraints(IReadOnlyList<ForeignKey> keys) => [];

    public IReadOnlyList<string> CheckDeferredConstraints(IReadOnlyList<ForeignKey> keys) => [];

    public string InsertOverride(Table table, IReadOnlyList<string> columns) => "";

    /// <summary><c>UPDATE t AS u JOIN (select) AS r ON … SET u.c = …</c>: MariaDB has no UPDATE … FROM. The select is materialised first.</summary>
    public string UpdateFromSelect(string target, string alias, IReadOnlyList<(string Column, string Value)> set, string select, string selectAlias, string on) =>
        $"UPDATE {target} AS {alias} JOIN ({select}) AS {selectAlias} ON {on} SET {string.Join(", ", set.Select(s => $"{alias}.{Quote(s.Column)} = {s.Value}"))}";

    // Joined: MariaDB 10.11 applies no semi-join to a single-table DELETE or UPDATE (ISqlDialect.DeleteIn).
    public string DeleteIn(string table, IReadOnlyList<string> columns, string select, string? filter = null) =>
        $"DELETE u FROM {table} AS u JOIN ({select}) AS x ON {KeysJoin(columns)}{(filter is null ? "" : $" WHERE {filter}")}";

    public string UpdateIn(string table, IReadOnlyList<string> keys, IReadOnlyList<(string Column, string Value)> set, string select) =>
        $"UPDATE {table} AS u JOIN ({select}) AS x ON {KeysJoin(keys)} SET {string.Join(", ", set.Select(c => $"u.{Quote(c.Column)} = {c.Value}"))}";

    private string KeysJoin(IReadOnlyList<string> keys) => string.Join(" AND ", keys.Select((k, j) => $"u.{Quote(k)} = x.k{j}"));

    /// <summary><c>CONCAT(a, b, …)</c>: <c>||</c> is OR in MariaDB. NULL when any part is NULL, as <c>||</c> elsewhere.</summary>
    public string Concat(IReadOnlyList<string> parts) => $"CONCAT({string.Join(", ", parts)})";

    /// <summary>A string literal (<c>'it''s'</c>), for sessions with NO_BACKSLASH_ESCAPES (every session Ferry opens); a NUL is refused.</summary>
    public static string Literal(string value) => "'" + NoNul(value).Replace("'", "''", StringComparison.Ordinal) + "'";

    string ISqlDialect.Literal(string value) => Literal(value);

    /// <summary>A <see cref="StageRow"/> from its text.</summary>
    public string LocatorFromText(string text) => $"CAST({text} AS SIGNED)";

    /// <summary>The base type of a column's SQL type: <c>point</c> of <c>point</c>, <c>varchar</c> of <c>varchar(40) COLLATE …</c>.</summary>
    internal static string BaseType(string sqlType)
    {
        var end = sqlType.IndexOfAny(['(', ' ']);
        return end < 0 ? sqlType : sqlType[..end];
    }

    private static FerryException NoRowLocator() =>
        new("a MariaDB table without a primary key cannot be scoped (InnoDB has no row address a query can read, as rowid or ctid): add a primary key to it, or exclude it");

    private static string NoNul(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? throw new ArgumentException("SQL text cannot hold a NUL character", nameof(text)) : text;
}
