using System.Text;
using Ferry.Schema;

namespace Ferry.Planning;

/// <summary>
/// Columns that look like references but are neither a foreign key nor a profile relation
/// (<c>store.manager_staff_id</c>), and the table each most likely points at, from names alone. Pure.
/// </summary>
public static class ReferenceGuess
{
    /// <summary>
    /// The integer or UUID columns of <paramref name="table"/> named like references (<c>owner_id</c>,
    /// <c>ownerId</c>) that no foreign key or relation of the table uses. The table's own ids are not:
    /// its single-column key, and a column the database generates (a sequence or identity, as
    /// <c>payment_id</c> in Pagila's key <c>(payment_date, payment_id)</c>).
    /// </summary>
    public static IEnumerable<Column> Candidates(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keyed = table.ForeignKeys.SelectMany(f => f.Columns.Concat(f.Shape?.TypeColumn is { } t ? [t] : [])).ToHashSet(StringComparer.Ordinal);
        var ownKey = table.PrimaryKey.Count == 1 ? table.PrimaryKey[0] : null;
        return table.Columns.Where(c => c.Type is FerryType.Int or FerryType.Uuid && !c.IsAutoIncrement && c.Sequence is null
                                        && Stem(c.Name) is not null && !keyed.Contains(c.Name) && c.Name != ownKey);
    }

    /// <summary>
    /// The table <paramref name="column"/> most likely points at and its key column, or null: the longest
    /// tail of the column's words (before <c>_id</c>) that names a table with a single-column key of the
    /// same type, as is (<c>staff</c>), in the plural (<c>categories</c>) or after an app prefix
    /// (Django's <c>groups_group</c>); an exact name first.
    /// </summary>
    public static (Table Table, string Key)? Likely(DatabaseSchema schema, Column column)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(column);
        if (Stem(column.Name) is not { } stem)
        {
            return null;
        }
        var words = Words(stem);
        var keyed = schema.Tables
            .Where(t => t.PrimaryKey.Count == 1 && t.FindColumn(t.PrimaryKey[0])?.Type == column.Type)
            .ToList();
        for (var start = 0; start < words.Count; start++)
        {
            var name = string.Join('_', words.Skip(start));
            string[] forms = [name, Plural(name)];
            var exact = keyed.FirstOrDefault(t => forms.Contains(t.Name.ToLowerInvariant()));
            var prefixed = keyed.Where(t => forms.Any(f => t.Name.ToLowerInvariant().EndsWith("_" + f, StringComparison.Ordinal)))
                .OrderBy(t => t.Name.Length).ThenBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault();
            if ((exact ?? prefixed) is { } found)
            {
                return (found, found.PrimaryKey[0]);
            }
        }
        return null;
    }

    // The name without its reference suffix (owner_id, ownerId, OwnerID → owner), or null when it has none.
    private static string? Stem(string name)
    {
        if (name.Length > 3 && name.EndsWith("_id", StringComparison.OrdinalIgnoreCase))
        {
            return name[..^3];
        }
        // ownerId, ownerID; not UUID or GUID.
        if (name.Length > 2 && name[^2] == 'I' && name[^1] is 'd' or 'D' && !char.IsUpper(name[^3]))
        {
            return name[..^2];
        }
        return null;
    }

    // owner_staff, ownerStaff → [owner, staff]
    private static List<string> Words(string stem)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        for (var i = 0; i < stem.Length; i++)
        {
            var c = stem[i];
            if (c is '_' or '-' or ' ' || (char.IsUpper(c) && i > 0 && char.IsLower(stem[i - 1])))
            {
                if (word.Length > 0)
                {
                    words.Add(word.ToString());
                    word.Clear();
                }
                if (c is '_' or '-' or ' ')
                {
                    continue;
                }
            }
            word.Append(char.ToLowerInvariant(c));
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    private static string Plural(string name) =>
        name.EndsWith('y') && name.Length > 1 && !"aeiou".Contains(name[^2], StringComparison.Ordinal) ? name[..^1] + "ies"
        : name.EndsWith('s') || name.EndsWith('x') || name.EndsWith('z') || name.EndsWith("ch", StringComparison.Ordinal) || name.EndsWith("sh", StringComparison.Ordinal) ? name + "es"
        : name + "s";
}
