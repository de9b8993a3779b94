using Ferry.Schema;

namespace Ferry.Export;

// export --since (docs/reimport.md): a table with a changed-at column is read in two parts, the rows changed since the
// bound (or with no changed-at value) whole, and the keys of the others. The bound lives in a temporary table filled with
// a parameter, so no value becomes SQL text.
internal sealed partial class ScopeSql
{
    /// <summary>The temporary table holding the bound: one row, one text column <c>at</c> (UTC, <c>YYYY-MM-DD HH:MM:SS.ffffff</c>).</summary>
    public const string SinceTable = "ferry_since";

    /// <summary>Creates <see cref="SinceTable"/> (before the snapshot is sealed, as every temporary table).</summary>
    public string CreateSinceTable() => _d.CreateTempTable(SinceTable, [("at", _d.StagingType(FerryType.Text))], []);

    /// <summary>Fills <see cref="SinceTable"/>; parameter <c>@at</c>.</summary>
    public string FillSinceTable() => $"INSERT INTO {_d.TempTable(SinceTable)} (at) VALUES (@at)";

    /// <summary>
    /// The scoped rows of <paramref name="table"/> changed since the bound, as <see cref="Select"/> reads them: those whose
    /// <paramref name="changed"/> column is not before it, or NULL (or a value the engine cannot read as a time).
    /// </summary>
    public string SelectChanged(Table table, IReadOnlyDictionary<string, string> cutColumns, Column changed)
    {
        var all = Select(table, cutColumns);
        var order = all.LastIndexOf(" ORDER BY ", StringComparison.Ordinal);
        return $"{all[..order]} WHERE {Unchanged(changed)} = 0{all[order..]}";
    }

    /// <summary>The primary key of every scoped row of <paramref name="table"/> not changed since the bound, in key order.</summary>
    public string SelectUnchangedKeys(Table table, Column changed)
    {
        var columns = table.PrimaryKey.Select(k => _d.ExportColumn($"x.{Q(k)}", table.GetColumn(k)));
        return $"SELECT {string.Join(", ", columns)} FROM {ScopedRows(table)} WHERE {Unchanged(changed)} = 1 ORDER BY {OrderKey(table)}";
    }

    // 1 when the row's changed-at value is before the bound, else 0 (a NULL comparison included): never NULL, so the two
    // parts hold every row once.
    private string Unchanged(Column changed) =>
        $"(CASE WHEN {_d.Before($"x.{Q(changed.Name)}", changed.Type, $"(SELECT at FROM {_d.TempTable(SinceTable)})")} THEN 1 ELSE 0 END)";
}
