using Ferry.Archive;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Import;

// Walks the transforms in profile order, renaming as it goes and recording every mistake.
internal sealed partial class TransformPlan
{
    private sealed partial class Simulation(Manifest manifest, Profile profile, DatabaseSchema target)
    {
        private readonly List<TableState> _tables = manifest.Tables.Select((t, i) => new TableState(t, i)).ToList();
        private readonly ProfileCheck.Mistakes _mistakes = new(profile, target, "target");
        private readonly List<Func<StageUpdate?>> _updates = [];
        private readonly List<StageUpdate> _planned = [];
        private readonly List<(string Old, TableState Table, int Line)> _oldTableNames = [];

        public void Apply()
        {
            foreach (var rule in profile.Transforms)
            {
                switch (rule)
                {
                    case RenameTable r:
                        RenameTable(r);
                        break;
                    case RenameColumn r when Column(r.Line, r.Table, r.From) is ({ } table, { } column):
                        RenameColumn(r, table, column);
                        break;
                    case DropColumn r when Column(r.Line, r.Table, r.Column) is ({ } table, { } column) && NotKey(r.Line, "drop", table, column):
                        column.DroppedAt = r.Line;
                        break;
                    case SetColumn r when Table(r.Line, r.Table) is { } table:
                        Set(r, table);
                        break;
                    case MapValues r when Column(r.Line, r.Table, r.Column) is ({ } table, { } column) && NotKey(r.Line, "map", table, column):
                        _updates.Add(() => Map(r, table, column));
                        break;
                    case FillColumn r when Table(r.Line, r.Table) is { } table:
                        Fill(r, table);
                        break;
                    case StagingSql r:
                        Sql(r);
                        break;
                }
            }
            CheckAgainstTarget();
            // Values are converted last: an added column's type is the target's.
            _planned.AddRange(_updates.Select(u => u()).OfType<StageUpdate>());
            _mistakes.ThrowIfAny();
        }

        private void RenameTable(Profiles.RenameTable rule)
        {
            if (Table(rule.Line, rule.From) is not { } table)
            {
                return;
            }
            if (rule.To != rule.From && Find(rule.To) is not null)
            {
                _mistakes.Add(rule.Line, $"cannot rename table {rule.From} to {rule.To}: the archive already has a table {rule.To}");
                return;
            }
            _oldTableNames.Add((table.Name, table, rule.Line));
            table.Name = rule.To;
            table.RenamedAt = rule.Line;
        }

        private void RenameColumn(Profiles.RenameColumn rule, TableState table, ColumnState column)
        {
            if (rule.To != rule.From && table.Staged(rule.To) is { } other)
            {
                var why = other.Dropped ? $" (dropped at line {other.DroppedAt}, but staged)" : "";
                _mistakes.Add(rule.Line, $"cannot rename {table.Name}.{rule.From} to {rule.To}: {table.Name} already has a column {rule.To}{why}");
                return;
            }
            column.Name = rule.To;
            column.NamedAt = rule.Line;
        }

        private void Set(SetColumn rule, TableState table)
        {
            var column = table.Visible(rule.Column);
            if (column is null)
            {
                // A column the archive lacks is added, like a fill with a constant.
                if (!Absent(rule.Line, "set", table, rule.Column))
                {
                    return;
                }
                column = new ColumnState(rule.Column, null) { NamedAt = rule.Line, AddedBy = "set" };
                table.Columns.Add(column);
            }
            else if (!NotKey(rule.Line, "set", table, column))
            {
                return;
            }
            _updates.Add(() => Convert(rule.Line, table, column, rule.Value, "value") is var (ok, value) && ok
                ? new SetUpdate(rule.Line, table.Index, column.Name, value)
                : null);
        }

        private MapUpdate? Map(MapValues rule, TableState table, ColumnState column)
        {
            var values = new List<KeyValuePair<string, object?>>();
            foreach (var (from, to) in rule.Values)
            {
                if (Convert(rule.Line, table, column, to, $"the new value of '{from}'") is not (true, var value))
                {
                    return null;
                }
                values.Add(new(from, value));
            }
            return new MapUpdate(rule.Line, table.Index, column.Name, values);
        }

        private void Fill(FillColumn rule, TableState table)
        {
            if (!Absent(rule.Line, "fill", table, rule.Column))
            {
                return;
            }
            var column = new ColumnState(rule.Column, null) { NamedAt = rule.Line, AddedBy = "fill" };
            table.Columns.Add(column);
            _updates.Add(() => new FillUpdate(rule.Line, table.Index, column.Name, rule.Sql));
        }

        private void Sql(StagingSql rule)
        {
            var tables = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var name in Placeholders(rule.Sql))
            {
                if (Table(rule.Line, name, $" (in {{{name}}})") is { } table)
                {
                    tables[name] = table.Index;
                }
            }
            _updates.Add(() => new SqlUpdate(rule.Line, rule.Sql, tables));
        }
    }
}
