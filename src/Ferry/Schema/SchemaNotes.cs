namespace Ferry.Schema;

/// <summary>Something of a table's schema that Ferry cannot use, and what it does instead (for plan and export to say).</summary>
public sealed record SchemaNote(string Table, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// Keeps a schema's keys to the columns Ferry reads and writes. A generated column is computed by the
/// database and never copied (nor in <see cref="Table.Columns"/>): a foreign key over one is not
/// followed, a unique key over one is left to the target to check, and a primary key over one makes
/// the table one without a primary key. Each is a <see cref="SchemaNote"/>, so nothing is dropped silently.
/// </summary>
public static class UsableKeys
{
    /// <summary>
    /// The schema of <paramref name="tables"/> with only usable keys, a note per key left out, after
    /// the notes the reader already has (<paramref name="notes"/>).
    /// </summary>
    public static DatabaseSchema Schema(IEnumerable<Table> tables, IEnumerable<SchemaNote>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var all = tables.ToList();
        var byName = all.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var found = new List<SchemaNote>(notes ?? []);
        bool Has(string table, IEnumerable<string> columns) =>
            byName.TryGetValue(table, out var t) && columns.All(c => t.FindColumn(c) is not null);

        var usable = all.Select(t =>
        {
            var primaryKey = t.PrimaryKey;
            if (!Has(t.Name, primaryKey))
            {
                found.Add(new SchemaNote(t.Name, $"the primary key of {t.Name} ({string.Join(", ", primaryKey)}) includes a generated column: " +
                                                 $"{t.Name} is treated as a table without a primary key"));
                primaryKey = [];
            }
            var uniques = t.Uniques.Where(u => (u.IsPrimaryKey && primaryKey.Count > 0) || (!u.IsPrimaryKey && Has(t.Name, u.Columns))).ToList();
            foreach (var u in t.Uniques.Where(u => !u.IsPrimaryKey && !Has(t.Name, u.Columns)))
            {
                found.Add(new SchemaNote(t.Name, $"unique key {u.Name} of {t.Name} ({string.Join(", ", u.Columns)}) includes a generated column: " +
                                                 (t.ExpressionUniques.Any(e => e.Name == u.Name)
                                                     ? "import checks it before writing with the expressions the columns are computed by; it is no key to match rows on"
                                                     : "import does not check it before writing, the target does when the rows are written")));
            }
            var keys = t.ForeignKeys.Where(f => Has(t.Name, f.Columns) && Has(f.RefTable, f.RefColumns)).ToList();
            foreach (var f in t.ForeignKeys.Where(f => !keys.Contains(f)))
            {
                found.Add(new SchemaNote(t.Name, $"foreign key {f.Name} ({f} ({string.Join(", ", f.RefColumns)})) is on a generated column, " +
                                                 "computed by the database and never copied: Ferry does not follow it"));
            }
            return t with { PrimaryKey = primaryKey, Uniques = uniques, ForeignKeys = keys };
        }).ToList();
        return new DatabaseSchema(usable, found);
    }
}
