using System.Security.Cryptography;
using System.Text.Json;
using Ferry.Engines;

namespace Ferry.Archive;

/// <summary>Tar members: walking them, loading one, and turning every library failure into an <see cref="ArchiveException"/>.</summary>
public sealed partial class ArchiveReader
{
    private readonly record struct LoadedMember(string Name, string Sha256);

    /// <summary>
    /// Loads the next member if it is chunk <paramref name="chunk"/> of table <paramref name="number"/>'s data members
    /// (or, <paramref name="keys"/>, of its key members, which follow them); null when the next member belongs to a later
    /// table or part, or is the trailer.
    /// </summary>
    private LoadedMember? NextMemberOf(int number, int chunk, bool keys = false)
    {
        var entry = Peek() ?? throw Truncated($"{ArchiveFormat.TrailerMember} is missing");
        if ((entry.Name == ArchiveFormat.TrailerMember || (Manifest.Files is not null && ArchiveFormat.IsFileMember(entry.Name))) && IsFile(entry))
        {
            return null;
        }

        if (!ArchiveFormat.TryParseRowMemberPath(entry.Name, out var table, out var chunkNumber, out var isKeys) || !IsFile(entry)
            || table < number || table > Manifest.Tables.Count
            || (isKeys && !ArchiveFormat.HasKeys(Manifest, Manifest.Tables[table - 1]))
            || (table == number && keys && !isKeys))
        {
            throw Damaged($"unexpected member {entry.Name}");
        }

        // Data members of a table end at its first key member (if it has any), key members at the next table.
        if (table > number || isKeys != keys)
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

        if (_tar.Next() is { } extra)
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

            long? keys = ArchiveFormat.HasKeys(Manifest, Manifest.Tables[i]) ? _keyRows[i] : null;
            if (listed.Keys != keys)
            {
                throw Damaged($"table {Manifest.Tables[i].Name} holds {keys?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} key rows, the trailer says {listed.Keys?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
            }
        }
    }

    private static ReadOnlySpan<byte> ReadSmallMember(TarMember entry, ChunkBuffer buffer)
    {
        if (entry.Length > ArchiveReadOptions.MaxManifestBytes)
        {
            throw Damaged($"member {entry.Name} claims {entry.Length:N0} bytes; a manifest or trailer is at most {ArchiveReadOptions.MaxManifestBytes:N0}");
        }

        LoadMember(entry, buffer);
        return buffer.WrittenSpan;
    }

    /// <summary>Loads a data member or index chunk, refusing one larger than the options allow before reading it.</summary>
    private void LoadLimited(TarMember entry, ChunkBuffer buffer)
    {
        if (entry.Length > _options.MaxMemberBytes)
        {
            throw new ArchiveException(
                $"the archive's member {ArchiveText.Show(entry.Name)} holds {entry.Length:N0} bytes, more than the {_options.MaxMemberBytes:N0} accepted " +
                "(a row that large needs --max-row-size)");
        }

        LoadMember(entry, buffer);
    }

    private static void LoadMember(TarMember entry, ChunkBuffer buffer)
    {
        if (entry.Length > Array.MaxLength)
        {
            throw Damaged($"member {entry.Name} is too large ({entry.Length:N0} bytes)");
        }

        var length = (int)entry.Length;
        buffer.Clear();
        buffer.Ensure(length);
        if (length > 0)
        {
            entry.Data.ReadExactly(buffer.GetSpan(length)[..length]);
            buffer.Advance(length);
        }
    }

    private static bool IsFile(TarMember entry) => entry.IsFile;

    /// <summary>Runs a reading step; any failure other than cancellation surfaces as one <see cref="ArchiveException"/>.</summary>
    private T Guard<T>(Func<T> step)
    {
        try
        {
            return step();
        }
        catch (Exception e) when (e is not (ArchiveException or OperationCanceledException))
        {
            throw Failure(e, _layers.InputPosition);
        }
    }

    /// <summary>What a library's failure while reading means, said with where in the input it happened.</summary>
    private static ArchiveException Failure(Exception e, long position)
    {
        var detail = e switch
        {
            EndOfStreamException => null,
            TarFormatException => e.Message,
            // zlib's own words ("unsupported compression method") would send a reader the wrong way.
            InvalidDataException => "its compressed data is invalid",
            _ => RowDecoder.OneLine(e.Message),
        };
        return detail is null
            ? new ArchiveException($"the archive is truncated: its data ends early (after {position:N0} bytes of input)", e)
            : new ArchiveException($"the archive is damaged near byte {position:N0}: {ArchiveText.Clean(detail)}", e);
    }

    private static ArchiveException Truncated(string detail, Exception? inner = null) =>
        new($"the archive is truncated or damaged: {detail}", inner);

    private static ArchiveException Damaged(string detail) => new($"the archive is damaged or was altered: {ArchiveText.Clean(detail)}");
}
