using System.Text.Json;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Sql;

namespace Ferry.Import;

// Keys inside JSON documents get their new values in the documents' own text (DocumentRewriter). The rows are
// read in batches in row-locator order, at most DocumentBatchRows rows and about DocumentBatchBytes of text at a
// time, so memory stays bounded whatever the table holds; the staged rows do not change until every batch is read.
// Per batch, Ferry finds the keys in the documents itself, asks the target's maps for all of them in one statement
// (one JSON array parameter per parent table, whatever the number of relations), rewrites the texts, bulk-loads the
// changed ones into a scratch table, and at the end applies them with one UPDATE … FROM. The database parses no
// document: the cost follows the documents' size, once.
public sealed partial class Importer
{
    private const long DocumentBatchBytes = 16L << 20;

    /// <summary>
    /// The most staged documents that are read, rewritten and written back at a time (with at most about 16 MiB of their
    /// text, whatever this says). 10,000 by default: one batch for most tenants, since each batch reads the staging table
    /// in row-locator order again. At least 1.
    /// </summary>
    public int DocumentBatchRows
    {
        get => _documentBatchRows;
        init => _documentBatchRows = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "at least one document per batch");
    }

    private readonly int _documentBatchRows = 10_000;

    /// <summary>Rewrites the keys of <paramref name="relations"/> (all on <paramref name="column"/>); returns how many had no row in the archive.</summary>
    private async Task<long> RewriteDocumentsAsync(
        TableMerge merge, string column, IReadOnlyList<(ManifestForeignKey Key, TableMerge Parent)> relations, MergeSql sql, Runner run)
    {
        var rewriter = new DocumentRewriter(relations.Select(r => new DocumentKey(
            JsonKeyPath.Of(r.Key.Reference!.ToShape(r.Key.Name)),
            r.Parent.ArchiveColumn(r.Parent.Archive.PrimaryKey[0]).Type)).ToList());
        // Relations into the same table share its map: one parameter and one set of keys per parent.
        var parents = relations.Select(r => r.Parent).Distinct().ToList();
        var slot = relations.Select(r => parents.IndexOf(r.Parent)).ToArray();
        var newKeysSql = sql.NewKeys(parents);
        var columns = new[] { new StagingColumn("loc", Schema.FerryType.Text, null), new StagingColumn("doc", Schema.FerryType.Text, null) };
        long unmapped = 0;
        string? after = null;
        while (true)
        {
            var batch = new List<(string Locator, string Text)>();
            long bytes = 0;
            await foreach (var row in SqlRunner.QueryStreamAsync(run.Connection, run.Transaction, sql.DocumentBatch(merge, column, after is not null, DocumentBatchRows),
                               after is null ? null : [("after", after)], run.CancellationToken))
            {
                after = row[0]!;
                batch.Add((after, row[1]!));
                bytes += row[1]!.Length * 2L;
                if (bytes > DocumentBatchBytes)
                {
                    break;
                }
            }
            if (batch.Count == 0)
            {
                break;
            }
            var found = parents.Select(_ => (ISet<string>)new HashSet<string>(StringComparer.Ordinal)).ToList();
            var foundBySlot = slot.Select(s => found[s]).ToList();
            foreach (var (_, text) in batch)
            {
                Guard(merge, column, () => rewriter.Collect(text, foundBySlot));
            }
            var newKeys = await NewKeysAsync(newKeysSql, found, run);
            var newKeysBySlot = slot.Select(s => newKeys[s]).ToList();
            var rewritten = new List<object?[]>();
            foreach (var (locator, text) in batch)
            {
                var result = Guard(merge, column, () => rewriter.Rewrite(text, newKeysBySlot));
                unmapped += result.Unmapped;
                if (result.Text is { } changed)
                {
                    rewritten.Add([locator, changed]);
                }
            }
            if (rewritten.Count > 0)
            {
                await engine.BulkLoadAsync(run.Connection, run.Transaction, MergeSql.DocumentsName(merge), columns, rewritten.ToAsyncEnumerable(), run.CancellationToken);
            }
            if (batch.Count < DocumentBatchRows && bytes <= DocumentBatchBytes)
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

    // The new keys of the keys found, per parent table: canonical old key → new key as JSON (a number or a string).
    private static async Task<List<IReadOnlyDictionary<string, string>>> NewKeysAsync(string statement, List<ISet<string>> found, Runner run)
    {
        if (found.All(f => f.Count == 0))
        {
            return found.Select(_ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>()).ToList();
        }
        var parameters = found.Select((keys, i) => (MergeSql.KeysParameter(i), (object?)JsonArray(keys))).ToList();
        var rows = await SqlRunner.QueryTextAsync(run.Connection, run.Transaction, statement, run.CancellationToken, parameters);
        return found.Select((_, i) => (IReadOnlyDictionary<string, string>)Pairs(rows[0][i])).ToList();
    }

    private static string JsonArray(IEnumerable<string> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static T Guard<T>(TableMerge merge, string column, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (JsonException e)
        {
            throw new FerryException($"{merge.Archive.Name}.{column} holds a value that is not JSON, so the keys the profile declares in it cannot be rewritten: {e.Message}");
        }
    }

    private static void Guard(TableMerge merge, string column, Action action) => Guard(merge, column, () =>
    {
        action();
        return 0;
    });

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
