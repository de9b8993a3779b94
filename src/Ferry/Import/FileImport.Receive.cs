using System.Data.Common;
using Ferry.Archive;
using Ferry.Engines;
using Ferry.Files;
using Ferry.Reporting;
using Ferry.Schema;
using Ferry.Sql;

namespace Ferry.Import;

// Reading the files section into temporary files, and pointing the staged rows at the new names.
internal sealed partial class FileImport
{
    private const UnixFileMode FileMode644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// After the last table: reads the file index, then streams each content into a temporary file in
    /// its store's <c>imported/</c> directory (copied for every further source path with the same
    /// content). The contents are checked by the reader; they are trusted only once the archive verifies.
    /// </summary>
    public async Task ReceiveAsync(ArchiveReader archive, IProgressSink progress, CancellationToken cancellationToken)
    {
        if (_columns.Count == 0)
        {
            return;
        }
        RemoveAbandoned(progress);
        var seen = new HashSet<(string, string, string, string)>();
        await foreach (var reference in archive.ReadFileIndexAsync(cancellationToken))
        {
            if (!seen.Add((reference.Store, reference.Table, reference.Column, reference.Path)))
            {
                throw new ArchiveException($"the archive is damaged or was altered: the file index lists {reference.Table}.{reference.Column} '{reference.Path}' twice");
            }
            if (_derived.FirstOrDefault(d => d.Archive.Is(reference.Store, reference.Table, reference.Column)) is { } derived)
            {
                Receive(derived, reference);
                continue;
            }
            if (reference.Sha256 is not { } sha)
            {
                Missing++;
                continue;
            }
            if (!_byPath.TryGetValue((reference.Store, reference.Path), out var placed))
            {
                placed = Place(reference.Store, reference.Path, reference.Bytes!.Value);
                _byPath[(reference.Store, reference.Path)] = placed;
                if (!_byContent.TryGetValue(sha, out var same))
                {
                    _byContent[sha] = same = [];
                }
                same.Add(placed);
            }
            _references.Add((reference.Table, reference.Column, reference.Path, placed));
        }
        if (Missing > 0)
        {
            progress.Warning($"{Missing} file reference(s) name files that were missing at export: those rows keep the source's path");
        }

        using var task = progress.Start("files", _byContent.Count);
        await archive.ReadFileContentsAsync(async (content, ct) =>
        {
            var targets = _byContent[content.Sha256];
            await WriteAsync(targets[0].Temporary, content.Content, ct);
            foreach (var other in targets.Skip(1))
            {
                _written.Add(other.Temporary);
                File.Copy(targets[0].Temporary, other.Temporary, overwrite: false);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(other.Temporary, FileMode644);
                }
            }
            task.Increment(1);
        }, cancellationToken);
    }

    /// <summary>Replaces every staged path of the file columns by the path of its file in the target store.</summary>
    public async Task RewriteStagingAsync(
        IDatabaseEngine engine, DbConnection connection, DbTransaction transaction, IReadOnlyList<TableMerge> merges, CancellationToken cancellationToken)
    {
        if (_references.Count == 0)
        {
            return;
        }
        var sql = new MergeSql(engine.Dialect);
        await SqlRunner.ExecuteAsync(connection, transaction, sql.CreateFileMap(), cancellationToken);
        var columns = new[] { "tbl", "col", "old_path", "new_path" }.Select(c => new StagingColumn(c, FerryType.Text, null)).ToList();
        await engine.BulkLoadAsync(connection, transaction, MergeSql.FileMap, columns, Rows(), cancellationToken);
        foreach (var column in _columns.Where(c => c.Column is not null))
        {
            if (merges.FirstOrDefault(m => m.Read.Name == column.Table) is { } merge)
            {
                await SqlRunner.ExecuteAsync(connection, transaction, sql.RewriteFilePaths(merge, column.Column!), cancellationToken);
            }
        }

        async IAsyncEnumerable<object?[]> Rows()
        {
            foreach (var (table, column, path, file) in _references)
            {
                yield return [table, column, path, file.Relative];
            }
            await Task.CompletedTask;
        }
    }

    private Placed Place(string store, string sourcePath, long bytes)
    {
        var root = _stores[store];
        var directory = Path.Combine(root, ImportedName.Directory);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            _createdDirectories.Add(directory);
        }
        var relative = ImportedName.For(sourcePath);
        var temporary = TemporaryName(directory);
        return new Placed(relative, temporary, Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar)), bytes);
    }

    private async Task WriteAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var options = IO.NewFile.Options(FileMode644);
        _written.Add(path);
        await using (var stream = new FileStream(path, options))
        {
            await content.CopyToAsync(stream, 1 << 20, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        if (!OperatingSystem.IsWindows())
        {
            // The umask may have taken bits away: imported files are readable by the app like the archive's members.
            File.SetUnixFileMode(path, FileMode644);
        }
    }
}
