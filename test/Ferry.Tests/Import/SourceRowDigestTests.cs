using System.Security.Cryptography;
using System.Text;
using Ferry.Import;
using Ferry.Testing;

namespace Ferry.Tests.Import;

public sealed class SourceRowDigestTests
{
    /// <summary>The digest of a row of object values (<see cref="SourceRowDigest.Value"/>).</summary>
    internal static string Digest(params object?[] row)
    {
        using var digest = new SourceRowDigest();
        foreach (var value in row)
        {
            digest.Value(value);
        }
        return digest.Finish();
    }

    [Fact]
    public void A_digest_is_version_2_and_sha256_of_the_tagged_values()
    {
        // 1 as an integer: tag 1 and 8 bytes little-endian; 'ab' as text: tag 4, length 2 (4 bytes) and its UTF-8; NULL: tag 0.
        byte[] encoded = [1, 1, 0, 0, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0, (byte)'a', (byte)'b', 0];
        Assert.Equal("2:" + Convert.ToHexStringLower(SHA256.HashData(encoded)), Digest(1L, "ab", null));
        Assert.Equal(SourceRowDigest.TextLength, Digest().Length);
    }

    [Fact]
    public void Types_nulls_and_boundaries_between_values_tell_rows_apart()
    {
        string[] digests =
        [
            Digest(1L), Digest("1"), Digest(1.0), Digest(true), Digest(new byte[] { 1 }), Digest((object?)null), Digest(""), Digest(Array.Empty<byte>()),
            Digest("ab", "c"), Digest("a", "bc"), Digest("abc"), Digest(null, "a"), Digest("a", null), Digest(0.0), Digest(-0.0), Digest(false), Digest(0L),
        ];
        Assert.Equal(digests.Length, digests.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_sink_gives_the_same_digest_as_the_objects_and_passes_every_value_on()
    {
        var received = new RecordingRowSink();
        using var sink = new SourceRowDigest.Sink(received, 6);
        sink.Integer(0, 42);
        sink.Text(1, Encoding.UTF8.GetBytes("Beta ☕"));
        sink.Null(2);
        sink.Real(3, 2.5);
        sink.Boolean(4, true);
        sink.Bytes(5, [0, 255]);
        sink.EndRow();
        sink.Null(0);
        sink.EndRow();
        Assert.Equal(
        [
            "0:42", "1:Beta ☕", "2:null", "3:2.5", "4:True", "5:00FF", $"6:{Digest(42L, "Beta ☕", null, 2.5, true, new byte[] { 0, 255 })}", "end",
            "0:null", $"6:{Digest((object?)null)}", "end",
        ], received.Values);
    }
}
