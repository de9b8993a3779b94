using Ferry.Archive;
using Ferry.Schema;

namespace Ferry.Import;

public sealed partial class Importer
{
    private const int LackingExamples = 5;

    /// <summary>
    /// Text going into a column that cannot store every character (a MariaDB column in latin1 or utf8mb3): the first
    /// staged value of each such column that the column would not store as it is (<see cref="Engines.ISqlDialect.UnstorableText"/>)
    /// stops the import before anything is written, naming table, column, value and the characters the column lacks.
    /// Run once the transforms have rewritten the staged rows: what is checked is what would be written.
    /// </summary>
    private async Task CheckStorableTextAsync(IReadOnlyList<TableMerge> merges, Runner run)
    {
        foreach (var merge in merges)
        {
            var staged = merge.StageColumns.Where(c => c.Type is FerryType.Text or FerryType.Json).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in MergeSql.InsertColumns(merge).Where(staged.Contains))
            {
                if (merge.Target.FindColumn(name) is not { } target
                    || engine.Dialect.UnstorableText(engine.Dialect.TempTable(merge.Stage), name, target) is not { } query
                    || (await run.Query(query)).FirstOrDefault() is not [{ } value, var stored])
                {
                    continue;
                }
                var lacking = Lacking(value, stored ?? "");
                var what = lacking.Count > 0 ? $"holds {string.Join(", ", lacking)}, which" : "holds characters that";
                throw new FerryException($"a value does not fit the target: table {merge.Target.Name}, column {name}: {ArchiveText.Show(value)} {what} " +
                                         $"the column ({target.SqlType}) cannot store: it would be written as {ArchiveText.Show(stored)}; nothing was written");
            }
        }
    }

    /// <summary>
    /// Values the target's own conversion may refuse (<see cref="Engines.ISqlDialect.ConversionCanRefuse"/>: PostgreSQL text
    /// into an enum or an array, an integer into a domain), in the rows the import will write: converted once before
    /// anything is written, so that a refused value stops the import naming the table and column it goes into, before any
    /// id is drawn. Columns that take new keys hold integers Ferry writes itself, not values of the archive.
    /// </summary>
    private async Task CheckConvertibleAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        foreach (var merge in merges)
        {
            foreach (var name in MergeSql.InsertColumns(merge))
            {
                if (merge.Archive.Columns.FirstOrDefault(c => c.Name == name) is not { } column || merge.Target.FindColumn(name) is not { } target
                    || merge.Remapped.ContainsKey(name) || merge.Fresh.Contains(name) || (merge.HasMap && merge.Archive.PrimaryKey.Contains(name))
                    || !engine.Dialect.ConversionCanRefuse(column.Type, target))
                {
                    continue;
                }
                try
                {
                    await run.Query(sql.ConvertAll(merge, name));
                }
                // Only the refusals of a value (SQLSTATE classes 22, data exception, and 23, a domain's check): anything else stays as it was.
                catch (FerryException e) when (e.InnerException is System.Data.Common.DbException { SqlState: ['2', '2' or '3', ..] } refused)
                {
                    throw new FerryException($"a value does not fit the target: table {merge.Target.Name}, column {name} ({target.SqlType}): " +
                                             $"the database cannot convert it: {refused.Message.Split('\n')[0].Trim()}; nothing was written", ExitCodes.Failure, e);
                }
            }
        }
    }

    /// <summary>The characters of <paramref name="value"/> that differ in <paramref name="stored"/>, character for character: <c>日 (U+65E5)</c>.</summary>
    internal static List<string> Lacking(string value, string stored)
    {
        var sent = value.EnumerateRunes().ToList();
        var kept = stored.EnumerateRunes().ToList();
        if (sent.Count != kept.Count)
        {
            return [];
        }
        return sent.Zip(kept).Where(p => p.First != p.Second).Select(p => p.First).Distinct().Take(LackingExamples)
            .Select(r => $"{ArchiveText.Clean(r.ToString())} (U+{r.Value:X4})").ToList();
    }
}
