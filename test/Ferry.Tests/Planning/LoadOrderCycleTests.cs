using Ferry.Schema;
using static Ferry.Tests.Planning.LoadOrderTests;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Cycles in the load order: broken deterministically, on unchecked NOT NULL keys only as a last resort.</summary>
public class LoadOrderCycleTests
{
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
    public void A_not_null_cycle_closed_by_a_profile_relation_breaks_at_the_relation()
    {
        var manager = Fk("store", "manager_staff_id", "staff") with { Shape = new ReferenceShape(ReferenceKind.Column, null, null, null, "profile app.yaml:3") };

        var result = Order("staff store", manager, Fk("staff", "store_id", "store"));

        Assert.Equal("store, staff", Names(result.Tables));
        Assert.Equal("store.manager_staff_id → staff", Edges(result.CycleBreaks));
    }

    [Fact]
    public void A_relation_the_database_does_not_check_is_broken_before_a_nullable_key()
    {
        var virtualKey = Fk("b", "a_id", "a") with { Shape = new ReferenceShape(ReferenceKind.Column, null, null, null, "profile app.yaml:3") };

        var result = Order("a b", Fk("a", "b_id", "b", nullable: true), virtualKey);

        Assert.Equal("b.a_id → a", Edges(result.CycleBreaks));
    }

    [Fact]
    public void A_deferrable_not_null_key_breaks_a_cycle_when_no_nullable_one_does()
    {
        var result = Order("a b", Fk("a", "b_id", "b") with { Deferrable = true }, Fk("b", "a_id", "a"));

        Assert.Equal("a, b", Names(result.Tables));
        Assert.Equal("a.b_id → b", Edges(result.CycleBreaks));
    }

    [Fact]
    public void A_nullable_key_is_broken_before_a_deferrable_not_null_one()
    {
        var result = Order("a b", Fk("a", "b_id", "b") with { Deferrable = true }, Fk("b", "a_id", "a", nullable: true) with { Deferrable = true });

        Assert.Equal("b.a_id → a", Edges(result.CycleBreaks));
    }

    [Fact]
    public void A_not_null_cycle_with_no_deferrable_key_breaks_at_the_smallest_name_unchecked()
    {
        var result = Order("b a", Fk("a", "b_id", "b"), Fk("b", "a_id", "a"));

        Assert.Equal("a, b", Names(result.Tables));
        Assert.Equal("a.b_id → b", Edges(result.CycleBreaks));
        Assert.True(Ferry.Planning.LoadOrder.Unchecked(Assert.Single(result.CycleBreaks)));
    }

    [Fact]
    public void An_unchecked_break_is_the_last_resort_after_a_deferrable_one()
    {
        // a is the smaller name, but its key is NOT NULL and not DEFERRABLE; b's is DEFERRABLE: b breaks.
        var result = Order("a b", Fk("a", "b_id", "b"), Fk("b", "a_id", "a") with { Deferrable = true });

        Assert.Equal("b.a_id → a", Edges(result.CycleBreaks));
        Assert.False(Ferry.Planning.LoadOrder.Unchecked(Assert.Single(result.CycleBreaks)));
    }

    [Fact]
    public void A_not_null_cycle_with_a_nullable_chord_breaks_one_unchecked_key()
    {
        // a.c_id is nullable, but breaking it leaves a → b → c → a, all NOT NULL: one of those is broken unchecked.
        var result = Order("a b c", Fk("a", "b_id", "b"), Fk("b", "c_id", "c"), Fk("c", "a_id", "a"), Fk("a", "c_id", "c", nullable: true));

        Assert.Single(result.CycleBreaks, Ferry.Planning.LoadOrder.Unchecked);
        Assert.Equal("b, a, c", Names(result.Tables));
    }

    [Fact]
    public void A_not_null_cycle_behind_a_breakable_one_breaks_unchecked_after_it()
    {
        // a ⇄ b is NOT NULL and waits on the breakable c ⇄ d: c ⇄ d is broken first (nullable), then a ⇄ b unchecked.
        var result = Order("a b c d",
            Fk("a", "b_id", "b"), Fk("b", "a_id", "a"), Fk("a", "c_id", "c"),
            Fk("c", "d_id", "d", nullable: true), Fk("d", "c_id", "c", nullable: true));

        Assert.Equal("a.b_id → b, c.d_id → d", Edges(result.CycleBreaks));
        Assert.Equal("c, d, a, b", Names(result.Tables));
    }

    [Fact]
    public void The_order_of_an_unchecked_break_does_not_depend_on_the_input_order()
    {
        var keys = new[] { Fk("store", "manager_staff_id", "staff"), Fk("staff", "store_id", "store"), Fk("staff", "address_id", "address"), Fk("store", "address_id", "address") };

        var forward = Order("store staff address", keys);
        var backward = Order("address staff store", keys.Reverse().ToArray());

        Assert.Equal("address, staff, store", Names(forward.Tables));
        Assert.Equal("staff.store_id → store", Edges(forward.CycleBreaks));
        Assert.Equal(Edges(forward.CycleBreaks), Edges(backward.CycleBreaks));
        Assert.Equal(Names(forward.Tables), Names(backward.Tables));
    }
}
