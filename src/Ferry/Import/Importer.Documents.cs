using System.Text.Json;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Sql;

namespace Ferry.Import;

// Keys inside JSON documents get their new values in the documents' own text (DocumentRewriter): the database
// says, per staged row, which keys have a new value; Ferry rewrites the text and writes it back in one UPDATE.
// The rows are read in batches in row-locator order, at most DocumentBatchBytes of documents at a time, so
// memory stays bounded whatever the table holds; the staged rows do not change until every batch is read.
public sealed partial class Importer
{
    private const int DocumentBatchRows = 2000;
    private const long DocumentBatchBytes = 16L << 20;

    /// <summary>Rewrites the keys of <paramref name="relations"/> (all on <paramref name="column"/>); returns how many had no row in the archive.</summary>
    private async Task<long> RewriteDocumentsAsync(
        TableMerge merge, string column, IReadOnlyList<(ManifestForeignKey Key, TableMerge Parent)> relations, MergeSql sql, Runner run)
    {
        var rewriter = new DocumentRewriter(relations.Select(r => new DocumentKey(
            JsonKeyPath.Of(r.Key.Reference!.ToShape(r.Key.Name)),
            r.Parent.ArchiveColumn(r.Parent.Archive.PrimaryKey[0]).Type)).ToList());
        long unmapped = 0;
        string? after = null;
        while (true)
        {
            var rewritten = new List<object?[]>();
            long bytes = 0;
            var read = 0;
            var statement = sql.DocumentBatch(merge, column, relations, after is not null, DocumentBatchRows);
            await foreach (var row in SqlRunner.QueryStreamAsync(run.Connection, run.Transaction, statement,
                               after is null ? null : [("after", after)], run.CancellationToken))
            {
                read++;
                after = row[0];
                var newKeys = relations.Select((_, i) => Pairs(row[2 + i])).ToList();
                RewrittenDocument result;
                try
                {
                    result = rewriter.Rewrite(row[1]!, newKeys);
                }
                catch (JsonException e)
                {
                    throw new FerryException($"{merge.Archive.Name}.{column} holds a value that is not JSON, so the keys the profile declares in it cannot be rewritten: {e.Message}");
                }
                unmapped += result.Unmapped;
                if (result.Text is { } text)
                {
                    rewritten.Add([row[0], text]);
                    bytes += text.Length * 2L;
                }
                if (bytes > DocumentBatchBytes)
                {
                    break;
                }
            }
            if (rewritten.Count > 0)
            {
                var columns = new[] { new StagingColumn("loc", Schema.FerryType.Text, null), new StagingColumn("doc", Schema.FerryType.Text, null) };
                await engine.BulkLoadAsync(run.Connection, run.Transaction, MergeSql.DocumentsName(merge), columns, rewritten.ToAsyncEnumerable(), run.CancellationToken);
            }
            if (read < DocumentBatchRows && bytes <= DocumentBatchBytes)
            {
                break;
            }
        }
        foreach (var statement in sql.ApplyDocuments(merge, column))
        {
            await run.Execute(statement);
        }
        return unmapped;
    }

    // [[old, new], ...] as the database aggregated it: canonical old key → new key as JSON (a number or a string).
    private static Dictionary<string, string> Pairs(string? json)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is null)
        {
            return pairs;
        }
        using var document = JsonDocument.Parse(json);
        foreach (var pair in document.RootElement.EnumerateArray())
        {
            var old = pair[0];
            var key = old.ValueKind == JsonValueKind.String ? old.GetString()! : old.GetRawText();
            pairs.TryAdd(key, pair[1].GetRawText());
        }
        return pairs;
    }
}
