using Ferry.Planning;
using Ferry.Schema;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>The pure load order: Kahn with ties by name, cycles broken on nullable edges only.</summary>
public class LoadOrderTests
{
    /// <summary><c>from.column → to</c>: <paramref name="from"/> must load after <paramref name="to"/>.</summary>
    internal static ForeignKey Fk(string from, string column, string to, bool nullable = false) =>
        new($"fk_{from}_{column}", from, [column], to, ["id"], nullable);

    internal static LoadOrder.Result Order(string tables, params ForeignKey[] edges) =>
        LoadOrder.Compute(tables.Split(' ', StringSplitOptions.RemoveEmptyEntries), edges);

    [Fact]
    public void No_tables_no_order()
    {
        var result = Order("");

        Assert.Empty(result.Tables);
        Assert.Empty(result.CycleBreaks);
    }

    [Fact]
    public void Independent_tables_load_by_name()
    {
        Assert.Equal("a, m, z", Names(Order("z a m").Tables));
    }

    [Fact]
    public void Chain_loads_referenced_first_whatever_the_input_order()
    {
        var result = Order("c a b", Fk("c", "b_id", "b"), Fk("b", "a_id", "a"));

        Assert.Equal("a, b, c", Names(result.Tables));
        Assert.Empty(result.CycleBreaks);
    }

    [Fact]
    public void Ties_go_to_the_smallest_ready_name_not_depth_first()
    {
        // a waits on z; b is free: b loads before z although a < b, and a right after z.
        var result = Order("a b z", Fk("a", "z_id", "z"));

        Assert.Equal("b, z, a", Names(result.Tables));
    }

    [Fact]
    public void Diamond_joins_after_both_sides()
    {
        var result = Order("d c b a", Fk("b", "a_id", "a"), Fk("c", "a_id", "a"), Fk("d", "b_id", "b"), Fk("d", "c_id", "c"));

        Assert.Equal("a, b, c, d", Names(result.Tables));
    }

    [Fact]
    public void Edges_to_tables_outside_the_set_are_ignored()
    {
        var result = Order("b a", Fk("a", "x_id", "x"), Fk("x", "b_id", "b"), Fk("b", "a_id", "a"));

        Assert.Equal("a, b", Names(result.Tables));
    }

    [Fact]
    public void Self_references_never_block_nor_break()
    {
        var result = Order("b a", Fk("a", "parent_id", "a"), Fk("a", "b_id", "b"), Fk("b", "twin_id", "b", nullable: true));

        Assert.Equal("b, a", Names(result.Tables));
        Assert.Empty(result.CycleBreaks);
    }

    [Fact]
    public void Order_and_breaks_do_not_depend_on_the_input_order()
    {
        ForeignKey[] edges =
        [
            Fk("orders", "customer_id", "customers"), Fk("customers", "last_order_id", "orders", nullable: true),
            Fk("lines", "order_id", "orders"), Fk("lines", "product_id", "products"),
            Fk("products", "best_line_id", "lines", nullable: true), Fk("products", "parent_id", "products"),
            Fk("a", "b_id", "b", nullable: true), Fk("b", "a_id", "a", nullable: true), Fk("z", "lines_id", "lines"),
        ];
        string[] tables = ["orders", "customers", "lines", "products", "a", "b", "z", "free"];
        var expected = LoadOrder.Compute(tables, edges);

        for (var seed = 0; seed < 30; seed++)
        {
            var random = new Random(seed);
            var result = LoadOrder.Compute(Shuffled(random, tables), Shuffled(random, edges));

            Assert.Equal(Names(expected.Tables), Names(result.Tables));
            Assert.Equal(Edges(expected.CycleBreaks), Edges(result.CycleBreaks));
        }

        // free is ready at once; then the cycles, smallest first, each broken where it costs least.
        Assert.Equal("free, a, b, customers, orders, products, lines, z", Names(expected.Tables));
        Assert.Equal("a.b_id → b, customers.last_order_id → orders, products.best_line_id → lines", Edges(expected.CycleBreaks));
    }

    private static T[] Shuffled<T>(Random random, T[] items)
    {
        var copy = (T[])items.Clone();
        random.Shuffle(copy);
        return copy;
    }
}
