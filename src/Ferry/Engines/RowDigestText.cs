using Ferry.Schema;

namespace Ferry.Engines;

/// <summary>
/// The text that stands for a tuple of values in the ledger's keys and digests (<c>docs/reimport.md</c>), as SQL built
/// from an engine's <see cref="ISqlDialect.ValueText"/>. Pure.
/// </summary>
public static class RowDigestText
{
    /// <summary>
    /// Text that stands for a tuple of values (a key, a row): each value's length, a colon and its text, NULL as
    /// <c>~</c>, joined by commas, so that no two tuples give one text; with <paramref name="bare"/>, a single value
    /// (a one-column key, never NULL) is its text alone.
    /// </summary>
    public static string Tuple(ISqlDialect d, IReadOnlyList<(string Expression, FerryType Type)> values, bool bare)
    {
        if (values.Count == 1 && bare)
        {
            return d.ValueText(values[0].Expression, values[0].Type);
        }
        var parts = values.Select(v =>
        {
            var text = d.ValueText(v.Expression, v.Type);
            return $"COALESCE({d.Concat([d.AsText($"length({text})"), "':'", text])}, '~')";
        });
        return d.Concat(parts.SelectMany((p, i) => i == 0 ? [p] : new[] { "','", p }).ToList());
    }
}
