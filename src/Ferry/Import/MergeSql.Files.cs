using Ferry.Schema;

namespace Ferry.Import;

// File columns: the staged paths are replaced by the names the files got in the target's store,
// through one map table filled by bulk load, before anything is merged.
internal sealed partial class MergeSql
{
    /// <summary>The map table of file paths: archive table, column, source path → the path in the target store.</summary>
    public const string FileMap = "ferry_files";

    public string CreateFileMap()
    {
        var text = _d.StagingType(FerryType.Text);
        return _d.CreateTempTable(FileMap, [("tbl", text), ("col", text), ("old_path", text), ("new_path", text)], ["tbl", "col", "old_path"]);
    }

    /// <summary>
    /// Gives the staged rows of <paramref name="t"/> the new path of every value of <paramref name="column"/>
    /// (the archive's name of the column; the staging table may know it renamed) that the map lists.
    /// </summary>
    public string RewriteFilePaths(TableMerge t, string column)
    {
        var position = t.Read.Columns.Select(c => c.Name).ToList().IndexOf(column);
        var staged = Q(t.Loaded[position].Name);
        var match = $"f.tbl = {_d.Literal(t.Read.Name)} AND f.col = {_d.Literal(column)} AND f.old_path = s.{staged}";
        var map = _d.TempTable(FileMap);
        return $"UPDATE {Stage(t)} AS s SET {staged} = (SELECT f.new_path FROM {map} f WHERE {match}) " +
               $"WHERE EXISTS (SELECT 1 FROM {map} f WHERE {match})";
    }

    /// <summary>
    /// For every row to insert: the staged values of <paramref name="source"/> (archive columns, as the
    /// source had them) and the final values of <paramref name="target"/> (target columns, as they will be
    /// inserted), each in the form <see cref="Engines.IDatabaseEngine.ReadRowsAsync"/> reads.
    /// </summary>
    public string DerivedFileValues(TableMerge t, IReadOnlyList<Column> source, IReadOnlyList<Column> target)
    {
        var names = t.Read.Columns.Select(c => c.Name).ToList();
        var staged = source.Select(c => _d.ExportColumn($"s.{Q(t.Loaded[names.IndexOf(c.Name)].Name)}", c));
        var final = target.Select(c => _d.ExportColumn(Value(t, c.Name), c));
        return $"SELECT {string.Join(", ", staged.Concat(final))} {From(t)}";
    }
}
