using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Ferry.Engines;

namespace Ferry.Archive;

/// <summary>Tar members: walking them, loading one, and turning every library failure into an <see cref="ArchiveException"/>.</summary>
public sealed partial class ArchiveReader
{
    private readonly record struct LoadedMember(string Name, string Sha256);

    /// <summary>
    /// Loads the next member if it is chunk <paramref name="chunk"/> of table <paramref name="number"/>;
    /// null when the next member belongs to a later table or is the trailer.
    /// </summary>
    private LoadedMember? NextMemberOf(int number, int chunk)
    {
        var entry = Peek() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        if ((entry.Name == ArchiveFormat.TrailerMember || (Manifest.Files is not null && ArchiveFormat.IsFileMember(entry.Name))) && IsFile(entry))
        {
            return null;
        }

        if (!ArchiveFormat.TryParseDataMemberPath(entry.Name, out var table, out var chunkNumber) || !IsFile(entry)
            || table < number || table > Manifest.Tables.Count)
        {
            throw Damaged($"unexpected member {entry.Name}");
        }

        if (table > number)
        {
            return null;
        }

        if (chunkNumber != chunk)
        {
            throw Damaged($"member {entry.Name} is out of order (expected chunk {chunk})");
        }

        var digest = TakeData(entry);
        if (_member.Count == 0 || _member.WrittenSpan[^1] != (byte)'\n')
        {
            throw Damaged($"member {entry.Name} does not end with a line feed");
        }

        ReadAhead();

        return new LoadedMember(entry.Name, digest);
    }

    /// <summary>Decodes the line at <paramref name="offset"/> into <paramref name="sink"/>; returns the next line's offset.</summary>
    private int DecodeLine(ManifestTable table, string member, int offset, long lineNumber, IRowValueSink sink)
    {
        var rest = _member.WrittenSpan[offset..];
        var end = rest.IndexOf((byte)'\n');
        _decoder.Decode(table, rest[..end], sink, member, lineNumber);
        return offset + end + 1;
    }

    private Trailer ReadTrailer()
    {
        SkipFiles();
        var entry = Peek() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        Take();
        if (entry.Name != ArchiveFormat.TrailerMember || !IsFile(entry))
        {
            throw Damaged($"unexpected member {entry.Name}");
        }

        Trailer trailer;
        try
        {
            trailer = ArchiveJson.DeserializeTrailer(ReadSmallMember(entry, _member));
        }
        catch (JsonException e)
        {
            throw Damaged($"{ArchiveFormat.TrailerMember}: {RowDecoder.OneLine(e.Message)}");
        }

        if (_tar.GetNextEntry() is { } extra)
        {
            throw Damaged($"member {extra.Name} follows {ArchiveFormat.TrailerMember}");
        }

        if (_layers.VerifyEnd() is { } problem)
        {
            throw Damaged(problem);
        }

        Compare(trailer);
        CompareFiles(trailer);
        return trailer;
    }

    private void Compare(Trailer trailer)
    {
        if (trailer.Members.Count != _read.Count)
        {
            throw Damaged($"the trailer lists {trailer.Members.Count} data members, the archive holds {_read.Count}");
        }

        for (var i = 0; i < _read.Count; i++)
        {
            var (listed, read) = (trailer.Members[i], _read[i]);
            if (listed.Path != read.Path || listed.Table != read.Table)
            {
                throw Damaged($"the trailer lists {listed.Path} where the archive holds {read.Path}");
            }

            if (listed.Sha256 != read.Sha256)
            {
                throw Damaged($"{read.Path} does not match its SHA-256 digest");
            }

            if (listed.Rows != read.Rows || listed.Bytes != read.Bytes)
            {
                throw Damaged($"{read.Path} holds {read.Rows} rows in {read.Bytes} bytes, the trailer says {listed.Rows} in {listed.Bytes}");
            }
        }

        if (trailer.Tables.Count != Manifest.Tables.Count)
        {
            throw Damaged($"the trailer lists {trailer.Tables.Count} tables, the manifest {Manifest.Tables.Count}");
        }

        for (var i = 0; i < _tableRows.Length; i++)
        {
            var listed = trailer.Tables[i];
            if (listed.Name != Manifest.Tables[i].Name || listed.Rows != _tableRows[i])
            {
                throw Damaged($"table {Manifest.Tables[i].Name} holds {_tableRows[i]} rows, the trailer says {listed.Name}: {listed.Rows}");
            }
        }
    }

    private static ReadOnlySpan<byte> ReadSmallMember(TarEntry entry, ChunkBuffer buffer)
    {
        LoadMember(entry, buffer, MaxJsonMember);
        return buffer.WrittenSpan;
    }

    private static void LoadMember(TarEntry entry, ChunkBuffer buffer, long limit)
    {
        if (entry.Length > Math.Min(limit, Array.MaxLength))
        {
            throw Damaged($"member {entry.Name} is too large ({entry.Length} bytes)");
        }

        var length = (int)entry.Length;
        buffer.Clear();
        buffer.Ensure(length);
        if (length > 0)
        {
            var data = entry.DataStream ?? throw Truncated($"member {entry.Name} has no data");
            data.ReadExactly(buffer.GetSpan(length)[..length]);
            buffer.Advance(length);
        }
    }

    private static bool IsFile(TarEntry entry) => entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile;

    /// <summary>Runs a reading step; any failure other than cancellation surfaces as one <see cref="ArchiveException"/>.</summary>
    private static T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not (ArchiveException or OperationCanceledException))
        {
            throw e is EndOfStreamException
                ? Truncated("unexpected end of data", e)
                : new ArchiveException($"the archive is truncated or damaged: {RowDecoder.OneLine(e.Message)}", e);
        }
    }

    private static ArchiveException Truncated(string detail, Exception? inner = null) =>
        new($"the archive is truncated or damaged: {detail}", inner);

    private static ArchiveException Damaged(string detail) => new($"the archive is damaged or was altered: {detail}");
}
