using Ferry.Schema;

namespace Ferry.Engines;

/// <summary>
/// Builds the engine-specific pieces of SQL text. Pure: no I/O, unit tested per engine. Everything
/// the pieces have in common (joins, INSERT…SELECT, window functions) is built by the core.
/// </summary>
public interface ISqlDialect
{
    /// <summary>Quotes one identifier (<c>"my ""col"""</c>).</summary>
    string Quote(string identifier);

    /// <summary>A reference to a table of the connection's schema: <c>"public"."groups"</c>, <c>"main"."groups"</c>.</summary>
    string Table(string name);

    /// <summary>
    /// The table's own rows, as a FROM or JOIN item or an UPDATE target: <see cref="Table"/>, or on PostgreSQL
    /// <c>ONLY "public"."event"</c> for a table that others inherit from, whose plain reference also reads
    /// theirs. INSERT INTO names <see cref="Table"/>.
    /// </summary>
    string Rows(Table table);

    /// <summary>A reference to a temporary table of this session: <c>"ferry_scope_1"</c>, <c>"temp"."ferry_scope_1"</c>.</summary>
    string TempTable(string name);

    /// <summary>
    /// Gives the planner statistics of a temporary table just filled (PostgreSQL never analyzes temporary
    /// tables by itself, and guesses about 2,000 rows for a small one: a hash join over a whole big table
    /// where an index lookup per row was right); null where the engine needs none.
    /// </summary>
    string? AnalyzeTemp(string name);

    /// <summary>
    /// Gives the planner fresh statistics of one of Ferry's own tables of the connection's schema (the ledger), which
    /// an import has just filled and the engine's own maintenance has not analyzed yet; null where the engine needs
    /// none or would write them into the application's schema (SQLite's <c>sqlite_stat1</c>).
    /// </summary>
    string? AnalyzeTable(string name) => null;

    /// <summary>
    /// DDL for a temporary table that disappears with the session (PostgreSQL: ON COMMIT DROP).
    /// Column types come from <see cref="StagingType"/> or <see cref="RowLocatorType"/>;
    /// <paramref name="primaryKey"/> may be empty.
    /// </summary>
    string CreateTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey);

    /// <summary>
    /// <see cref="CreateTempTable"/> with an index on <paramref name="lookup"/> too, where the engine needs one to find the table's rows by those columns from
    /// an <c>IN (subquery)</c> of a DELETE: MariaDB applies no semi-join to a single-table DELETE, and read the subquery's
    /// table once per deleted row without it (a DELETE of <c>--sync</c> over 220,000 rows still ran after 190 s). The
    /// index is declared with the table, since a CREATE INDEX commits there. Elsewhere the table alone: SQLite indexes
    /// an IN list itself, PostgreSQL hashes it.
    /// </summary>
    string CreateIndexedTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey, IReadOnlyList<string> lookup) =>
        CreateTempTable(name, columns, primaryKey);

    /// <summary>
    /// A statement that adds the rows of <paramref name="select"/> (one value per column, in order) to the session's
    /// temporary table <paramref name="table"/> (as <see cref="TempTable"/> gives it), whose columns and types are given;
    /// its affected-row count is the number of rows added. <c>INSERT INTO … SELECT</c>; MariaDB reads the query through
    /// a cursor instead, because InnoDB takes shared locks on every row an <c>INSERT … SELECT</c> reads under REPEATABLE
    /// READ, which would hold up the application's writes on the source until the export ends.
    /// </summary>
    string InsertIntoTemp(string table, IReadOnlyList<(string Name, string Type)> columns, string select) =>
        $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) {select}";

    /// <summary>
    /// What follows <c>WITH name AS</c> to make the database compute a common table expression once, before the query
    /// that reads it (<c>MATERIALIZED </c>); empty where the engine has no such hint (MariaDB materialises a CTE that
    /// holds a DISTINCT).
    /// </summary>
    string MaterializedCte => "MATERIALIZED ";

    /// <summary>
    /// The type of a text column of Ferry's own tables (the ledger), compared exactly; <paramref name="maxLength"/>
    /// characters at most when the column is part of a key (MariaDB indexes bounded text only): <c>TEXT</c> elsewhere.
    /// </summary>
    string TextType(int? maxLength) => "TEXT";

    /// <summary>
    /// True when DDL (CREATE/DROP/ALTER TABLE, ANALYZE) takes part in the transaction (PostgreSQL, SQLite); false when
    /// it commits it (MariaDB): the import then runs such DDL before its transaction starts, and inside it creates
    /// only the session's temporary tables (<see cref="CreateTempTable"/>), which must not commit.
    /// </summary>
    bool TransactionalDdl => true;

    /// <summary>
    /// True when reading the ledger and the target before staging a table is as safe as reading them after it: the
    /// import holds every lock it will hold from its start (SQLite: <c>BEGIN IMMEDIATE</c>, the database's one write
    /// lock), or takes no table lock at all (MariaDB: InnoDB's row locks only, so that another session may write between
    /// any two of the import's statements either way). An <c>--update</c> then reads what the ledger holds of a table
    /// before staging it and leaves the rows the ledger recorded as they are now out of the stage (<c>UnchangedRows</c>).
    /// False on PostgreSQL, whose import locks the tables it writes, and the ledger, once everything is staged.
    /// </summary>
    bool ReadsBeforeStagingAsAfter => false;

    /// <summary>
    /// False where a column stores values its declared type or length does not allow (SQLite's type affinity: text in an
    /// INTEGER column, ten characters in a VARCHAR(3)): the import then checks every value it writes itself, also those
    /// a profile's transforms rewrote (<c>Importer.CheckTransformedValuesAsync</c>). True where the engine refuses them
    /// (PostgreSQL; MariaDB in the strict mode Ferry's sessions set).
    /// </summary>
    bool EnforcesColumnTypes => true;

    /// <summary>How fresh ids of a key column fed by the target's generator are drawn.</summary>
    IdGeneration Ids => IdGeneration.Explicit;

    /// <summary>For <see cref="IdGeneration.OnInsert"/>: a query for the first id the session's last INSERT drew (<c>SELECT LAST_INSERT_ID()</c>).</summary>
    string FirstDrawnId => throw new NotSupportedException("this engine draws no ids on insert");

    /// <summary>
    /// For <see cref="IdGeneration.OnInsert"/>: a query for the position of <paramref name="table"/>'s generator (the next
    /// id it gives), read before an insert draws, and a statement that puts it back there, run outside any transaction
    /// once an import that drew did not commit (a dry run, a failure): InnoDB does not take back the ids a rolled-back
    /// insert drew, and never moves a counter below the ids the table holds.
    /// </summary>
    (string Read, string Rewind)? GeneratorPosition(Table table) => null;

    /// <summary>
    /// A DELETE of the rows of <paramref name="table"/> (aliased <c>u</c>) whose <paramref name="columns"/> are a row of
    /// <paramref name="select"/> (one value per column, named <c>k0</c>, <c>k1</c>, …) and that meet
    /// <paramref name="filter"/> (on <c>u.</c>…) when given: <c>DELETE FROM t AS u WHERE filter AND (u.a, u.b) IN
    /// (select)</c>, each row found by the table's index (SQLite makes the list an index, PostgreSQL hashes it). MariaDB
    /// joins instead (<c>DELETE u FROM t AS u JOIN (select) AS x ON … WHERE filter</c>): it applies no semi-join to a
    /// single-table DELETE, and read the whole table and the list once per row (2,200 rows of 217,800 deleted by
    /// <c>--sync</c> in 81 s; 4,400 rows kept by a list of 435,000 keys still ran after 5 minutes). The join reads the
    /// list, materialised without an index, and finds each row of the table by <paramref name="columns"/>: they must lead
    /// one of its indexes (a key, a primary key, or a scratch table's key on them).
    /// </summary>
    string DeleteIn(string table, IReadOnlyList<string> columns, string select, string? filter = null) =>
        $"DELETE FROM {table} AS u WHERE {(filter is null ? "" : $"{filter} AND ")}{RowValue(columns.Select(c => $"u.{Quote(c)}"))} IN ({select})";

    /// <summary>
    /// An UPDATE that sets <paramref name="set"/> (column, value) in the rows of <paramref name="table"/> whose
    /// <paramref name="keys"/> are a row of <paramref name="select"/> (as <see cref="DeleteIn"/>): <c>UPDATE t SET c = NULL
    /// WHERE (a, b) IN (select)</c>; MariaDB <c>UPDATE t AS u JOIN (select) AS x ON … SET …</c>, for the same reason.
    /// </summary>
    string UpdateIn(string table, IReadOnlyList<string> keys, IReadOnlyList<(string Column, string Value)> set, string select) =>
        $"UPDATE {table} SET {string.Join(", ", set.Select(c => $"{Quote(c.Column)} = {c.Value}"))} WHERE {RowValue(keys.Select(Quote))} IN ({select})";

    /// <summary>One value alone, several as a row value <c>(a, b)</c>, for <c>IN</c> lists of keys.</summary>
    public static string RowValue(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count == 1 ? list[0] : $"({string.Join(", ", list)})";
    }

    /// <summary>
    /// An UPDATE of <paramref name="target"/> (aliased <paramref name="alias"/>) that sets each column to its value from
    /// the rows of <paramref name="select"/> (aliased <paramref name="selectAlias"/>) that <paramref name="on"/> pairs
    /// with it: <c>UPDATE t AS u SET c = r.v FROM (select) AS r WHERE on</c>; MariaDB <c>UPDATE … JOIN … SET</c>.
    /// </summary>
    string UpdateFromSelect(string target, string alias, IReadOnlyList<(string Column, string Value)> set, string select, string selectAlias, string on) =>
        $"UPDATE {target} AS {alias} SET {string.Join(", ", set.Select(s => $"{Quote(s.Column)} = {s.Value}"))} FROM ({select}) AS {selectAlias} WHERE {on}";

    /// <summary>
    /// A query for the first value of the staged text column <paramref name="column"/> of the session's temporary table
    /// <paramref name="stage"/> (as <see cref="TempTable"/> gives it) that <paramref name="target"/> would not store as
    /// it is, with that value as the column would store it (two columns, or no row); null when the column stores
    /// every character (PostgreSQL and SQLite text, MariaDB's utf8mb4). A MariaDB column of another character set
    /// (latin1, utf8mb3) turns a character it lacks into <c>?</c>, or refuses it late, in the middle of the inserts.
    /// </summary>
    string? UnstorableText(string stage, string column, Column target) => null;

    /// <summary>
    /// Whether converting a value of archive type <paramref name="from"/> into <paramref name="target"/>
    /// (<see cref="ConvertToTarget"/>) can refuse a value that the archive's type and Ferry's value checks allow. Such
    /// columns are converted once before anything is written (before any id is drawn), so that the database refuses
    /// there rather than in the middle of the inserts. False by default: SQLite casts everything, and MariaDB's ENUM and
    /// SET members are checked by Ferry. PostgreSQL: text into an enum, an array, a domain or another type that travels
    /// as text, an integer into a domain.
    /// </summary>
    bool ConversionCanRefuse(FerryType from, Column target) => false;

    /// <summary>The text expressions <paramref name="parts"/> joined (<c>a || b</c>; MariaDB <c>CONCAT(a, b)</c>); NULL when one is.</summary>
    string Concat(IReadOnlyList<string> parts) => string.Join(" || ", parts);

    /// <summary>
    /// <paramref name="expression"/> cast to the staging type of <paramref name="type"/> (<c>CAST(x AS bigint)</c>); MariaDB,
    /// whose CAST takes other names than its column types, says <c>CAST(x AS SIGNED)</c>.
    /// </summary>
    string CastTo(string expression, FerryType type) => $"CAST({expression} AS {StagingType(type)})";

    /// <summary>The column type used in temporary tables for values of this archive type.</summary>
    string StagingType(FerryType type);

    /// <summary>
    /// <c>export --since</c> (docs/reimport.md): a query of one row and one text column, run before the export's snapshot
    /// begins, giving the source's clock now (UTC, <c>YYYY-MM-DD HH:MM:SS[.ffffff]</c>, optionally with <c>T</c> and
    /// <c>Z</c>).
    /// </summary>
    string SourceClock { get; }

    /// <summary>
    /// <c>export --since</c>: a query of one row and one text column (as <see cref="SourceClock"/>, or NULL when no other
    /// session has one open) giving the start of the oldest transaction another session has open (in the database on
    /// PostgreSQL, on the whole server on MariaDB), run just after <see cref="SourceClock"/>: such a transaction may commit
    /// after the snapshot began, so every change is committed before the earlier of the two, the export's
    /// <c>completeBefore</c>. A failure (a privilege the role lacks) leaves the clock as it is. Null: the engine shows no
    /// such time (SQLite).
    /// </summary>
    string? OldestOpenTransaction { get; }

    /// <summary>
    /// <c>export --since</c>: a condition true when <paramref name="column"/> (of archive type <paramref name="type"/>:
    /// <c>timestamp</c>, <c>timestamptz</c> or <c>date</c>) is earlier than <paramref name="bound"/>, an expression giving a
    /// UTC time as text <c>YYYY-MM-DD HH:MM:SS.ffffff</c>; for a date, earlier than the bound's date. NULL when the column is.
    /// </summary>
    string Before(string column, FerryType type, string bound);

    /// <summary>A hidden column that identifies a row inside one snapshot, for tables without a primary key: <c>rowid</c>, <c>ctid</c>.</summary>
    string RowLocator { get; }

    /// <summary>False when the engine has no <see cref="RowLocator"/> (InnoDB): what needs one is refused before anything is written.</summary>
    bool HasRowLocator => true;

    /// <summary>The temporary-table type that holds <see cref="RowLocator"/> values.</summary>
    string RowLocatorType { get; }

    /// <summary>
    /// What names a row of a staging table, for statements that pair staged rows with values computed from them (a
    /// profile's <c>fill</c>, documents rewritten by Ferry): the <see cref="RowLocator"/> where the engine has one; else
    /// a column that the engine numbers itself, which a stage has when it is created with <see cref="StageRowColumn"/>.
    /// </summary>
    string StageRow => RowLocator;

    /// <summary>The temporary-table type that holds <see cref="StageRow"/> values.</summary>
    string StageRowType => RowLocatorType;

    /// <summary>
    /// The column (name and its whole definition) that a staging table needs for <see cref="StageRow"/>, null where
    /// the engine's row locator serves (SQLite <c>rowid</c>, PostgreSQL <c>ctid</c>).
    /// </summary>
    (string Name, string Type)? StageRowColumn => null;

    /// <summary>
    /// Renames tables of the database (not temporary ones), in order, each <c>From</c> to <c>To</c> (unqualified names):
    /// <c>ALTER TABLE … RENAME TO …</c> each, inside the transaction; MariaDB one <c>RENAME TABLE</c>, atomic, as its DDL commits.
    /// </summary>
    IReadOnlyList<string> RenameTables(IReadOnlyList<(string From, string To)> renames) =>
        renames.Select(r => $"ALTER TABLE {Table(r.From)} RENAME TO {Quote(r.To)}").ToList();

    /// <summary>Drops a temporary table of <see cref="CreateTempTable"/> inside the transaction (MariaDB: <c>DROP TEMPORARY TABLE</c>, which does not commit).</summary>
    string DropTempTable(string name) => $"DROP TABLE {TempTable(name)}";

    /// <summary>
    /// The select-list expression that reads <paramref name="column"/> (given as a qualified
    /// expression, e.g. <c>t."created_at"</c>) in a form <see cref="IDatabaseEngine.ReadRowsAsync"/>
    /// turns into its archive type (PostgreSQL casts; SQLite reads as stored).
    /// </summary>
    string ExportColumn(string expression, Column column);

    /// <summary>
    /// Converts a staged expression holding values of <paramref name="from"/> (staged with
    /// <see cref="StagingType"/>) into the type of <paramref name="target"/>, for INSERT…SELECT.
    /// </summary>
    string ConvertToTarget(string expression, FerryType from, Column target);

    /// <summary>A parameter reference compared with <paramref name="column"/>, cast where the engine needs it.</summary>
    string Parameter(string name, Column column);

    /// <summary>
    /// The inner-join keyword that keeps the left table as the outer loop, so that a scope query is
    /// driven from the (small) key table through the big table's index: SQLite <c>CROSS JOIN</c>
    /// (its planner has no statistics for temporary tables and would scan the big table);
    /// PostgreSQL <c>JOIN</c>. Used with an ON clause.
    /// </summary>
    string DrivingJoin { get; }

    /// <summary>
    /// An expression giving the value of <paramref name="expression"/> as text, for messages (examples, ids not found):
    /// <c>CAST(x AS TEXT)</c>; MariaDB, which has no TEXT target of CAST, says <c>CAST(x AS CHAR)</c>.
    /// </summary>
    string AsText(string expression) => $"CAST({expression} AS TEXT)";

    /// <summary>
    /// <paramref name="expression"/>'s value, of archive type <paramref name="type"/>, as text for a ledger's keys
    /// and row digests: the same value always gives the same text in this engine (binary as hex); NULL stays NULL.
    /// </summary>
    string ValueText(string expression, FerryType type);

    /// <summary>The SHA-256 of the UTF-8 of a text expression as 64 lower-case hex digits; NULL for NULL.</summary>
    string Sha256Hex(string text);

    /// <summary>
    /// The ledger's digest of a row (<c>docs/reimport.md</c>): <see cref="Sha256Hex"/> of <see cref="RowDigestText.Tuple"/>
    /// of <paramref name="values"/> (not bare). An engine may compute it another way, but must give the same 64 digits.
    /// </summary>
    string RowDigest(IReadOnlyList<(string Expression, FerryType Type)> values) => Sha256Hex(RowDigestText.Tuple(this, values, bare: false));

    /// <summary>The larger of two integer expressions (GREATEST / max).</summary>
    string Greatest(string a, string b);

    /// <summary>
    /// A condition true when <paramref name="a"/> and <paramref name="b"/> are equal or both NULL
    /// (PostgreSQL <c>IS NOT DISTINCT FROM</c>, SQLite <c>IS</c>): a natural key with a NULL matches a
    /// NULL. Only where a side may be NULL: plain <c>=</c> keeps an index usable.
    /// </summary>
    string NotDistinct(string a, string b);

    /// <summary>
    /// An expression giving the highest id the table's generator may already have handed out for
    /// <paramref name="column"/>: the column's current maximum, and for SQLite AUTOINCREMENT or a
    /// PostgreSQL sequence, the generator's own position too. Never NULL (0 for an empty table).
    /// </summary>
    string CurrentMaxId(Table table, Column column);

    /// <summary>
    /// An expression that draws one fresh id from the column's own generator (PostgreSQL
    /// <c>nextval('seq')</c> for serial and identity columns), safe against other sessions drawing
    /// ids at the same time; null when the engine has none. Not undone by a rollback: the core uses
    /// it only once every check has passed and the import is going to commit.
    /// </summary>
    string? NextId(Column column);

    /// <summary>
    /// Statements to run, inside the import transaction before ids are allocated and conflicts
    /// checked, so that concurrent writers cannot interfere (PostgreSQL LOCK TABLE); may be empty.
    /// </summary>
    IReadOnlyList<string> LockForImport(IReadOnlyList<string> tables);

    /// <summary>
    /// A query of one text value: NULL when this session may create <paramref name="tables"/> in the connection's
    /// schema (<paramref name="exist"/> false) or read, write and lock them (true); otherwise what it may not do, in
    /// words ("create tables in schema public"). Null where the engine has no privileges to check (SQLite).
    /// </summary>
    string? MissingPrivilege(IReadOnlyList<string> tables, bool exist) => null;

    /// <summary>
    /// For <c>--exclusive</c>: statements that lock <paramref name="tables"/> against every other session, readers
    /// included, until the import's transaction ends (PostgreSQL <c>ACCESS EXCLUSIVE</c>), in place of
    /// <see cref="LockForImport"/>; null where the engine has no such mode.
    /// </summary>
    IReadOnlyList<string>? LockExclusive(IReadOnlyList<string> tables);

    /// <summary>
    /// For <c>--exclusive</c>: a statement that takes <paramref name="key"/> off while the import inserts, so that its
    /// rows are not checked one at a time, and one that puts it back exactly as it was, which makes the database
    /// check every row of the table at once (its guarantee holds again before the commit); null where the engine
    /// cannot, or for a key it cannot re-create as it was (deferrable keys, which the import may defer, included).
    /// </summary>
    (string Drop, string Restore)? SuspendForeignKey(ForeignKey key);

    /// <summary>
    /// Statements that switch the session's foreign key checks off and back on inside the import's transaction, without
    /// committing it (MariaDB <c>SET foreign_key_checks = 0</c> and <c>= 1</c>), so that the rows of a cycle of NOT NULL
    /// keys that are not DEFERRABLE can be written before the rows they point at; null where the engine cannot (SQLite
    /// defers any key instead, <see cref="DeferConstraints"/>; PostgreSQL takes keys off only under <c>--exclusive</c>,
    /// <see cref="SuspendForeignKey"/>). Switching them back on checks nothing already written: the import checks every
    /// key so written with a query of its own before the commit.
    /// </summary>
    (string Off, string On)? ForeignKeyChecks => null;

    /// <summary>
    /// A query of the triggers through which the target checks a foreign key row by row as rows are inserted into
    /// <paramref name="tables"/>, that this session may switch off for one insert and back on right after it
    /// (<see cref="SwitchTrigger"/>), the import checking the rows so written itself, with one query per key, before the
    /// commit: rows of (table, constraint, trigger, 1 when the trigger is deferrable, 1 when it may be switched, 1 when no
    /// trigger or rule of the application is anywhere in the database, so that nothing but the import's own statements
    /// writes or removes rows while it runs: a key whose values come from the import's key maps is then proven by them
    /// and needs no query, <see cref="Import.MergeSql.ProvenByMap"/>). A table
    /// that holds a deferrable one which is not switched keeps all of its triggers: the event it leaves pending after the
    /// insert would stop the others from being switched back on. Null where the engine has none (the default).
    /// PostgreSQL: only plain tables with no trigger or rule of the application (which could write rows the import's
    /// check does not see), for a superuser only (only a superuser may switch a constraint's own triggers); any other
    /// session gets no row.
    /// </summary>
    string? InsertCheckTriggers(IReadOnlyList<string> tables) => null;

    /// <summary>
    /// A query of the foreign keys of <paramref name="tables"/> that the target has enforced on every row it holds:
    /// rows of (table, constraint). An import then needs no query to know that no row of such a table holds a value the
    /// key's referenced table does not (the fresh ids it draws, <see cref="Import.MergeSql.HoldsFreshParent"/>). Null
    /// where the engine gives no such guarantee (the default): SQLite checks keys only on connections that turn
    /// <c>foreign_keys</c> on, MariaDB skips them in any session with <c>foreign_key_checks</c> off. PostgreSQL: keys
    /// validated (not left <c>NOT VALID</c>) whose check triggers fire in ordinary sessions (none disabled, or set to fire
    /// on replicas only), of plain tables (not of a partitioned table or a partition, whose checks live on each partition).
    /// </summary>
    string? EnforcedForeignKeys(IReadOnlyList<string> tables) => null;

    /// <summary>The statements that switch <paramref name="trigger"/> of <paramref name="table"/> off and back on inside
    /// the import's transaction (<see cref="InsertCheckTriggers"/>).</summary>
    (string Off, string On) SwitchTrigger(string table, string trigger) =>
        throw new NotSupportedException($"{nameof(SwitchTrigger)}: the engine lists no insert check trigger");

    /// <summary>
    /// Statements that move <paramref name="table"/>'s id generators past the ids it holds after
    /// an import (PostgreSQL setval; SQLite keeps sqlite_sequence itself); may be empty.
    /// </summary>
    IReadOnlyList<string> SyncGenerators(Table table);

    /// <summary>
    /// Statements that make <paramref name="keys"/> (each <see cref="ForeignKey.Deferrable"/>) wait for the end of
    /// the import's transaction, so that a row may be written before the row it points at (PostgreSQL
    /// <c>SET CONSTRAINTS … DEFERRED</c>; SQLite <c>PRAGMA defer_foreign_keys</c>); empty for no keys.
    /// </summary>
    IReadOnlyList<string> DeferConstraints(IReadOnlyList<ForeignKey> keys);

    /// <summary>
    /// Statements that check deferred <paramref name="keys"/> now rather than at commit, so that a violation
    /// fails the import like any other statement, dry runs included (PostgreSQL <c>SET CONSTRAINTS … IMMEDIATE</c>);
    /// empty where the engine cannot (SQLite checks them at commit).
    /// </summary>
    IReadOnlyList<string> CheckDeferredConstraints(IReadOnlyList<ForeignKey> keys);

    /// <summary>
    /// The part between <c>INSERT INTO t (cols)</c> and <c>SELECT</c>: PostgreSQL needs
    /// <c>OVERRIDING SYSTEM VALUE</c> when a GENERATED ALWAYS column is written.
    /// </summary>
    string InsertOverride(Table table, IReadOnlyList<string> columns);

    /// <summary>A string literal (<c>'it''s'</c>), for values a profile gives (a polymorphic type, a JSON path).</summary>
    string Literal(string value);

    /// <summary>
    /// How values of <paramref name="column"/> (a column of this engine) spell an array of keys: the engine's own
    /// array text (PostgreSQL <c>{1,2}</c>) for a native array column, JSON (<c>[1,2]</c>) otherwise.
    /// </summary>
    ArrayForm FormOf(Column column);

    /// <summary>
    /// The keys a profile relation of kind <see cref="ReferenceKind.Array"/> or <see cref="ReferenceKind.Json"/>
    /// holds in <paramref name="expression"/>, whose values spell arrays in <paramref name="form"/>: FROM items
    /// (to follow <c>CROSS JOIN</c> or <c>FROM</c>), the key as an expression of the type <paramref name="key"/> says
    /// (NULL where the value at the path is not such a key), and an
    /// expression giving the keys' order in the value. Each document is parsed once per row. The path is
    /// Ferry's parsed <see cref="JsonKeyPath"/>: member names go into SQL as literals, indexes as numbers.
    /// </summary>
    ReferenceElements ReferenceElements(ReferenceShape shape, string expression, ArrayForm form, ReferenceKey key);

    /// <summary>
    /// An UPDATE of staging table <paramref name="stage"/> (as <see cref="TempTable"/> gives it) that replaces
    /// every key that an <see cref="ReferenceKind.Array"/> relation holds in <paramref name="column"/> by its new
    /// key from map table <paramref name="map"/> (columns <c>o0</c> → <c>n0</c>), in order; elements the map does
    /// not hold are dropped. For arrays whose staged values or target column are SQL arrays
    /// (<paramref name="form"/>, <paramref name="target"/>): JSON text in JSON columns is rewritten by Ferry itself,
    /// keeping its text (<c>Import/DocumentRewriter</c>).
    /// </summary>
    string RewriteReferences(string stage, string column, ReferenceShape shape, ArrayForm form, ReferenceKey key, Column target, string map);

    /// <summary>
    /// An aggregate over the rows of a query that gives, as JSON text, the array of pairs
    /// <c>[[old, new], ...]</c> of two expressions (old keys and their new keys); NULL or <c>[]</c> for no rows.
    /// </summary>
    string PairsAggregate(string oldKey, string newKey);

    /// <summary>
    /// A <see cref="StageRow"/> value from its text (<c>CAST(x AS tid)</c>): a staged row's name read as text is compared
    /// with those of a staging table that has not changed since, in order (<c>&gt;</c>) or for equality.
    /// </summary>
    string LocatorFromText(string text);
}

/// <summary>How an engine gives fresh ids to a key column that its generator (sequence, AUTO_INCREMENT) feeds.</summary>
public enum IdGeneration
{
    /// <summary>
    /// The import writes the ids itself: drawn with <see cref="ISqlDialect.NextId"/> where the engine has an
    /// expression for it (PostgreSQL nextval), else the column's maximum plus a row number under the write lock (SQLite).
    /// </summary>
    Explicit,

    /// <summary>
    /// The INSERT … SELECT that writes the rows leaves the column to the generator and draws one block of consecutive
    /// ids, in the order of the rows (InnoDB AUTO_INCREMENT): the key map then takes them, by rank, from the first id.
    /// </summary>
    OnInsert,
}

/// <summary>Keys inside a value: FROM items, each key (NULL when the value there is not a key), and its position.</summary>
public sealed record ReferenceElements(string From, string Key, string Order);

/// <summary>
/// The type of the keys a relation points at, which a value inside an array or document must have to be one:
/// <see cref="FerryType.Int"/> (a JSON integer, or a string of 1 to 18 digits with an optional minus),
/// <see cref="FerryType.Uuid"/> (a string of a UUID), otherwise a string.
/// </summary>
/// <param name="SqlType">The SQL type of the column compared with the keys (the catalogue's, or a staging type).</param>
/// <param name="Canonical">True when the keys compared with are in the archive's canonical form (a UUID in lower case):
/// a key inside a document is put in that form first.</param>
public sealed record ReferenceKey(FerryType Type, string SqlType, bool Canonical = false);

/// <summary>How a value spells an array of keys (<c>docs/format.md</c>, a reference's <c>arrayForm</c>).</summary>
public enum ArrayForm
{
    /// <summary>A JSON array: <c>[1,2]</c>.</summary>
    Json,
    /// <summary>SQL array text, as PostgreSQL prints an array: <c>{1,2}</c>, <c>{"a b",NULL}</c>.</summary>
    Sql,
}
