using System.Globalization;
using Ferry.Engines;

namespace Ferry.Import;

/// <summary>
/// Under <c>--update</c>, where reading before staging is as safe as after it (SQLite, MariaDB): what the
/// ledger holds of one table's rows whose target row still exists (source key, target key, source digest), read
/// before the table is staged, so that a row the archive gives as the ledger recorded it is neither staged nor mapped
/// by SQL: it is counted unchanged and its key map row (source key → the target row's key) written from here
/// (docs/reimport.md). Every other row (changed, new, or whose target row is gone) is staged as before. Of a single
/// integer key, the only kind this applies to. Held as one sorted array: 33 bytes per ledger row of the table, at most
/// <see cref="MaxRows"/> rows (a table with more is staged whole); the digest as its first 128 bits.
/// </summary>
internal sealed class UnchangedRows
{
    /// <summary>The most ledger rows of one table held (about 140 MB); a table with more is staged whole.</summary>
    public const int MaxRows = 4 * 1024 * 1024;

    private const byte Unseen = 0, Same = 1, Staged = 2;

    private readonly string _table;
    private readonly Entry[] _entries;
    private readonly int _count;
    private readonly byte[] _seen;

    private UnchangedRows(string table, Entry[] entries, int count, int keyColumn)
    {
        _table = table;
        _entries = entries;
        _count = count;
        _seen = new byte[count];
        KeyColumn = keyColumn;
    }

    /// <summary>The position of the row's key among its values.</summary>
    public int KeyColumn { get; }

    /// <summary>The ledger's rows held.</summary>
    public long Rows => _count;

    /// <summary>The rows found unchanged so far.</summary>
    public long Count { get; private set; }

    /// <summary>
    /// Gathers at most the announced number of ledger rows of a table, in any order (<see cref="Build"/>), pushed as rows
    /// of three values: source key, target key (integers), source digest (text; one other than version 2's is ignored,
    /// and its row staged).
    /// </summary>
    /// <param name="table">The archive table's name, for messages.</param>
    /// <param name="rows">How many rows the ledger holds for the table at most (its count): the array is made once.</param>
    /// <param name="keyColumn">The position of the key among a row's values.</param>
    public sealed class Builder(string table, long rows, int keyColumn) : IRowValueSink
    {
        private readonly Entry[] _entries = new Entry[Math.Min(rows, MaxRows)];
        private int _count;
        private bool _over;
        private long? _source, _target;
        private UInt128? _digest;

        public void Null(int column) => Set(column, null, null);

        public void Integer(int column, long value) => Set(column, value, null);

        public void Real(int column, double value) => Set(column, null, null);

        public void Boolean(int column, bool value) => Set(column, null, null);

        public void Text(int column, ReadOnlySpan<byte> utf8) => Set(column, null, column == 2 ? Head(utf8) : null);

        public void Bytes(int column, ReadOnlySpan<byte> value) => Set(column, null, null);

        public void EndRow()
        {
            if (_source is { } source && _target is { } target && _digest is { } digest)
            {
                if (_count == _entries.Length)
                {
                    _over = true;
                }
                else
                {
                    _entries[_count++] = new Entry(source, target, digest);
                }
            }
            (_source, _target, _digest) = (null, null, null);
        }

        private void Set(int column, long? integer, UInt128? digest)
        {
            switch (column)
            {
                case 0: _source = integer; break;
                case 1: _target = integer; break;
                default: _digest = digest; break;
            }
        }

        /// <summary>The rows sorted by source key; null when there were more than <see cref="MaxRows"/>, or a source key twice.</summary>
        public UnchangedRows? Build()
        {
            if (_over)
            {
                return null;
            }
            var entries = _entries.AsSpan(0, _count);
            entries.Sort(static (a, b) => a.Source.CompareTo(b.Source));
            for (var i = 1; i < entries.Length; i++)
            {
                // The ledger's primary key holds each source key's text once; two spellings of one number are left to SQL.
                if (entries[i].Source == entries[i - 1].Source)
                {
                    return null;
                }
            }
            return new UnchangedRows(table, _entries, _count, keyColumn);
        }
    }

    /// <summary>
    /// True when the row of key <paramref name="key"/> and source digest <paramref name="digest"/> (the text of
    /// <see cref="SourceRowDigest.Finish(Span{byte})"/>) is the one the ledger recorded: it is then not staged. A key
    /// the archive gives twice is a damaged archive.
    /// </summary>
    public bool Skip(long key, ReadOnlySpan<byte> digest) => Skip(key, Head(digest));

    /// <summary><see cref="Skip(long, ReadOnlySpan{byte})"/> for a digest as a string (<see cref="SourceRowDigest.Finish()"/>).</summary>
    public bool Skip(long key, string digest) => Skip(key, Head(digest.AsSpan()));

    private bool Skip(long key, UInt128? head)
    {
        var i = Find(key);
        if (i < 0)
        {
            return false;
        }
        if (_seen[i] != Unseen)
        {
            throw new ArchiveException($"the archive is damaged or was altered: {_table} gives the key {key} in two rows");
        }
        if (head == _entries[i].Digest)
        {
            _seen[i] = Same;
            Count++;
            return true;
        }
        _seen[i] = Staged;
        return false;
    }

    /// <summary>The key map rows of the rows found unchanged: source key, target key.</summary>
    public IEnumerable<(long Source, long Target)> Mapped()
    {
        for (var i = 0; i < _count; i++)
        {
            if (_seen[i] == Same)
            {
                yield return (_entries[i].Source, _entries[i].Target);
            }
        }
    }

    private int Find(long key)
    {
        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var middle = low + ((high - low) >> 1);
            var source = _entries[middle].Source;
            if (source == key)
            {
                return middle;
            }
            if (source < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }
        return -1;
    }

    // The first 128 bits of a version 2 digest's text ("2:" and 64 hex digits); null for any other text.
    private static UInt128? Head(ReadOnlySpan<char> text) =>
        text.Length == SourceRowDigest.TextLength && text[0] == '2' && text[1] == ':'
        && UInt128.TryParse(text[2..34], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var head)
            ? head
            : null;

    private static UInt128? Head(ReadOnlySpan<byte> text) =>
        text.Length == SourceRowDigest.TextLength && text[0] == (byte)'2' && text[1] == (byte)':'
        && UInt128.TryParse(text[2..34], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var head)
            ? head
            : null;

    private readonly record struct Entry(long Source, long Target, UInt128 Digest);
}
