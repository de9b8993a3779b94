using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Postgres;

/// <summary>PostgreSQL SQL text for one schema. Pure: no I/O.</summary>
public sealed partial class PostgresDialect(string schema) : ISqlDialect
{
    private readonly string _schema = schema;

    public string RowLocator => "ctid";

    public string RowLocatorType => "tid";

    /// <summary>A quoted identifier; a NUL, which would end the statement's text early, is refused.</summary>
    public string Quote(string identifier) => "\"" + NoNul(identifier).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public string Table(string name) => Quote(_schema) + "." + Quote(name);

    public string Rows(Table table) => (table.HasInheritors ? "ONLY " : "") + Table(table.Name);

    /// <summary><c>"pg_temp"."name"</c>: the session's temporary schema, never a real table of the same name.</summary>
    public string TempTable(string name) => "\"pg_temp\"." + Quote(name);

    // From a sample of 3,000 rows (default_statistics_target 10) rather than PostgreSQL's 30,000: Ferry's temporary
    // tables are joined by their keys, which a small sample describes as well, and reading the larger sample of a wide
    // stage took most of the time (434,780 staged messages: 0.22 s against 0.03 s). The setting the session had is
    // kept aside and put back (RESET would give the server's default instead of a value the session set).
    public string? AnalyzeTemp(string name) =>
        "SELECT set_config('ferry.statistics_target', current_setting('default_statistics_target'), true), set_config('default_statistics_target', '10', true); " +
        $"ANALYZE {TempTable(name)}; SELECT set_config('default_statistics_target', current_setting('ferry.statistics_target'), true)";

    // A role that may not analyze the table gets a warning, not an error: the import goes on with older statistics.
    public string? AnalyzeTable(string name) => $"ANALYZE {Table(name)}";

    public string CreateTempTable(string name, IReadOnlyList<(string Name, string Type)> columns, IReadOnlyList<string> primaryKey)
    {
        var parts = columns.Select(c => Quote(c.Name) + " " + c.Type).ToList();
        if (primaryKey.Count > 0)
        {
            parts.Add("PRIMARY KEY (" + QuoteList(primaryKey) + ")");
        }
        return $"CREATE TEMP TABLE {Quote(name)} ({string.Join(", ", parts)}) ON COMMIT DROP";
    }

    // The ledger's text in the "C" collation: its keys are compared for equality only, and byte order spares the
    // locale's comparison on every index step (1M ledger rows recorded in 8.3 s instead of 13.4 s under C.UTF-8;
    // bench/notes.md). Equality is exact in every deterministic collation, so nothing else changes.
    public string TextType(int? maxLength) => "text COLLATE \"C\"";

    public string StagingType(FerryType type) => type switch
    {
        FerryType.Int => "bigint",
        FerryType.Float => "double precision",
        FerryType.Bool => "boolean",
        FerryType.Bytes => "bytea",
        _ => "text",
    };

    /// <summary>Casts to the types <see cref="PostgresRowReader"/> reads: int8, float8, bool, bytea, text.</summary>
    public string ExportColumn(string expression, Column column) => column.Type switch
    {
        FerryType.Int => $"({expression})::int8",
        FerryType.Float => $"({expression})::float8",
        FerryType.Bool or FerryType.Bytes => expression,
        _ => $"({expression})::text",
    };

    public string ConvertToTarget(string expression, FerryType from, Column target)
    {
        if (string.Equals(StagingType(from), target.SqlType, StringComparison.Ordinal))
        {
            return expression;
        }
        if (from == FerryType.Int && target.Type == FerryType.Bool)
        {
            var test = $"(({expression}) <> 0)";
            return target.SqlType == "boolean" ? test : $"CAST({test} AS {target.SqlType})";
        }
        if (from == FerryType.Bool && target.Type == FerryType.Int)
        {
            return $"(({expression})::int)::{target.SqlType}";
        }
        if (from == FerryType.Text && IsCharacterType(target.SqlType))
        {
            // An explicit CAST to varchar(n)/char(n) silently truncates; assignment raises "value too long".
            return expression;
        }
        return $"CAST({expression} AS {target.SqlType})";
    }

    // Text into a type that travels as text (an enum, an array, inet, a domain, …) and an integer into a domain are cast
    // by PostgreSQL's input functions and domain checks, which can refuse a value; the built-in types are checked by Ferry.
    public bool ConversionCanRefuse(FerryType from, Column target) => (from, target.Type) switch
    {
        (FerryType.Text, FerryType.Text) => target.SqlType is not ("text" or "citext" or "name") && !IsCharacterType(target.SqlType),
        (FerryType.Int, FerryType.Int) => target.SqlType is not ("smallint" or "integer" or "bigint"),
        _ => false,
    };

    public string Parameter(string name, Column column)
    {
        if (column.Type == FerryType.Int)
        {
            return "@" + name;
        }
        // Casting a parameter to varchar(n)/char(n) would truncate it and could make a longer value match.
        var type = !IsCharacterType(column.SqlType) ? column.SqlType
            : column.SqlType.StartsWith("character varying", StringComparison.Ordinal) ? "text"
            : "bpchar";
        return $"CAST(@{name} AS {type})";
    }

    public string Greatest(string a, string b) => $"GREATEST({a}, {b})";

    // Text forms follow the session's settings, which PostgresEngine fixes (UTC, ISO dates, shortest-exact floats).
    public string ValueText(string expression, FerryType type) =>
        type == FerryType.Bytes ? $"encode({expression}, 'hex')" : $"CAST({expression} AS text)";

    public string Sha256Hex(string text) => $"encode(sha256(convert_to({text}, 'UTF8')), 'hex')";

    // The same text as the default (each part "length:text" or "~", joined by ','), assembled by one concat_ws instead
    // of a chain of || that copies the growing text once per operator: about 40% less time per digest. concat_ws takes
    // at most 100 arguments, the separator included.
    public string RowDigest(IReadOnlyList<(string Expression, FerryType Type)> values)
    {
        if (values.Count is 0 or > 99)
        {
            return Sha256Hex(RowDigestText.Tuple(this, values, bare: false));
        }
        var parts = values.Select(v =>
        {
            var text = ValueText(v.Expression, v.Type);
            return $"COALESCE(length({text}) || ':' || {text}, '~')";
        });
        return Sha256Hex($"concat_ws(',', {string.Join(", ", parts)})");
    }

    public string NotDistinct(string a, string b) => $"{a} IS NOT DISTINCT FROM {b}";

    public string CurrentMaxId(Table table, Column column)
    {
        var max = $"COALESCE((SELECT MAX({Quote(column.Name)}) FROM {Table(table.Name)}), 0)";
        return column.Sequence is null ? max : $"GREATEST({max}, {SequencePosition(column.Sequence)})";
    }

    public string DrivingJoin => "JOIN";

    public string? NextId(Column column) =>
        column.Sequence is null ? null : $"nextval({Literal(column.Sequence)})";

    public IReadOnlyList<string> LockForImport(IReadOnlyList<string> tables) =>
        tables.Count == 0
            ? []
            : [$"LOCK TABLE {string.Join(", ", tables.Select(Table))} IN SHARE ROW EXCLUSIVE MODE"];

    // has_table_privilege with several privileges is true when any one is held: each is asked on its own.
    public string? MissingPrivilege(IReadOnlyList<string> tables, bool exist)
    {
        if (!exist)
        {
            return $"SELECT CASE WHEN has_schema_privilege({Literal(_schema)}, 'CREATE') THEN NULL ELSE {Literal($"create tables in schema {_schema}")} END";
        }
        var held = tables.SelectMany(t => new[] { "SELECT", "INSERT", "UPDATE", "DELETE" }.Select(p => $"has_table_privilege({Literal(Table(t))}, '{p}')"));
        return $"SELECT CASE WHEN {string.Join(" AND ", held)} THEN NULL ELSE {Literal($"read and write {string.Join(" and ", tables)}")} END";
    }

    public IReadOnlyList<string>? LockExclusive(IReadOnlyList<string> tables) =>
        tables.Count == 0 ? [] : [$"LOCK TABLE {string.Join(", ", tables.Select(Table))} IN ACCESS EXCLUSIVE MODE"];

    // The definition is the target catalogue's own text (pg_get_constraintdef), never an archive's.
    public (string Drop, string Restore)? SuspendForeignKey(ForeignKey key) =>
        key.Definition is { } definition && !key.Deferrable && !key.IsVirtual
            ? ($"ALTER TABLE {Table(key.Table)} DROP CONSTRAINT {Quote(key.Name)}",
               $"ALTER TABLE {Table(key.Table)} ADD CONSTRAINT {Quote(key.Name)} {definition}")
            : null;

    /// <summary>
    /// The <c>RI_FKey_check_ins</c> trigger of each foreign key of <paramref name="tables"/> that is not switched off,
    /// whether it is deferrable, and whether it may be switched: enabled as it is by default (<c>O</c>: switching it
    /// back on restores exactly that) and not MATCH FULL. Only plain tables (not partitioned, not a partition) with no
    /// rule, no trigger but those of their constraints, and no deferrable trigger but those of their foreign keys (a
    /// trigger or rule of the application could write rows the import's check does not see; a deferred unique
    /// constraint's event pending after the insert would make PostgreSQL refuse to switch the trigger back on). Rows
    /// only for a superuser: PostgreSQL lets no one else switch a constraint's own triggers.
    /// </summary>
    public string? InsertCheckTriggers(IReadOnlyList<string> tables) =>
        tables.Count == 0
            ? null
            : "SELECT c.relname, k.conname, t.tgname, CASE WHEN t.tgdeferrable THEN 1 ELSE 0 END, " +
              "CASE WHEN t.tgenabled = 'O' AND k.confmatchtype <> 'f' THEN 1 ELSE 0 END, " +
              "CASE WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger a WHERE NOT a.tgisinternal) " +
              "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite w JOIN pg_catalog.pg_class r ON r.oid = w.ev_class WHERE r.relkind IN ('r', 'p')) THEN 1 ELSE 0 END FROM pg_catalog.pg_trigger t " +
              "JOIN pg_catalog.pg_constraint k ON k.oid = t.tgconstraint JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid " +
              $"WHERE t.tgrelid = ANY (ARRAY[{string.Join(", ", tables.Select(t => Literal(Table(t))))}]::regclass[]) " +
              "AND t.tgfoid = 'pg_catalog.\"RI_FKey_check_ins\"'::regproc AND t.tgenabled <> 'D' AND k.contype = 'f' " +
              "AND c.relkind = 'r' AND NOT c.relispartition AND NOT c.relhasrules " +
              "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger d JOIN pg_catalog.pg_proc f ON f.oid = d.tgfoid WHERE d.tgrelid = t.tgrelid " +
              "AND (NOT d.tgisinternal OR (d.tgdeferrable AND f.proname NOT LIKE 'RI\\_FKey\\_%'))) " +
              "AND current_setting('is_superuser') = 'on' ORDER BY 1, 2";

    public string? EnforcedForeignKeys(IReadOnlyList<string> tables) =>
        tables.Count == 0
            ? null
            : "SELECT c.relname, k.conname FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid " +
              $"WHERE k.conrelid = ANY (ARRAY[{string.Join(", ", tables.Select(t => Literal(Table(t))))}]::regclass[]) AND k.contype = 'f' AND k.convalidated " +
              // A partitioned table's keys are checked by triggers on each partition, which this query does not read.
              "AND c.relkind = 'r' AND NOT c.relispartition " +
              "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger t WHERE t.tgconstraint = k.oid AND t.tgrelid = k.conrelid AND t.tgenabled IN ('D', 'R')) ORDER BY 1, 2";

    // The trigger's name is the target catalogue's own (pg_trigger), never an archive's.
    public (string Off, string On) SwitchTrigger(string table, string trigger) =>
        ($"ALTER TABLE {Table(table)} DISABLE TRIGGER {Quote(trigger)}", $"ALTER TABLE {Table(table)} ENABLE TRIGGER {Quote(trigger)}");

    /// <summary>
    /// One <c>setval</c> per sequence column, run only when the column's maximum is past the
    /// sequence's position: a sequence never moves backwards, and an untouched one is left alone.
    /// </summary>
    public IReadOnlyList<string> SyncGenerators(Table table) =>
        table.Columns
            .Where(c => c.Sequence is not null)
            .Select(c =>
                $"SELECT setval({Literal(c.Sequence!)}, m.max_id) FROM (SELECT MAX({Quote(c.Name)}) AS max_id FROM {Table(table.Name)}) m " +
                $"WHERE m.max_id > {SequencePosition(c.Sequence!)}")
            .ToList();

    public IReadOnlyList<string> DeferConstraints(IReadOnlyList<ForeignKey> keys) => SetConstraints(keys, "DEFERRED");

    public IReadOnlyList<string> CheckDeferredConstraints(IReadOnlyList<ForeignKey> keys) => SetConstraints(keys, "IMMEDIATE");

    // A constraint name qualified by the schema names the constraint of that name on any of its tables.
    private IReadOnlyList<string> SetConstraints(IReadOnlyList<ForeignKey> keys, string mode)
    {
        var names = keys.SelectMany(k => k.Constraints).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? [] : [$"SET CONSTRAINTS {string.Join(", ", names.Select(n => Quote(_schema) + "." + Quote(n)))} {mode}"];
    }

    public string InsertOverride(Table table, IReadOnlyList<string> columns) =>
        columns.Any(name => table.FindColumn(name)?.GeneratedAlways == true) ? "OVERRIDING SYSTEM VALUE" : "";

    /// <summary>
    /// A string literal (<c>'it''s'</c>). A value with a backslash is written as an escape string
    /// (<c>E'a\\b'</c>), which means the same whatever the server's standard_conforming_strings: with that
    /// setting off, a plain <c>'a\'</c> would let a quote escape the literal. A NUL is refused.
    /// </summary>
    public static string Literal(string value)
    {
        var quoted = NoNul(value).Replace("'", "''", StringComparison.Ordinal);
        return value.Contains('\\', StringComparison.Ordinal)
            ? "E'" + quoted.Replace("\\", "\\\\", StringComparison.Ordinal) + "'"
            : "'" + quoted + "'";
    }

    private static string NoNul(string text) =>
        text.Contains('\0', StringComparison.Ordinal) ? throw new ArgumentException("SQL text cannot hold a NUL character", nameof(text)) : text;

    string ISqlDialect.Literal(string value) => Literal(value);

    // The last value the sequence handed out (one below its start when nextval was never called).
    private static string SequencePosition(string sequence) =>
        $"(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {sequence})";

    private static bool IsCharacterType(string sqlType) =>
        sqlType.StartsWith("character", StringComparison.Ordinal) && !sqlType.EndsWith("]", StringComparison.Ordinal);

    private string QuoteList(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));
}
