using Ferry.Archive;
using Ferry.Schema;
using Ferry.Sql;

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
    /// On a target that stores what it is given (<see cref="Engines.ISqlDialect.EnforcesColumnTypes"/> false: SQLite), the
    /// values a profile's transforms rewrote, checked as staging checks the archive's (<see cref="ValueCheck"/>, the same
    /// one-line refusal): the columns a <c>set</c>, <c>map</c> or <c>fill</c> writes, and every column of a table a
    /// <c>sql</c> transform names, skip the checks while staged (the transform may be what makes them fit), and were written
    /// as the transform left them (text in an INTEGER column, ten characters in a VARCHAR(3)), exit 0. A value keeps the
    /// archive's type unless the transform changed its kind (a number became text: checked as text).
    /// </summary>
    private async Task CheckTransformedValuesAsync(TransformPlan transforms, IReadOnlyList<TableMerge> merges, Runner run)
    {
        if (engine.Dialect.EnforcesColumnTypes)
        {
            return;
        }
        for (var i = 0; i < merges.Count; i++)
        {
            var merge = merges[i];
            var rewritten = RewrittenColumns(transforms, i);
            if (rewritten is { Count: 0 })
            {
                continue;
            }
            var written = MergeSql.InsertColumns(merge).ToHashSet(StringComparer.Ordinal);
            var columns = merge.StageColumns
                .Where(c => (rewritten is null || rewritten.Contains(c.Name)) && written.Contains(c.Name) && merge.Target.FindColumn(c.Name) is not null
                            && CarriesArchiveValues(merge, c.Name))
                .Select(c => (c.Name, Checks: new TransformedChecks(c.Type, merge.Target.GetColumn(c.Name))))
                .ToList();
            if (columns.Count == 0)
            {
                continue;
            }
            var d = engine.Dialect;
            var query = $"SELECT {string.Join(", ", columns.Select(c => d.Quote(c.Name)))} FROM {d.TempTable(merge.Stage)}";
            await foreach (var row in SqlRunner.QueryValuesAsync(run.Connection, run.Transaction, query, run.CancellationToken))
            {
                for (var j = 0; j < columns.Count; j++)
                {
                    if (row[j] is { } value && columns[j].Checks.Problem(value) is { } problem)
                    {
                        var target = merge.Target.GetColumn(columns[j].Name);
                        var shown = value is double real ? real.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);
                        throw new FerryException($"a value does not fit the target: table {merge.Target.Name}, column {columns[j].Name} ({target.SqlType}), " +
                                                 $"as the profile's transforms left it: {ArchiveText.Show(shown)} is {problem}; nothing was written");
                    }
                }
            }
        }
    }

    // False for a written column whose values Ferry writes itself: a remapped reference, a fresh value, a drawn key.
    private static bool CarriesArchiveValues(TableMerge merge, string column) =>
        !merge.Remapped.ContainsKey(column) && !merge.Fresh.Contains(column) && !(merge.HasMap && merge.Archive.PrimaryKey.Contains(column));

    // The staging checks of one column for each kind of value a transform may leave in it.
    private sealed class TransformedChecks(FerryType archive, Column target)
    {
        private readonly ValueCheck? _integer = ValueCheck.For(FerryType.Int, target);
        private readonly ValueCheck? _real = ValueCheck.For(FerryType.Float, target);
        // Text is checked as the archive's type where that is carried as text (a date, a decimal), else as text.
        private readonly ValueCheck? _text = ValueCheck.For(archive is FerryType.Int or FerryType.Float or FerryType.Bool or FerryType.Bytes ? FerryType.Text : archive, target);

        public string? Problem(object value) => value switch
        {
            long n => _integer?.Integer(n),
            double d => _real?.Real(d),
            string s => _text?.Text(System.Text.Encoding.UTF8.GetBytes(s)),
            _ => null,
        };
    }

    /// <summary>
    /// The target's CHECK constraints (SQLite's read from its CREATE TABLE text), on the rows the import will insert as they will be written:
    /// a row one refuses stops the import before any id is drawn (a PostgreSQL sequence would keep ids drawn for an
    /// insert the constraint then refused), with one line naming the table, the constraint and how many rows break it.
    /// A condition over a column the insert leaves to its default or a generated one, and the rows an <c>--update</c>
    /// rewrites, are the target's to check as they are written.
    /// </summary>
    private static async Task CheckConstraintsAsync(IReadOnlyList<TableMerge> merges, MergeSql sql, bool update, Runner run)
    {
        foreach (var merge in merges)
        {
            var checks = merge.Target.Checks.Where(c => MergeSql.Checkable(merge, c)).ToList();
            if (checks.Count == 0 || (update && await CountInsertedAsync(merge, sql, run) == 0))
            {
                continue;
            }
            foreach (var check in checks)
            {
                if (await run.Count(sql.CountBrokenCheck(merge, check)) is var broken and > 0)
                {
                    throw new FerryException($"{broken:N0} incoming row(s) of table {merge.Target.Name} break the target's check constraint {check.Name} " +
                                             $"{check.Condition}; nothing was written");
                }
            }
        }
    }

    /// <summary>
    /// Values the target's own conversion may refuse (<see cref="Engines.ISqlDialect.ConversionCanRefuse"/>: PostgreSQL text
    /// into an enum or an array, an integer into a domain), in the rows the import will write: converted once before
    /// anything is written, so that a refused value stops the import naming the table and column it goes into, before any
    /// id is drawn. Columns that take new keys hold integers Ferry writes itself, not values of the archive.
    /// </summary>
    private async Task CheckConvertibleAsync(TransformPlan transforms, IReadOnlyList<TableMerge> merges, MergeSql sql, Runner run)
    {
        foreach (var (merge, i) in merges.Select((m, i) => (m, i)))
        {
            // Where the engine refuses what a column does not take, the values a transform rewrote are converted here too:
            // their staging checks were skipped (CheckTransformedValuesAsync does their work where it does not refuse).
            var rewritten = engine.Dialect.EnforcesColumnTypes ? RewrittenColumns(transforms, i) : [];
            foreach (var name in MergeSql.InsertColumns(merge))
            {
                if (merge.Archive.Columns.FirstOrDefault(c => c.Name == name) is not { } column || merge.Target.FindColumn(name) is not { } target
                    || !CarriesArchiveValues(merge, name)
                    || !(engine.Dialect.ConversionCanRefuse(column.Type, target) || rewritten is null || rewritten.Contains(name)))
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
