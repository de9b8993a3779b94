namespace Ferry.Import;

// Name lookups that record a mistake when they fail, and the checks against the target once
// every rename is known.
internal sealed partial class TransformPlan
{
    private sealed partial class Simulation
    {
        private TableState? Find(string name) => _tables.FirstOrDefault(t => t.Name == name);

        private TableState? Table(int line, string name, string where = "")
        {
            if (Find(name) is { } table)
            {
                return table;
            }
            var renamed = _oldTableNames.LastOrDefault(o => o.Old == name);
            var hint = renamed.Table is null ? "" : $"; it was renamed to {renamed.Table.Name} at line {renamed.Line}, and transforms name tables as the renames before them left them";
            _mistakes.Add(line, $"unknown table {name}{where}: the archive has no table of that name{hint}");
            return null;
        }

        private (TableState, ColumnState)? Column(int line, string tableName, string name)
        {
            if (Table(line, tableName) is not { } table)
            {
                return null;
            }
            if (table.Visible(name) is { } column)
            {
                return (table, column);
            }
            var hint = table.Staged(name) is { Dropped: true } dropped ? $"; it was dropped at line {dropped.DroppedAt}"
                : table.Columns.FirstOrDefault(c => c.Read?.Name == name && c.NamedAt is not null) is { } renamed ? $"; it was renamed to {renamed.Name} at line {renamed.NamedAt}"
                : "";
            _mistakes.Add(line, $"unknown column {table.Name}.{name}: the archive's {table.Name} has no column {name}{hint}");
            return null;
        }

        // The archive's keys are remapped, never rewritten by a profile.
        private bool NotKey(int line, string verb, TableState table, ColumnState column)
        {
            if (column.Read is null || !table.Read.PrimaryKey.Contains(column.Read.Name))
            {
                return true;
            }
            _mistakes.Add(line, $"cannot {verb} {table.Name}.{column.Name}: it is part of the primary key");
            return false;
        }

        // fill (and set of a new column) add a column: the staging table must not have it already.
        private bool Absent(int line, string verb, TableState table, string name)
        {
            if (table.Staged(name) is not { } existing)
            {
                return true;
            }
            var why = existing.Dropped ? $" (dropped at line {existing.DroppedAt}, but still staged)"
                : existing.Read is null ? $" (added by the {existing.AddedBy} at line {existing.NamedAt})" : "";
            var instead = verb == "fill" ? "; fill is for a column the archive lacks: use set or map for one it has" : "";
            _mistakes.Add(line, $"cannot {verb} {table.Name}.{name}: the archive's {table.Name} has that column{why}{instead}");
            return false;
        }

        private (bool, object?) Convert(int line, TableState table, ColumnState column, object? value, string what)
        {
            if (column.Type is not { } type)
            {
                return (false, null); // an added column the target lacks: reported already
            }
            if (TransformValues.TryConvert(value, type, out var converted))
            {
                return (true, converted);
            }
            _mistakes.Add(line, $"{what} {TransformValues.Show(value)} does not fit {table.Name}.{column.Name} (type {type.ToString().ToLowerInvariant()})");
            return (false, null);
        }

        // Once the final names are known: a renamed or added table or column must exist in the target.
        private void CheckAgainstTarget()
        {
            foreach (var table in _tables)
            {
                var targetTable = target.Find(table.Name);
                if (targetTable is null && table.RenamedAt is { } at)
                {
                    _mistakes.Add(at, $"cannot rename table {table.Read.Name} to {table.Name}: the target has no table {table.Name}");
                }
                foreach (var column in table.Columns.Where(c => !c.Dropped && c.NamedAt is not null))
                {
                    var line = column.NamedAt!.Value;
                    var verb = column.Read is null ? $"{column.AddedBy} {table.Name}.{column.Name}" : $"rename {table.Name}.{column.Read.Name} to {column.Name}";
                    if (targetTable is null)
                    {
                        if (table.RenamedAt is null)
                        {
                            _mistakes.Add(line, $"cannot {verb}: the target has no table {table.Name}");
                        }
                    }
                    else if (targetTable.FindColumn(column.Name) is not { } targetColumn)
                    {
                        _mistakes.Add(line, $"cannot {verb}: the target's {table.Name} has no column {column.Name}");
                    }
                    else if (column.Read is null)
                    {
                        column.Target = targetColumn;
                    }
                }
            }
        }
    }
}
