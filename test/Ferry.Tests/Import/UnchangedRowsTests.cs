using System.Text;
using Ferry.Import;
using Ferry.Testing;

namespace Ferry.Tests.Import;

/// <summary>
/// <see cref="UnchangedRows"/>: the rows an <c>--update</c> on SQLite leaves out of the stage are exactly those the ledger
/// holds with the same key and digest; the rest pass on whole, value for value.
/// </summary>
public sealed class UnchangedRowsTests
{
    private static string Digest(params object?[] row) => SourceRowDigestTests.Digest(row);

    // A row of the ledger query: source key, target key, source digest.
    private static void Push(UnchangedRows.Builder builder, long source, long target, string digest)
    {
        builder.Integer(0, source);
        builder.Integer(1, target);
        builder.Text(2, Encoding.UTF8.GetBytes(digest));
        builder.EndRow();
    }

    private static UnchangedRows Ledger(params (long Source, long Target, string Digest)[] rows)
    {
        var builder = new UnchangedRows.Builder("messages", rows.Length, keyColumn: 0);
        foreach (var (source, target, digest) in rows)
        {
            Push(builder, source, target, digest);
        }
        return builder.Build()!;
    }

    [Fact]
    public void A_row_is_left_out_only_when_the_ledger_holds_its_key_with_its_digest()
    {
        var unchanged = Ledger((7, 107, Digest(7L, "a")), (3, 103, Digest(3L, "b")), (9, 109, Digest(9L, "c")));
        Assert.True(unchanged.Skip(7, Encoding.ASCII.GetBytes(Digest(7L, "a"))));
        Assert.False(unchanged.Skip(3, Encoding.ASCII.GetBytes(Digest(3L, "b (edited)"))));
        Assert.False(unchanged.Skip(5, Encoding.ASCII.GetBytes(Digest(5L, "new"))));
        Assert.Equal(1, unchanged.Count);
        Assert.Equal([(7L, 107L)], unchanged.Mapped());
    }

    [Fact]
    public void A_key_given_twice_is_a_damaged_archive_whichever_copy_is_unchanged()
    {
        var unchanged = Ledger((1, 11, Digest(1L, "a")), (2, 12, Digest(2L, "b")));
        Assert.True(unchanged.Skip(1, Encoding.ASCII.GetBytes(Digest(1L, "a"))));
        var again = Assert.Throws<ArchiveException>(() => unchanged.Skip(1, Encoding.ASCII.GetBytes(Digest(1L, "other"))));
        Assert.Equal("the archive is damaged or was altered: messages gives the key 1 in two rows", again.Message);
        Assert.False(unchanged.Skip(2, Encoding.ASCII.GetBytes(Digest(2L, "changed"))));
        Assert.Throws<ArchiveException>(() => unchanged.Skip(2, Encoding.ASCII.GetBytes(Digest(2L, "b"))));
    }

    [Fact]
    public void Digests_not_of_version_2_rows_without_a_target_and_a_repeated_source_key_leave_rows_to_the_stage()
    {
        var builder = new UnchangedRows.Builder("messages", 3, keyColumn: 0);
        Push(builder, 1, 11, "1:" + new string('a', 64));
        Push(builder, 2, 12, new string('b', 64));
        builder.Integer(0, 3);
        builder.Null(1);
        builder.Text(2, Encoding.UTF8.GetBytes(Digest(3L)));
        builder.EndRow();
        var unchanged = builder.Build()!;
        Assert.Equal(0, unchanged.Rows);
        Assert.False(unchanged.Skip(1, Encoding.ASCII.GetBytes(Digest(1L))));

        var twice = new UnchangedRows.Builder("messages", 2, keyColumn: 0);
        Push(twice, 4, 14, Digest(4L));
        Push(twice, 4, 15, Digest(4L));
        Assert.Null(twice.Build());

        var more = new UnchangedRows.Builder("messages", 1, keyColumn: 0);
        Push(more, 4, 14, Digest(4L));
        Push(more, 5, 15, Digest(5L));
        Assert.Null(more.Build());
    }

    [Fact]
    public void The_digest_sink_passes_every_other_row_on_value_for_value_and_counts_what_it_left_out()
    {
        object?[] kept = [2L, "Beta ☕", null, 2.5, true, new byte[] { 0, 255 }, ""];
        object?[] same = [1L, "Alpha", 1L, 0.5, false, new byte[] { 1 }, "x"];
        var unchanged = Ledger((1, 101, Digest(same)), (2, 102, Digest(2L, "old")));
        var received = new RecordingRowSink();
        using var sink = new SourceRowDigest.Sink(received, kept.Length, unchanged);
        foreach (var row in new[] { same, kept })
        {
            for (var i = 0; i < row.Length; i++)
            {
                switch (row[i])
                {
                    case null: sink.Null(i); break;
                    case long l: sink.Integer(i, l); break;
                    case double d: sink.Real(i, d); break;
                    case bool b: sink.Boolean(i, b); break;
                    case string s: sink.Text(i, Encoding.UTF8.GetBytes(s)); break;
                    case byte[] bytes: sink.Bytes(i, bytes); break;
                }
            }
            sink.EndRow();
        }
        Assert.Equal(1, sink.Skipped);
        Assert.Equal(["0:2", "1:Beta ☕", "2:null", "3:2.5", "4:True", "5:00FF", "6:", $"7:{Digest(kept)}", "end"], received.Values);
        Assert.Equal([(1L, 101L)], unchanged.Mapped());
    }
}
