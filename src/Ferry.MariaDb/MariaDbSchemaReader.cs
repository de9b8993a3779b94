using System.Data.Common;
using Ferry.Schema;
using MySqlConnector;

namespace Ferry.MariaDb;

/// <summary>Reads the tables, columns and keys of the session's database from information_schema (<see cref="MariaDbCatalogSql"/>).</summary>
internal static class MariaDbSchemaReader
{
    public static async Task<DatabaseSchema> ReadAsync(MySqlConnection connection, MySqlTransaction? transaction, bool isMariaDb, CancellationToken cancellationToken)
    {
        var names = await QueryAsync(connection, transaction, MariaDbCatalogSql.Tables, r => r.GetString(0), cancellationToken);
        var json = isMariaDb
            ? (await QueryAsync(connection, transaction, MariaDbCatalogSql.JsonChecks, r => (Table: r.GetString(0), Check: r.GetString(1), Clause: r.GetString(2)), cancellationToken))
                .Where(c => c.Clause == $"json_valid(`{c.Check.Replace("`", "``", StringComparison.Ordinal)}`)")
                .Select(c => (c.Table, c.Check)).ToHashSet()
            : [];
        var columns = await QueryAsync(connection, transaction, MariaDbCatalogSql.Columns, r => ReadColumn(r, json), cancellationToken);
        var uniqueRows = await QueryAsync(connection, transaction, MariaDbCatalogSql.Uniques,
            r => (Table: r.GetString(0), Index: r.GetString(1), Column: r.IsDBNull(2) ? null : r.GetString(2), Prefix: !r.IsDBNull(3)), cancellationToken);
        var keyRows = await QueryAsync(connection, transaction, MariaDbCatalogSql.ForeignKeys,
            r => (Table: r.GetString(0), Name: r.GetString(1), Column: r.GetString(2), RefSchema: r.GetString(3), RefTable: r.GetString(4), RefColumn: r.GetString(5)),
            cancellationToken);
        // MariaDB's generation expressions are SQL as it reads it (MySQL 8 prints them with escaped quotes: not used).
        var generatedColumns = isMariaDb
            ? await QueryAsync(connection, transaction, MariaDbCatalogSql.GeneratedColumns, r => (Table: r.GetString(0), Column: r.GetString(1), Expression: r.GetString(2)), cancellationToken)
            : [];
        var generated = generatedColumns
            .Where(g => !g.Expression.Contains('?', StringComparison.Ordinal)) // as the checks below: maybe not the server's expression
            .ToDictionary(g => (g.Table, g.Column), g => g.Expression);
        // A JSON column's json_valid check is the type's own: Ferry checks JSON values itself. information_schema keeps
        // these texts in utf8mb3, where a character beyond it ('🚀') reads as '?': a text with a '?' may not be the
        // condition the server checks, so such a constraint is left to the server (as it is written).
        var checks = isMariaDb
            ? (await QueryAsync(connection, transaction, MariaDbCatalogSql.Checks, r => (Table: r.GetString(0), Name: r.GetString(1), Clause: r.GetString(2)), cancellationToken))
                .Where(c => !json.Contains((c.Table, c.Name)) && !c.Clause.Contains('?', StringComparison.Ordinal))
                .ToLookup(c => c.Table, c => new CheckConstraint(c.Name, $"({c.Clause})"), StringComparer.Ordinal)
            : Array.Empty<(string Table, string Name, string Clause)>().ToLookup(c => c.Table, c => new CheckConstraint(c.Name, c.Clause), StringComparer.Ordinal);
        var database = connection.Database;

        var columnsByTable = columns.ToLookup(c => c.Table, c => c.Column, StringComparer.Ordinal);
        var notes = new List<SchemaNote>();
        var uniques = uniqueRows
            .GroupBy(u => (u.Table, u.Index))
            .Where(g =>
            {
                // A prefix (or functional) index is unique over part of a value only: not a key Ferry can check or match on.
                if (g.All(u => u.Column is not null && !u.Prefix))
                {
                    return true;
                }
                notes.Add(new SchemaNote(g.Key.Table, $"unique index {g.Key.Index} of {g.Key.Table} covers only a prefix of a value or an expression: Ferry does not treat it as a key"));
                return false;
            })
            .ToLookup(g => g.Key.Table, g => new UniqueKey(g.Key.Index, g.Select(u => u.Column!).ToList(), g.Key.Index == "PRIMARY"), StringComparer.Ordinal);
        var keys = keyRows
            .GroupBy(k => (k.Table, k.Name))
            .Where(g =>
            {
                if (string.Equals(g.First().RefSchema, database, StringComparison.Ordinal))
                {
                    return true;
                }
                notes.Add(new SchemaNote(g.Key.Table, $"foreign key {g.Key.Name} ({g.Key.Table}.{string.Join('+', g.Select(k => k.Column))} → {g.First().RefSchema}.{g.First().RefTable}) " +
                                                      $"points outside database {database}, which is all Ferry reads: it is not followed, and its values are copied unchanged"));
                return false;
            })
            .Select(g =>
            {
                var table = columnsByTable[g.Key.Table].ToList();
                var cols = g.Select(k => k.Column).ToList();
                var nullable = cols.Any(c => table.FirstOrDefault(x => x.Name == c)?.Nullable ?? true);
                return new ForeignKey(g.Key.Name, g.Key.Table, cols, g.First().RefTable, g.Select(k => k.RefColumn).ToList(), nullable);
            })
            .ToLookup(k => k.Table, StringComparer.Ordinal);

        return UsableKeys.Schema(names.Select(name =>
        {
            var tableKeys = uniques[name].OrderBy(k => k.IsPrimaryKey ? 0 : 1).ThenBy(k => k.Name, StringComparer.Ordinal).ToList();
            var primaryKey = tableKeys.FirstOrDefault(k => k.IsPrimaryKey)?.Columns ?? [];
            // A unique key over generated columns (MariaDB's stand-in for a partial or functional index) is checked by
            // their expressions: each generated column's part is the expression it is computed by.
            var expressions = tableKeys
                .Where(k => !k.IsPrimaryKey && k.Columns.Any(c => generated.ContainsKey((name, c)))
                            && k.Columns.All(c => generated.ContainsKey((name, c)) || columnsByTable[name].Any(x => x.Name == c)))
                .Select(k => new ExpressionUniqueKey(k.Name, k.Columns.Select(c => generated.TryGetValue((name, c), out var e) ? $"({e})" : $"`{c.Replace("`", "``", StringComparison.Ordinal)}`").ToList(), null))
                .ToList();
            return new Table(name, columnsByTable[name].ToList(), primaryKey, tableKeys, keys[name].ToList()) { ExpressionUniques = expressions, Checks = checks[name].ToList(), GeneratedColumns = generatedColumns.Where(g => g.Table == name).Select(g => g.Column).ToList() };
        }), notes);
    }

    private static (string Table, Column Column) ReadColumn(DbDataReader r, HashSet<(string, string)> json)
    {
        var (table, name, dataType, declared) = (r.GetString(0), r.GetString(1), r.GetString(2).ToLowerInvariant(), r.GetString(3));
        var members = MariaDbTypes.Members(dataType, declared);
        // An ENUM's or SET's members keep their case (they are values); every other type is read in lower case.
        var columnType = members is null ? declared.ToLowerInvariant() : declared;
        var defaultText = r.IsDBNull(5) ? null : r.GetString(5);
        var extra = r.GetString(6);
        var maxLength = r.IsDBNull(7) ? (long?)null : Convert.ToInt64(r.GetValue(7), System.Globalization.CultureInfo.InvariantCulture);
        var collation = r.IsDBNull(9) ? null : r.GetString(9);
        var isJson = json.Contains((table, name));
        // The collation belongs to the type: a scratch table keyed on this column compares as the column does.
        var sqlType = collation is null || isJson ? columnType : $"{columnType} COLLATE {collation}";
        var column = new Column(
            Name: name,
            SqlType: sqlType,
            Type: MariaDbTypes.Map(dataType, columnType, isJson),
            Nullable: r.GetString(4) == "YES",
            // MariaDB spells "no default" as NULL and a NULL default as the text NULL.
            Default: defaultText is null or "NULL" ? null : defaultText,
            IsAutoIncrement: extra.Contains("auto_increment", StringComparison.OrdinalIgnoreCase))
        {
            Limits = MariaDbTypes.Limits(dataType, columnType, maxLength) with { Members = members },
        };
        return (table, column);
    }

    private static async Task<List<T>> QueryAsync<T>(
        MySqlConnection connection, MySqlTransaction? transaction, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(read(reader));
        }
        return results;
    }
}
