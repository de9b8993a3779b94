using Ferry.Schema;

namespace Ferry.Export;

internal sealed partial class ScopeSql
{
    /// <summary>
    /// Up to <paramref name="limit"/> rows of <paramref name="owners"/> outside the scope that point at scoped rows of
    /// <paramref name="owned"/> through <paramref name="edge"/> (a plain key whose referencing row owns the row it
    /// points at): each row's key, then the key's values, as text. Driven from the owned rows' key table, like
    /// <see cref="CountLeftBehind"/>, which counts them.
    /// </summary>
    public string OtherOwnerExamples(ForeignKey edge, Table owners, Table owned, int limit)
    {
        var c = Alias.Rows("c");
        var notScoped = $"NOT EXISTS (SELECT 1 FROM {KeyTable(owners)} x WHERE {KeyMatch(owners, Alias.Keys("x"), c)})";
        var source = ParentRows(owned, edge.RefColumns, Alias.Keys("s"), Alias.Rows("p"), driving: true);
        var join = string.Join(" AND ", edge.Columns.Select((col, i) => $"c.{Q(col)} = {source.Ref(i)}")) + TypeCondition(edge, c);
        var shown = owners.PrimaryKey.Concat(edge.Columns).Select(col => _d.AsText($"c.{Q(col)}"));
        var order = (owners.PrimaryKey.Count > 0 ? owners.PrimaryKey : edge.Columns).Select(col => $"c.{Q(col)}");
        return $"SELECT {string.Join(", ", shown)} FROM {source.From} {_d.DrivingJoin} {_d.Rows(owners)} c ON {join} " +
               $"WHERE {notScoped} ORDER BY {string.Join(", ", order)} LIMIT {limit}";
    }
}
