using Ferry.Planning;
using Ferry.Schema;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>The pure load order: Kahn with ties by name, cycles broken on nullable edges only.</summary>
public class LoadOrderTests
{
    /// <summary><c>from.column → to</c>: <paramref name="from"/> must load after <paramref name="to"/>.</summary>
    private static ForeignKey Fk(string from, string column, string to, bool nullable = false) =>
        new($"fk_{from}_{column}", from, [column], to, ["id"], nullable);

    private static LoadOrder.Result Order(string tables, params ForeignKey[] edges) =>
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
    public void Two_table_cycle_both_nullable_breaks_at_the_smallest_name()
    {
        var result = Order("b a", Fk("a", "b_id", "b", nullable: true), Fk("b", "a_id", "a", nullable: true));

        Assert.Equal("a, b", Names(result.Tables));
        Assert.Equal("a.b_id → b", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Two_table_cycle_breaks_only_on_the_nullable_side()
    {
        var result = Order("a b", Fk("a", "b_id", "b"), Fk("b", "a_id", "a", nullable: true));

        Assert.Equal("b, a", Names(result.Tables));
        Assert.Equal("b.a_id → a", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Three_table_cycle_all_nullable_breaks_once_at_the_smallest_name()
    {
        var result = Order("a b c",
            Fk("a", "b_id", "b", nullable: true), Fk("b", "c_id", "c", nullable: true), Fk("c", "a_id", "a", nullable: true));

        Assert.Equal("a, c, b", Names(result.Tables));
        Assert.Equal("a.b_id → b", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Three_table_cycle_breaks_on_its_only_nullable_edge()
    {
        var result = Order("a b c", Fk("a", "b_id", "b"), Fk("b", "c_id", "c", nullable: true), Fk("c", "a_id", "a"));

        Assert.Equal("b, a, c", Names(result.Tables));
        Assert.Equal("b.c_id → c", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Fewest_broken_edges_win_over_the_smallest_name()
    {
        // a → b twice (both nullable), b → a once: breaking b costs one edge, breaking a two.
        var result = Order("a b",
            Fk("a", "b1_id", "b", nullable: true), Fk("a", "b2_id", "b", nullable: true), Fk("b", "a_id", "a", nullable: true));

        Assert.Equal("b, a", Names(result.Tables));
        Assert.Equal("b.a_id → a", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Table_that_only_points_at_a_cycle_is_never_broken()
    {
        // a is the smallest name and its edge is nullable, but it is not on the cycle b ⇄ c.
        var result = Order("a b c",
            Fk("a", "b_id", "b", nullable: true), Fk("b", "c_id", "c", nullable: true), Fk("c", "b_id", "b", nullable: true));

        Assert.Equal("b, a, c", Names(result.Tables));
        Assert.Equal("b.c_id → c", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Several_cycles_are_each_broken_once()
    {
        // Cycles a ⇄ b and x ⇄ y, with y pointing at a: {a, b} is broken first (y waits on it),
        // then {x, y}, where only x's edge is nullable.
        var result = Order("y x b a",
            Fk("a", "b_id", "b", nullable: true), Fk("b", "a_id", "a"),
            Fk("x", "y_id", "y", nullable: true), Fk("y", "x_id", "x"), Fk("y", "a_id", "a"));

        Assert.Equal("a, b, x, y", Names(result.Tables));
        Assert.Equal("a.b_id → b, x.y_id → y", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Nested_cycles_sharing_a_table_break_as_few_edges_as_the_rule_allows()
    {
        // a ⇄ b and a ⇄ c share a; a waits on both through NOT NULL keys, b and c each through one nullable.
        var result = Order("a b c",
            Fk("a", "b_id", "b"), Fk("a", "c_id", "c"),
            Fk("b", "a_id", "a", nullable: true), Fk("c", "a_id", "a", nullable: true));

        Assert.Equal("b, c, a", Names(result.Tables));
        Assert.Equal("b.a_id → a, c.a_id → a", Edges(result.CycleBreaks));
    }

    [Fact]
    public void Not_null_cycle_is_an_error_naming_its_tables_and_keys()
    {
        var error = Assert.Throws<FerryException>(() => Order("b a", Fk("a", "b_id", "b"), Fk("b", "a_id", "a")));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Equal("cannot order tables a, b: the cycle a.b_id → b, b.a_id → a has no nullable foreign key to break", error.Message);
    }

    [Fact]
    public void Not_null_cycle_is_an_error_even_with_a_nullable_chord()
    {
        // a.c_id is nullable, but breaking it leaves a → b → c → a, all NOT NULL.
        var error = Assert.Throws<FerryException>(() => Order("a b c",
            Fk("a", "b_id", "b"), Fk("b", "c_id", "c"), Fk("c", "a_id", "a"), Fk("a", "c_id", "c", nullable: true)));

        Assert.Equal(
            "cannot order tables a, b, c: the cycle a.b_id → b, b.c_id → c, c.a_id → a has no nullable foreign key to break",
            error.Message);
    }

    [Fact]
    public void Not_null_cycle_message_names_only_the_cycle_starting_at_its_smallest_table()
    {
        // a waits on the NOT NULL cycle b ⇄ c; c's nullable key back to a keeps all three in one component.
        var error = Assert.Throws<FerryException>(() => Order("a b c",
            Fk("a", "b_id", "b"), Fk("b", "c_id", "c"), Fk("c", "b_id", "b"), Fk("c", "a_id", "a", nullable: true)));

        Assert.Equal("cannot order tables b, c: the cycle b.c_id → c, c.b_id → b has no nullable foreign key to break", error.Message);
    }

    [Fact]
    public void Not_null_cycle_behind_a_breakable_one_is_still_reported()
    {
        // a ⇄ b is NOT NULL and waits on the breakable c ⇄ d: c ⇄ d is broken first, then a ⇄ b fails.
        var error = Assert.Throws<FerryException>(() => Order("a b c d",
            Fk("a", "b_id", "b"), Fk("b", "a_id", "a"), Fk("a", "c_id", "c"),
            Fk("c", "d_id", "d", nullable: true), Fk("d", "c_id", "c", nullable: true)));

        Assert.Equal("cannot order tables a, b: the cycle a.b_id → b, b.a_id → a has no nullable foreign key to break", error.Message);
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
