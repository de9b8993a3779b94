using Ferry.Schema;

namespace Ferry.Export;

// The file paths the scoped rows of a table refer to.
internal sealed partial class ScopeSql
{
    /// <summary>Every distinct non-NULL value of <paramref name="column"/> among the scoped rows of <paramref name="table"/>, in order.</summary>
    public string SelectFilePaths(Table table, Column column) =>
        $"SELECT DISTINCT {_d.ExportColumn($"x.{Q(column.Name)}", column)} FROM {ScopedRows(table)} " +
        $"WHERE x.{Q(column.Name)} IS NOT NULL ORDER BY 1";
}
