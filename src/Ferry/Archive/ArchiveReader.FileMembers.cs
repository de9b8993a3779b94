using System.Security.Cryptography;

namespace Ferry.Archive;

// The files section member by member: index chunks, contents, what the trailer must then list.
public sealed partial class ArchiveReader
{
    // Loads the next index chunk and parses its lines into chunk; false when the next member is not one.
    private bool NextIndexChunk(List<FileReference> chunk)
    {
        var entry = Peek() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        if (!ArchiveFormat.TryParseFileIndexMemberPath(entry.Name, out var number) || !IsFile(entry))
        {
            return false;
        }

        if (number != _indexChunks + 1)
        {
            throw Damaged($"member {entry.Name} is out of order (expected chunk {_indexChunks + 1})");
        }

        Take();
        _indexChunks++;
        LoadLimited(entry, _member);
        if (_member.Count == 0 || _member.WrittenSpan[^1] != (byte)'\n')
        {
            throw Damaged($"member {entry.Name} does not end with a line feed");
        }

        var offset = 0;
        while (offset < _member.Count)
        {
            var rest = _member.WrittenSpan[offset..];
            var end = rest.IndexOf((byte)'\n');
            FileReference reference;
            try
            {
                reference = FileReference.Parse(rest[..end]);
            }
            catch (FormatException e)
            {
                throw Damaged($"{entry.Name} line {chunk.Count + 1}: {e.Message}");
            }

            if (FileColumns.FirstOrDefault(c => c.Is(reference.Store, reference.Table, reference.Column)) is not { } column)
            {
                throw Damaged($"{entry.Name} line {chunk.Count + 1}: {reference.Table}.{reference.Column} of store {reference.Store} is not a file column of the manifest");
            }

            if (++_fileReferences > _options.MaxFileReferences)
            {
                throw new ArchiveException(
                    $"the archive's file index lists more than {_options.MaxFileReferences:N0} files, the limit (--max-files): each is held in memory until the import commits");
            }

            // The names come from the manifest and a digest is often repeated: one string each, not one per line.
            reference = reference with
            {
                Store = column.Store, Table = column.Table, Column = column.Name,
                Sha256 = reference.Sha256 is { } named ? Canonical(named) : null,
            };

            if (reference.Sha256 is { } sha && _indexedContents.TryGetValue(sha, out var bytes) && bytes != reference.Bytes)
            {
                throw Damaged($"{entry.Name} line {chunk.Count + 1}: content {sha} is listed with two sizes");
            }

            if (reference.Sha256 is { } digest)
            {
                _indexedContents[digest] = reference.Bytes!.Value;
            }

            chunk.Add(reference);
            offset += end + 1;
        }

        _readFiles.Add(new TrailerFile(entry.Name, Convert.ToHexStringLower(SHA256.HashData(_member.WrittenSpan)), _member.Count, chunk.Count));
        return true;
    }

    private string Canonical(string sha)
    {
        if (_contentNames.TryGetValue(sha, out var known))
        {
            return known;
        }

        _contentNames[sha] = sha;
        return sha;
    }

    // The next content member and its digest; null when the next member is not one.
    private (TarMember Entry, string Sha256)? NextContent()
    {
        var entry = Peek() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        if (entry.Name == ArchiveFormat.TrailerMember && IsFile(entry))
        {
            return null;
        }

        if (!ArchiveFormat.TryParseFileContentMemberPath(entry.Name, out var sha) || !IsFile(entry))
        {
            throw Damaged($"unexpected member {entry.Name}");
        }

        Take();
        if (!_indexedContents.TryGetValue(sha, out var bytes))
        {
            throw Damaged($"member {entry.Name} is not listed in the file index");
        }

        if (!_readContents.Add(sha))
        {
            throw Damaged($"member {entry.Name} appears twice");
        }

        if (bytes != entry.Length)
        {
            throw Damaged($"member {entry.Name} holds {entry.Length} bytes, the file index says {bytes}");
        }

        return (entry, sha);
    }

    private bool EndContent(string name, string sha, long length, HashingStream content)
    {
        content.CopyTo(Stream.Null);
        if (content.BytesRead != length)
        {
            throw Truncated($"member {name} ended after {content.BytesRead} of {length} bytes");
        }

        if (content.Digest() != sha)
        {
            throw Damaged($"{name} does not match its SHA-256 digest");
        }

        _readFiles.Add(new TrailerFile(name, sha, length, 0));
        return true;
    }

    // Before the trailer: whatever part of the files section the caller did not read is read and checked.
    private void SkipFiles()
    {
        if (Manifest.Files is null)
        {
            return;
        }

        var chunk = new List<FileReference>();
        while (!_indexDone && NextIndexChunk(chunk))
        {
            chunk.Clear();
        }

        _indexDone = true;
        while (NextContent() is var (entry, sha))
        {
            using var hashing = new HashingStream(entry.Data, entry.Length);
            EndContent(entry.Name, sha, entry.Length, hashing);
        }
    }

    private void CompareFiles(Trailer trailer)
    {
        if ((trailer.Files is null) != (Manifest.Files is null))
        {
            throw Damaged(trailer.Files is null ? "the trailer lists no files, the manifest declares file columns" : "the trailer lists files, the manifest declares no file columns");
        }

        var listed = trailer.Files ?? [];
        if (listed.Count != _readFiles.Count)
        {
            throw Damaged($"the trailer lists {listed.Count} file members, the archive holds {_readFiles.Count}");
        }

        foreach (var (expected, read) in listed.Zip(_readFiles))
        {
            if (expected != read)
            {
                throw Damaged(expected.Path != read.Path
                    ? $"the trailer lists {expected.Path} where the archive holds {read.Path}"
                    : $"{read.Path} does not match its SHA-256 digest, size or reference count in the trailer");
            }
        }

        if (_indexedContents.Keys.FirstOrDefault(sha => !_readContents.Contains(sha)) is { } absent)
        {
            throw Damaged($"the file index lists content {absent}, which the archive does not hold");
        }
    }

    /// <summary>The manifest's file columns must name columns of its tables, and only from format version 2 on.</summary>
    private static void CheckFileColumns(Manifest manifest)
    {
        if (manifest.Files is not { } files)
        {
            return;
        }

        if (manifest.FormatVersion < ArchiveFormat.VersionFor(files))
        {
            throw Damaged($"the manifest declares {(ArchiveFormat.VersionFor(files) == ArchiveFormat.VersionWithTemplates ? "derived file paths" : "file columns")}, which format version {manifest.FormatVersion} does not have");
        }

        var names = new HashSet<(string, string, string)>();
        foreach (var file in files)
        {
            if (manifest.Tables.FirstOrDefault(t => t.Name == file.Table) is not { } table)
            {
                throw Damaged($"the manifest declares files in {file.Table}, which is not one of its tables");
            }
            if ((file.Column is null) == (file.Template is null) || (file.Column is not null && file.Suffixes is not null))
            {
                throw Damaged($"the manifest's file rule of {file.Table} must have either a column, or a template with suffixes");
            }
            if (!names.Add((file.Store, file.Table, file.Name)))
            {
                throw Damaged($"the manifest declares the files of {file.Table}.{file.Name} twice");
            }
            if (file.Column is { } column && table.Columns.All(c => c.Name != column))
            {
                throw Damaged($"the manifest declares files in {file.Table}.{column}, which is not a column of its tables");
            }
            if (file.Template is { } text)
            {
                Files.PathTemplate template;
                try
                {
                    template = Files.PathTemplate.Parse(text);
                }
                catch (FormatException e)
                {
                    throw Damaged($"the manifest's file path template of {file.Table} is invalid: {e.Message}");
                }
                if (template.Columns.FirstOrDefault(c => table.Columns.All(t => t.Name != c)) is { } absent)
                {
                    throw Damaged($"the manifest's file path template of {file.Table} uses {absent}, which is not a column of {file.Table}");
                }
                if (file.Suffixes is not { Count: > 0 and <= 16 } suffixes || suffixes.Any(s => s is null || s.Length > 32 || s.IndexOfAny(['/', '\\', '\0']) >= 0)
                    || suffixes.Distinct().Count() != suffixes.Count)
                {
                    throw Damaged($"the manifest's file suffixes of {file.Table} must be 1 to 16 distinct texts of at most 32 characters without a path separator");
                }
            }
        }
    }
}
