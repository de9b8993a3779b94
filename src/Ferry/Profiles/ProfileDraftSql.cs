using Ferry.Engines;
using Ferry.Schema;

namespace Ferry.Profiles;

/// <summary>The queries <c>ferry profile init</c> reads samples with: plain SELECTs that every engine runs as they are. Pure.</summary>
internal sealed class ProfileDraftSql(ISqlDialect dialect)
{
    /// <summary>How many values a file guess reads per column.</summary>
    public const int Samples = 20;

    private string Q(string name) => dialect.Quote(name);

    /// <summary>
    /// Rows with a value in <paramref name="columns"/> (all of them), and the distinct keys among them, compared
    /// as <c>lower()</c> when <paramref name="caseInsensitive"/>: equal counts mean the data holds no duplicate.
    /// </summary>
    public string CountDistinct(Table table, IReadOnlyList<string> columns, bool caseInsensitive)
    {
        string Value(string c) => caseInsensitive ? $"lower(x.{Q(c)})" : $"x.{Q(c)}";
        var notNull = string.Join(" AND ", columns.Select(c => $"x.{Q(c)} IS NOT NULL"));
        var distinct = columns.Count == 1
            ? $"COUNT(DISTINCT {Value(columns[0])})"
            : $"(SELECT COUNT(*) FROM (SELECT DISTINCT {string.Join(", ", columns.Select(Value))} FROM {dialect.Rows(table)} x WHERE {notNull}) d)";
        return $"SELECT COUNT(*), {distinct} FROM {dialect.Rows(table)} x WHERE {notNull}";
    }

    /// <summary>
    /// Up to <see cref="Samples"/> non-NULL values of a text column (empty ones are left to the caller: comparing
    /// with <c>''</c> fails on the PostgreSQL arrays that travel as text).
    /// </summary>
    public string Sample(Table table, Column column) =>
        $"SELECT x.{Q(column.Name)} FROM {dialect.Rows(table)} x WHERE x.{Q(column.Name)} IS NOT NULL LIMIT {Samples}";
}
