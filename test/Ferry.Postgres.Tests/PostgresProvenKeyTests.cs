using Ferry.Archive;
using Ferry.Import;
using Ferry.Schema;

namespace Ferry.Postgres.Tests;

/// <summary>
/// Which target foreign keys the import's key maps prove (<see cref="MergeSql.ProvenByMap"/>): a key whose every value
/// the insert takes from one row of the referenced table's key map, in the columns the key references. Any other key is
/// checked by a query (or by the target row by row).
/// </summary>
public sealed class PostgresProvenKeyTests
{
    private static readonly MergeSql Sql = new(new PostgresDialect("public"));

    // payment's key (paid, id, n): id from a sequence (fresh ids, a key map), paid and n kept; id alone is unique too.
    private static readonly Table Payment = new("payment",
        [new Column("paid", "date", FerryType.Date, false), new Column("id", "integer", FerryType.Int, false, "nextval('payment_seq'::regclass)", true, "public.payment_seq"),
         new Column("n", "integer", FerryType.Int, false)],
        ["paid", "id", "n"], [new UniqueKey("payment_pkey", ["paid", "id", "n"], true), new UniqueKey("payment_id_key", ["id"], false)], []);

    private static readonly Table Notes = new("notes",
        [new Column("id", "integer", FerryType.Int, false, IsAutoIncrement: true), new Column("paid", "date", FerryType.Date, false),
         new Column("payment_id", "integer", FerryType.Int, false), new Column("n", "integer", FerryType.Int, false),
         new Column("doc", "uuid", FerryType.Uuid, true)],
        ["id"], [new UniqueKey("notes_pkey", ["id"], true)],
        [new ForeignKey("to_key", "notes", ["payment_id", "paid", "n"], "payment", ["id", "paid", "n"], false),
         new ForeignKey("to_id", "notes", ["payment_id"], "payment", ["id"], false),
         new ForeignKey("to_doc", "notes", ["doc"], "docs", ["id"], true)]);

    // docs keep their UUID keys: no key map.
    private static readonly Table Docs = new("docs", [new Column("id", "uuid", FerryType.Uuid, false)], ["id"], [new UniqueKey("docs_pkey", ["id"], true)], []);

    // A line's key (note_id, id): id fresh, note_id a reference inside the table's own key.
    private static readonly Table Lines = new("lines",
        [new Column("note_id", "integer", FerryType.Int, false), new Column("id", "integer", FerryType.Int, false, "nextval('lines_seq'::regclass)", true, "public.lines_seq")],
        ["note_id", "id"], [new UniqueKey("lines_pkey", ["note_id", "id"], true)],
        [new ForeignKey("line_note", "lines", ["note_id"], "notes", ["id"], false)]);

    private static ManifestTable Describe(Table t) => new(t.Name, "owned",
        t.Columns.Select(c => new ManifestColumn(c.Name, c.Type, c.SqlType, c.Nullable)).ToList(), t.PrimaryKey,
        t.ForeignKeys.Select(f => new ManifestForeignKey(f.Name, f.Table, f.Columns, f.RefTable, f.RefColumns, f.Nullable)).ToList(), t.Uniques);

    private static IReadOnlyList<TableMerge> Plan(params Table[] tables) => MergePlan.Build(
        new Manifest(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("postgres", "postgres:x"), new ManifestRoot("payment", ["2"]),
            tables.Select(Describe).ToList(), [], [], []),
        new DatabaseSchema(tables), []);

    [Fact]
    public void A_key_whose_values_come_from_the_referenced_tables_key_map_is_proven_whichever_of_its_unique_keys_it_references()
    {
        var merges = Plan(Payment, Docs, Notes);

        // The composite key reads (id, paid, n) from one map row, in the order of the map's slots (1, 0, 2).
        Assert.True(Sql.ProvenByMap(merges[2], Notes.ForeignKeys[0]));
        // The key into id alone takes the same map row's id.
        Assert.True(Sql.ProvenByMap(merges[2], Notes.ForeignKeys[1]));
    }

    [Fact]
    public void Keys_that_no_map_gives_their_values_are_not_proven()
    {
        var merges = Plan(Payment, Docs, Notes, Lines);

        // docs keep their keys: a note's doc is copied, and only a query finds whether such a row exists.
        Assert.False(Sql.ProvenByMap(merges[2], Notes.ForeignKeys[2]));
        // A key into columns other than those the map's slots hold.
        Assert.False(Sql.ProvenByMap(merges[2], new ForeignKey("id_to_n", "notes", ["payment_id"], "payment", ["n"], false)));
        // A key with a column no map of the referenced table gives (doc is copied), or that the table's own map gives.
        Assert.False(Sql.ProvenByMap(merges[2], new ForeignKey("mixed", "notes", ["payment_id", "doc"], "payment", ["id", "paid"], false)));
        Assert.False(Sql.ProvenByMap(merges[2], new ForeignKey("own", "notes", ["id"], "payment", ["id"], false)));
        // n is copied, but through payment's map row like the rest of to_key: it is a payment's n.
        Assert.True(Sql.ProvenByMap(merges[2], new ForeignKey("to_n", "notes", ["n"], "payment", ["n"], false)));
        // A key into another table than the map's.
        Assert.False(Sql.ProvenByMap(merges[2], new ForeignKey("elsewhere", "notes", ["payment_id"], "lines", ["id"], false)));
        // A reference inside the table's own key takes the table's own map's value.
        Assert.True(merges[3].HasMap);
        Assert.False(Sql.ProvenByMap(merges[3], Lines.ForeignKeys[0]));
    }
}
