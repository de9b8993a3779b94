using Ferry.Schema;

namespace Ferry.Export;

// The file paths the scoped rows of a table refer to.
internal sealed partial class ScopeSql
{
    /// <summary>Every distinct non-NULL value of <paramref name="column"/> among the scoped rows of <paramref name="table"/>, in order.</summary>
    public string SelectFilePaths(Table table, Column column) =>
        $"SELECT DISTINCT {_d.ExportColumn($"x.{Q(column.Name)}", column)} FROM {ScopedRows(table)} " +
        $"WHERE x.{Q(column.Name)} IS NOT NULL ORDER BY 1";

    /// <summary>Every distinct combination of <paramref name="columns"/> (a path template's) among the scoped rows of <paramref name="table"/> with none of them NULL.</summary>
    public string SelectFileTemplateValues(Table table, IReadOnlyList<Column> columns) =>
        $"SELECT DISTINCT {string.Join(", ", columns.Select(c => _d.ExportColumn($"x.{Q(c.Name)}", c)))} FROM {ScopedRows(table)} " +
        $"WHERE {string.Join(" AND ", columns.Select(c => $"x.{Q(c.Name)} IS NOT NULL"))} ORDER BY {string.Join(", ", columns.Select((_, i) => i + 1))}";
}
