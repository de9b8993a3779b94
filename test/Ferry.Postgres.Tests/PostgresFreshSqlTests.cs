using Ferry.Archive;
using Ferry.Import;
using Ferry.Schema;

namespace Ferry.Postgres.Tests;

/// <summary>
/// Pins the statements behind columns outside the primary key that a sequence feeds (an invoice number): the value
/// map, its provisional values, the redraw from the sequence, and a dry run's insert that draws from no sequence.
/// </summary>
public sealed class PostgresFreshSqlTests
{
    private static readonly Table Invoices = new("invoices",
        [new Column("id", "integer", FerryType.Int, false, "nextval('invoices_id_seq'::regclass)", true, "public.invoices_id_seq"),
         new Column("number", "integer", FerryType.Int, false, "nextval('invoice_seq'::regclass)", true, "public.invoice_seq"),
         new Column("total", "numeric", FerryType.Decimal, false),
         new Column("serial_no", "bigint", FerryType.Int, false, "nextval('serial_seq'::regclass)", true, "public.serial_seq"),
         new Column("order_no", "bigint", FerryType.Int, true, Sequence: "public.order_seq")],
        ["id"], [new UniqueKey("invoices_pkey", ["id"], true), new UniqueKey("invoices_number_key", ["number"], false)], []);

    // The archive lacks serial_no (filled by its default) and order_no (a sequence the app draws from, no default).
    private static readonly Manifest Archive = new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("postgres", "postgres:x"),
        new ManifestRoot("invoices", ["1"]),
        [new ManifestTable("invoices", "root",
            [new("id", FerryType.Int, "integer", false), new("number", FerryType.Int, "integer", false), new("total", FerryType.Decimal, "numeric", false)],
            ["id"], [], [])],
        [], [], []);

    private static readonly TableMerge Merge = MergePlan.Build(Archive, new DatabaseSchema([Invoices]), [])[0];

    private static readonly MergeSql Sql = new(new PostgresDialect("public"));

    [Fact]
    public void Each_distinct_old_value_gets_a_provisional_value_above_the_table_and_its_sequence()
    {
        Assert.Equal(["number"], Merge.Fresh);
        Assert.Equal("CREATE TEMP TABLE \"ferry_values_1_0\" (\"o\" bigint, \"n\" integer, \"matched\" bigint, PRIMARY KEY (\"o\")) ON COMMIT DROP",
            Sql.CreateValueMap(Merge, "number"));
        Assert.Equal("INSERT INTO \"pg_temp\".\"ferry_values_1_0\" (o, n, matched) SELECT v.o, GREATEST(COALESCE((SELECT MAX(\"number\") FROM \"public\".\"invoices\"), 0), " +
                     "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM public.invoice_seq)) + ROW_NUMBER() OVER (ORDER BY v.o), 0 " +
                     "FROM (SELECT DISTINCT s.\"number\" AS o FROM \"pg_temp\".\"ferry_stage_1\" s WHERE s.\"number\" IS NOT NULL " +
                     "AND NOT EXISTS (SELECT 1 FROM \"pg_temp\".\"ferry_values_1_0\" x WHERE x.o = s.\"number\")) v",
            Sql.FreshValues(Merge, "number"));
    }

    [Fact]
    public void On_the_way_to_the_commit_the_values_are_drawn_from_the_sequence_in_the_old_values_order()
    {
        var redraw = Sql.RedrawFromGenerator(Merge);

        Assert.Contains("CREATE TEMP TABLE \"ferry_redraw_ferry_values_1_0\" AS SELECT q.o, CAST(CASE WHEN q.matched <> 0 THEN q.n " +
                        "ELSE nextval('public.invoice_seq') END AS integer) AS n, q.matched FROM (SELECT * FROM \"pg_temp\".\"ferry_values_1_0\" ORDER BY o) q", redraw);
        Assert.Contains("ALTER TABLE \"pg_temp\".\"ferry_values_1_0\" ADD PRIMARY KEY (o)", redraw);
    }

    [Fact]
    public void The_insert_takes_the_new_value_and_a_dry_run_gives_a_defaults_sequence_no_draw()
    {
        var insert = Sql.Insert(Merge);
        var dry = Sql.Insert(Merge, provisional: true);

        Assert.Contains("f0.n AS \"number\"", insert, StringComparison.Ordinal);
        Assert.Contains("LEFT JOIN \"pg_temp\".\"ferry_values_1_0\" f0 ON f0.o = s.\"number\"", insert, StringComparison.Ordinal);
        Assert.DoesNotContain("serial_no", insert, StringComparison.Ordinal);
        // serial_no's default would call nextval, which no rollback undoes; order_no has no default: NULL either way.
        Assert.StartsWith("INSERT INTO \"public\".\"invoices\" (\"id\", \"number\", \"total\", \"serial_no\") SELECT r.*, " +
                          "GREATEST(COALESCE((SELECT MAX(\"serial_no\") FROM \"public\".\"invoices\"), 0), " +
                          "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM public.serial_seq)) + ROW_NUMBER() OVER () AS \"serial_no\" FROM (",
            dry, StringComparison.Ordinal);
        Assert.DoesNotContain("order_no", dry, StringComparison.Ordinal);
    }
}
