using Ferry.Schema;
using static Ferry.Tests.Planning.LoadOrderTests;
using static Ferry.Tests.Planning.PlanText;

namespace Ferry.Tests.Planning;

/// <summary>Cycles in the load order: broken on nullable edges only, deterministically, or reported.</summary>
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
    public void Not_null_cycle_message_names_the_constraints_to_make_deferrable()
    {
        var error = Assert.Throws<FerryException>(() => Order("b a", Fk("a", "b_id", "b"), Fk("b", "a_id", "a")));

        Assert.Contains("make one of its constraints DEFERRABLE (ALTER TABLE ... ALTER CONSTRAINT ... DEFERRABLE: fk_a_b_id (a.b_id → b) or fk_b_a_id (b.a_id → a))",
            error.Message, StringComparison.Ordinal);
        Assert.EndsWith("drop it and declare that reference as a profile relation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_null_cycle_is_an_error_naming_its_tables_and_keys()
    {
        var error = Assert.Throws<FerryException>(() => Order("b a", Fk("a", "b_id", "b"), Fk("b", "a_id", "a")));

        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.StartsWith("cannot order tables a, b: the cycle a.b_id → b, b.a_id → a has only NOT NULL foreign keys that are not DEFERRABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_null_cycle_is_an_error_even_with_a_nullable_chord()
    {
        // a.c_id is nullable, but breaking it leaves a → b → c → a, all NOT NULL.
        var error = Assert.Throws<FerryException>(() => Order("a b c",
            Fk("a", "b_id", "b"), Fk("b", "c_id", "c"), Fk("c", "a_id", "a"), Fk("a", "c_id", "c", nullable: true)));

        Assert.StartsWith(
            "cannot order tables a, b, c: the cycle a.b_id → b, b.c_id → c, c.a_id → a has only NOT NULL foreign keys that are not DEFERRABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_null_cycle_message_names_only_the_cycle_starting_at_its_smallest_table()
    {
        // a waits on the NOT NULL cycle b ⇄ c; c's nullable key back to a keeps all three in one component.
        var error = Assert.Throws<FerryException>(() => Order("a b c",
            Fk("a", "b_id", "b"), Fk("b", "c_id", "c"), Fk("c", "b_id", "b"), Fk("c", "a_id", "a", nullable: true)));

        Assert.StartsWith("cannot order tables b, c: the cycle b.c_id → c, c.b_id → b has only NOT NULL foreign keys that are not DEFERRABLE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Not_null_cycle_behind_a_breakable_one_is_still_reported()
    {
        // a ⇄ b is NOT NULL and waits on the breakable c ⇄ d: c ⇄ d is broken first, then a ⇄ b fails.
        var error = Assert.Throws<FerryException>(() => Order("a b c d",
            Fk("a", "b_id", "b"), Fk("b", "a_id", "a"), Fk("a", "c_id", "c"),
            Fk("c", "d_id", "d", nullable: true), Fk("d", "c_id", "c", nullable: true)));

        Assert.StartsWith("cannot order tables a, b: the cycle a.b_id → b, b.a_id → a has only NOT NULL foreign keys that are not DEFERRABLE", error.Message, StringComparison.Ordinal);
    }
}
