using System.Text.RegularExpressions;
using Ferry.Schema;
using Microsoft.Data.Sqlite;

namespace Ferry.Sqlite;

/// <summary>
/// Reads the tables of <c>main</c> from SQLite's catalog pragmas, inside the caller's transaction.
/// Internal tables (<c>sqlite_%</c>), views, virtual tables and their shadow tables are left out.
/// </summary>
internal static partial class SqliteSchemaReader
{
    private const string TablesSql = """
        SELECT l."name", l."wr", m."sql"
        FROM pragma_table_list AS l
        JOIN "main"."sqlite_master" AS m ON m."type" = 'table' AND m."name" = l."name"
        WHERE l."schema" = 'main' AND l."type" = 'table' AND l."name" NOT LIKE 'sqlite\_%' ESCAPE '\'
        ORDER BY l."name"
        """;

    private const string ColumnsSql = """
        SELECT "name", "type", "notnull", "dflt_value", "pk", "hidden"
        FROM pragma_table_xinfo(@table, 'main') ORDER BY "cid"
        """;

    private const string IndexesSql = """
        SELECT "name", "unique", "origin", "partial" FROM pragma_index_list(@table, 'main') ORDER BY "name"
        """;

    private const string IndexColumnsSql = """
        SELECT "cid", "name" FROM pragma_index_info(@index, 'main') ORDER BY "seqno"
        """;

    private const string IndexSqlSql = """
        SELECT "sql" FROM "main"."sqlite_master" WHERE "type" = 'index' AND "name" = @index
        """;

    private const string ForeignKeysSql = """
        SELECT "id", "table", "from", "to" FROM pragma_foreign_key_list(@table, 'main') ORDER BY "id", "seq"
        """;

    public static async Task<DatabaseSchema> ReadAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        var catalog = new Catalog(connection, transaction);
        var tables = new List<Table>();
        foreach (var (name, withoutRowid, sql) in await catalog.QueryAsync(TablesSql, [], r => (r.GetString(0), r.GetInt64(1) != 0, r.GetString(2)), cancellationToken))
        {
            tables.Add(await ReadTableAsync(catalog, name, withoutRowid, sql, cancellationToken));
        }

        // Foreign keys name their target as written (any case, columns possibly omitted): resolve
        // them against the tables just read.
        var byName = tables.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);
        var resolved = new List<Table>(tables.Count);
        foreach (var table in tables)
        {
            var rows = await catalog.QueryAsync(
                ForeignKeysSql,
                [("@table", table.Name)],
                r => (Id: r.GetInt64(0), RefTable: r.GetString(1), From: r.GetString(2), To: r.IsDBNull(3) ? null : r.GetString(3)),
                cancellationToken);
            var foreignKeys = rows
                .GroupBy(r => r.Id)
                .Select(g => ResolveForeignKey(table, g.Key, g.ToList(), byName))
                .ToList();
            resolved.Add(table with { ForeignKeys = foreignKeys });
        }

        return UsableKeys.Schema(resolved);
    }

    private static async Task<Table> ReadTableAsync(Catalog catalog, string name, bool withoutRowid, string sql, CancellationToken cancellationToken)
    {
        var rows = await catalog.QueryAsync(
            ColumnsSql,
            [("@table", name)],
            r => (Name: r.GetString(0), Type: r.GetString(1), NotNull: r.GetInt64(2) != 0, Default: r.IsDBNull(3) ? null : r.GetString(3), Pk: r.GetInt64(4), Hidden: r.GetInt64(5)),
            cancellationToken);

        // Hidden columns are generated ones (2 virtual, 3 stored): they cannot be inserted, so they do not travel.
        var visible = rows.Where(r => r.Hidden == 0).ToList();
        var primaryKey = visible.Where(r => r.Pk > 0).OrderBy(r => r.Pk).Select(r => r.Name).ToList();

        var indexes = await catalog.QueryAsync(
            IndexesSql,
            [("@table", name)],
            r => (Name: r.GetString(0), Unique: r.GetInt64(1) != 0, Origin: r.GetString(2), Partial: r.GetInt64(3) != 0),
            cancellationToken);

        // An INTEGER PRIMARY KEY of a rowid table is the rowid itself and has no index of its own;
        // any other primary key (INT, DESC, composite, WITHOUT ROWID) is backed by an origin 'pk' index.
        var rowidAlias = !withoutRowid && primaryKey.Count == 1 && !indexes.Any(i => i.Origin == "pk");
        var autoincrement = rowidAlias && AutoincrementKeyword().IsMatch(sql);

        var columns = visible.Select(r =>
        {
            var isAlias = rowidAlias && r.Pk > 0;
            var type = SqliteTypeMap.Map(r.Type);
            return new Column(
                r.Name,
                r.Type,
                type,
                // A primary key column is NOT NULL in effect (SQLite's legacy NULLs in rowid-table keys are not honoured).
                Nullable: !r.NotNull && r.Pk == 0,
                Default: r.Default,
                IsAutoIncrement: isAlias,
                Sequence: isAlias && autoincrement ? SqliteDialect.SequenceTable : null) { Limits = SqliteTypeMap.Limits(r.Type, type) };
        }).ToList();

        var uniques = new List<UniqueKey>();
        if (primaryKey.Count > 0)
        {
            uniques.Add(new UniqueKey("pk_" + name, primaryKey, IsPrimaryKey: true));
        }

        var filtered = new List<FilteredUniqueKey>();
        var expressions = new List<ExpressionUniqueKey>();
        var generatedKeys = new List<(string Name, List<string> Columns, string? Predicate)>();
        foreach (var index in indexes.Where(i => i.Unique && i.Origin != "pk"))
        {
            var keyParts = await catalog.QueryAsync(IndexColumnsSql, [("@index", index.Name)], r => (Cid: r.GetInt64(0), Name: r.IsDBNull(1) ? null : r.GetString(1)), cancellationToken);
            var cids = keyParts.Select(k => k.Cid).ToList();
            var keyColumns = keyParts.Select(k => k.Cid < 0 ? null : k.Name).ToList();
            // cid -2 is an expression: its key parts are read from the index's own SQL text. -1 is the rowid, which
            // Ferry does not compare.
            if (!keyColumns.All(c => c is not null))
            {
                if (!cids.Contains(-1)
                    && (await catalog.QueryAsync(IndexSqlSql, [("@index", index.Name)], r => r.IsDBNull(0) ? null : r.GetString(0), cancellationToken))
                        .SingleOrDefault() is { } expressionSql
                    && SqliteSqlText.KeyParts(expressionSql) is { } parts && parts.Count == cids.Count)
                {
                    var where = index.Partial && PartialIndexPredicate().Match(expressionSql) is { Success: true } p ? p.Groups["p"].Value.Trim() : null;
                    if (!index.Partial || where is not null)
                    {
                        expressions.Add(new ExpressionUniqueKey(index.Name, parts, where));
                    }
                }
                continue;
            }
            if (!index.Partial)
            {
                uniques.Add(new UniqueKey(index.Name, keyColumns.Select(c => c!).ToList(), IsPrimaryKey: false));
                generatedKeys.Add((index.Name, keyColumns.Select(c => c!).ToList(), null));
            }
            else if ((await catalog.QueryAsync(IndexSqlSql, [("@index", index.Name)], r => r.IsDBNull(0) ? null : r.GetString(0), cancellationToken))
                     .SingleOrDefault() is { } indexSql && PartialIndexPredicate().Match(indexSql) is { Success: true } predicate)
            {
                filtered.Add(new FilteredUniqueKey(index.Name, keyColumns.Select(c => c!).ToList(), predicate.Groups["p"].Value.Trim()));
                generatedKeys.Add((index.Name, keyColumns.Select(c => c!).ToList(), predicate.Groups["p"].Value.Trim()));
            }
        }

        // A unique key over generated columns is checked by the expressions they are computed by (CREATE TABLE text).
        var generatedNames = rows.Where(r => r.Hidden != 0).Select(r => r.Name).ToList();
        var hidden = generatedNames.ToHashSet(StringComparer.Ordinal);
        var generatedBy = SqliteSqlText.GeneratedColumns(sql);
        string Part(string column) => hidden.Contains(column) ? $"({generatedBy[column]})" : $"\"{column.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        foreach (var (keyName, keyColumns, where) in generatedKeys)
        {
            if (keyColumns.Any(hidden.Contains) && keyColumns.All(c => !hidden.Contains(c) || generatedBy.ContainsKey(c)))
            {
                expressions.Add(new ExpressionUniqueKey(keyName, keyColumns.Select(Part).ToList(), where));
            }
        }

        // CHECK constraints live in the CREATE TABLE text: a constraint without a name is named by its place.
        var checks = SqliteSqlText.Checks(sql).Select((c, i) => new CheckConstraint(c.Name ?? $"#{i + 1}", $"({c.Condition})")).ToList();
        return new Table(name, columns, primaryKey, uniques, []) { FilteredUniques = filtered, ExpressionUniques = expressions, Checks = checks, GeneratedColumns = generatedNames };
    }

    private static ForeignKey ResolveForeignKey(
        Table table,
        long id,
        IReadOnlyList<(long Id, string RefTable, string From, string? To)> rows,
        Dictionary<string, Table> tables)
    {
        var name = $"fk_{table.Name}_{id}";
        if (!tables.TryGetValue(rows[0].RefTable, out var target))
        {
            throw new FerryException($"foreign key {name} of table {table.Name} references table '{rows[0].RefTable}', which does not exist");
        }

        // A column that is not among the table's is a generated one (SQLite checks that the others exist):
        // the key keeps its name and UsableKeys leaves it out, with a note.
        var columns = rows.Select(r => table.Columns.FirstOrDefault(c => string.Equals(c.Name, r.From, StringComparison.OrdinalIgnoreCase))?.Name ?? r.From).ToList();
        // A REFERENCES clause without columns means the referenced table's primary key.
        IReadOnlyList<string> refColumns = rows[0].To is null
            ? target.PrimaryKey
            : rows.Select(r => target.Columns.FirstOrDefault(c => string.Equals(c.Name, r.To, StringComparison.OrdinalIgnoreCase))?.Name
                ?? throw new FerryException($"foreign key {name} of table {table.Name} references column {target.Name}.{r.To}, which does not exist")).ToList();
        if (refColumns.Count != columns.Count)
        {
            throw new FerryException($"foreign key {name} of table {table.Name} has {columns.Count} columns but {target.Name} has a key of {refColumns.Count}");
        }

        var nullable = columns.Any(c => table.FindColumn(c)?.Nullable ?? true);
        // Any SQLite key can wait for the commit: PRAGMA defer_foreign_keys defers them all in a transaction.
        return new ForeignKey(name, table.Name, columns, target.Name, refColumns, nullable) { Deferrable = true };
    }

    // The predicate of CREATE UNIQUE INDEX … ON t (cols) WHERE …: everything after the column list's WHERE
    // (a partial index's predicate holds no subquery, so no other WHERE).
    [GeneratedRegex(@"\)\s*WHERE\b(?<p>.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex PartialIndexPredicate();

    [GeneratedRegex(@"\bAUTOINCREMENT\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutoincrementKeyword();

    private sealed class Catalog(SqliteConnection connection, SqliteTransaction? transaction)
    {
        public async Task<List<T>> QueryAsync<T>(string sql, (string Name, string Value)[] parameters, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            var result = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(map(reader));
            }

            return result;
        }
    }
}
