using System.Data.Common;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Postgres;

/// <summary>Reads the tables, columns and keys of one schema from pg_catalog (queries in <see cref="PostgresCatalogSql"/>).</summary>
internal sealed class PostgresSchemaReader(string schema)
{
    private readonly string _schema = schema;

    public async Task<DatabaseSchema> ReadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var names = await QueryAsync(connection, transaction, PostgresCatalogSql.Tables, r => r.GetString(0), cancellationToken);
        var columns = await QueryAsync(connection, transaction, PostgresCatalogSql.Columns, ReadColumn, cancellationToken);
        var uniques = await QueryAsync(connection, transaction, PostgresCatalogSql.Uniques, ReadUnique, cancellationToken);
        var filtered = (await QueryAsync(connection, transaction, PostgresCatalogSql.FilteredUniques,
            r => (Table: r.GetString(0), Key: new FilteredUniqueKey(r.GetString(1), r.GetFieldValue<string[]>(2), r.GetString(3))), cancellationToken))
            .ToLookup(u => u.Table, u => u.Key, StringComparer.Ordinal);
        var expressions = (await QueryAsync(connection, transaction, PostgresCatalogSql.ExpressionUniques,
            r => (Table: r.GetString(0), Key: new ExpressionUniqueKey(r.GetString(1), r.GetFieldValue<string[]>(2), r.IsDBNull(3) ? null : r.GetString(3))), cancellationToken))
            .ToLookup(u => u.Table, u => u.Key, StringComparer.Ordinal);
        var generated = (await QueryAsync(connection, transaction, PostgresCatalogSql.GeneratedColumns,
            r => (Table: r.GetString(0), Column: r.GetString(1), Expression: r.GetString(2)), cancellationToken))
            .ToDictionary(g => (g.Table, g.Column), g => g.Expression);
        // pg_get_constraintdef prints CHECK (condition), and NOT VALID after a constraint not checked on the rows it had.
        var checks = (await QueryAsync(connection, transaction, PostgresCatalogSql.Checks,
            r => (Table: r.GetString(0), Check: new CheckConstraint(r.GetString(1), CheckCondition(r.GetString(2)))), cancellationToken))
            .ToLookup(c => c.Table, c => c.Check, StringComparer.Ordinal);
        var foreignKeys = await QueryAsync(connection, transaction, PostgresCatalogSql.ForeignKeys, ReadForeignKey, cancellationToken);
        var partitions = (await QueryAsync(connection, transaction, PostgresCatalogSql.Partitions,
            r => (Table: r.GetString(0), Leaves: r.GetFieldValue<string[]>(1)), cancellationToken)).ToDictionary(p => p.Table, p => p.Leaves.Length, StringComparer.Ordinal);
        var parents = (await QueryAsync(connection, transaction, PostgresCatalogSql.InheritanceParents, r => r.GetString(0), cancellationToken))
            .ToHashSet(StringComparer.Ordinal);

        var outside = await QueryAsync(connection, transaction, PostgresCatalogSql.ForeignKeysOutside,
            r => new SchemaNote(r.GetString(0), $"foreign key {r.GetString(1)} ({r.GetString(0)}.{string.Join('+', r.GetFieldValue<string[]>(2))} → {r.GetString(3)}) " +
                                                 $"points outside schema {_schema}, which is all Ferry reads: it is not followed, and its values are copied unchanged"),
            cancellationToken);

        var columnsByTable = columns.ToLookup(c => c.Table, c => c.Column, StringComparer.Ordinal);
        var uniquesByTable = uniques.ToLookup(u => u.Table, u => u.Key, StringComparer.Ordinal);
        var foreignKeysByTable = Union(foreignKeys, partitions).ToLookup(f => f.Table, StringComparer.Ordinal);

        return UsableKeys.Schema(names.Select(name =>
        {
            var keys = uniquesByTable[name].ToList();
            var primaryKey = keys.FirstOrDefault(k => k.IsPrimaryKey)?.Columns ?? [];
            return new Table(name, columnsByTable[name].ToList(), primaryKey, keys, foreignKeysByTable[name].ToList())
            {
                FilteredUniques = filtered[name].ToList(),
                ExpressionUniques = expressions[name].Concat(GeneratedKeys(name, keys, generated)).ToList(),
                Checks = checks[name].ToList(),
                GeneratedColumns = generated.Keys.Where(k => k.Item1 == name).Select(k => k.Item2).ToList(),
                HasInheritors = parents.Contains(name),
            };
        }), outside);
    }

    // A unique key over stored generated columns, checked by the expressions they are computed by (each generated
    // column's part is its expression; the others their names).
    private static IEnumerable<ExpressionUniqueKey> GeneratedKeys(string table, IEnumerable<UniqueKey> keys, Dictionary<(string, string), string> generated) =>
        keys.Where(k => !k.IsPrimaryKey && k.Columns.Any(c => generated.ContainsKey((table, c))))
            .Select(k => new ExpressionUniqueKey(k.Name, k.Columns.Select(c => generated.TryGetValue((table, c), out var e) ? $"({e})" : QuoteIdentifier(c)).ToList(), null));

    private static string CheckCondition(string definition)
    {
        var condition = definition.StartsWith("CHECK ", StringComparison.Ordinal) ? definition[6..] : definition;
        return condition.EndsWith(" NOT VALID", StringComparison.Ordinal) ? condition[..^10] : condition;
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static (string Table, Column Column) ReadColumn(DbDataReader r)
    {
        var defaultExpr = r.IsDBNull(6) ? null : r.GetString(6);
        var identity = r.GetString(7);
        var isSerial = defaultExpr?.StartsWith("nextval(", StringComparison.Ordinal) == true;
        var column = new Column(
            Name: r.GetString(1),
            SqlType: r.GetString(2),
            Type: PostgresTypes.Map(r.GetString(3), r.GetString(4)),
            Nullable: r.GetBoolean(5),
            Default: defaultExpr,
            IsAutoIncrement: identity is "a" or "d" || isSerial,
            Sequence: r.IsDBNull(8) ? null : r.GetString(8),
            GeneratedAlways: identity == "a") { Limits = PostgresTypes.Limits(r.GetString(2)) };
        return (r.GetString(0), column);
    }

    private static (string Table, UniqueKey Key) ReadUnique(DbDataReader r) =>
        (r.GetString(0), new UniqueKey(r.GetString(1), r.GetFieldValue<string[]>(3), r.GetBoolean(2)));

    private static (ForeignKey Key, string[]? Partitions) ReadForeignKey(DbDataReader r) =>
        (new(r.GetString(1), r.GetString(0), r.GetFieldValue<string[]>(3), r.GetString(2), r.GetFieldValue<string[]>(4), r.GetBoolean(5))
        {
            Deferrable = r.GetBoolean(6),
            Definition = r.IsDBNull(8) ? null : r.GetString(8),
        }, r.IsDBNull(7) ? null : r.GetFieldValue<string[]>(7));

    /// <summary>
    /// A partitioned table is one table: the keys its partitions declare (some, or all of them) become
    /// one key of the table per columns and referenced table, named after the first constraint, nullable
    /// when any is, deferrable when all are, with the partitions that declare it. A key the table itself
    /// declares covers every partition already.
    /// </summary>
    private static IEnumerable<ForeignKey> Union(List<(ForeignKey Key, string[]? Partitions)> keys, Dictionary<string, int> partitions)
    {
        static string Shape(ForeignKey k) => $"{k.Table}\0{string.Join('\0', k.Columns)}\0{k.RefTable}\0{string.Join('\0', k.RefColumns)}";
        var declared = keys.Where(k => k.Partitions is null).Select(k => k.Key).ToList();
        var ofTables = declared.Select(Shape).ToHashSet(StringComparer.Ordinal);
        var fromPartitions = keys
            .Where(k => k.Partitions is not null && !ofTables.Contains(Shape(k.Key)))
            .GroupBy(k => Shape(k.Key), StringComparer.Ordinal)
            .Select(g =>
            {
                var members = g.OrderBy(k => k.Key.Name, StringComparer.Ordinal).ToList();
                var first = members[0].Key;
                var leaves = members.SelectMany(k => k.Partitions!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                return first with
                {
                    Nullable = members.Any(k => k.Key.Nullable),
                    Deferrable = members.All(k => k.Key.Deferrable),
                    Partitions = new PartitionCoverage(members.Select(k => k.Key.Name).ToList(), leaves, partitions.GetValueOrDefault(first.Table, leaves.Count)),
                };
            });
        return declared.Concat(fromPartitions);
    }

    private async Task<List<T>> QueryAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)connection, (NpgsqlTransaction?)transaction);
        command.Parameters.AddWithValue("schema", _schema);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            results.Add(read(reader));
        }
        return results;
    }
}
