using Ferry.Planning;
using Ferry.Schema;

namespace Ferry.Tests.Planning;

/// <summary>Columns named like references that nothing declares, and the table their name points at.</summary>
public class ReferenceGuessTests
{
    private static Column Int(string name) => new(name, "INTEGER", FerryType.Int, true);

    private static Table Keyed(string name, FerryType keyType = FerryType.Int) =>
        new(name, [new Column("id", "x", keyType, false)], ["id"], [new UniqueKey($"pk_{name}", ["id"], true)], []);

    private static readonly DatabaseSchema Schema = new([
        Keyed("staff"), Keyed("categories"), Keyed("addresses"), Keyed("groups_group"), Keyed("conversations"),
        Keyed("people", FerryType.Uuid), Keyed("store"), Keyed("store_items"),
        new Table("log", [Int("a")], [], [], []),
    ]);

    [Theory]
    [InlineData("manager_staff_id", "staff")]
    [InlineData("category_id", "categories")]
    [InlineData("billing_address_id", "addresses")]
    [InlineData("group_id", "groups_group")]
    [InlineData("conversationId", "conversations")]
    [InlineData("latestConversationID", "conversations")]
    [InlineData("store_id", "store")]
    [InlineData("store_item_id", "store_items")]
    public void The_longest_tail_of_the_name_that_names_a_table_wins(string column, string table)
    {
        Assert.Equal((table, "id"), ReferenceGuess.Likely(Schema, Int(column)) is { } found ? (found.Table.Name, found.Key) : default);
    }

    [Theory]
    [InlineData("person_id")]  // people is not a plural Ferry forms, and its key is a UUID anyway
    [InlineData("log_id")]     // log has no key
    [InlineData("target_id")]
    public void No_table_is_named_like_it(string column)
    {
        Assert.Null(ReferenceGuess.Likely(Schema, Int(column)));
    }

    [Fact]
    public void Candidates_are_integer_and_uuid_columns_named_like_references_that_no_key_declares()
    {
        var table = new Table("t",
            [Int("id"), Int("owner_id"), Int("ownerId"), new Column("uuid", "uuid", FerryType.Uuid, false), new Column("UUID", "uuid", FerryType.Uuid, false),
             new Column("tag_id", "text", FerryType.Text, true), Int("group_id"), Int("target_id"), new Column("target_type", "text", FerryType.Text, true),
             new Column("person_id", "uuid", FerryType.Uuid, true), Int("paid")],
            ["id"], [], [
                new ForeignKey("fk", "t", ["group_id"], "groups_group", ["id"], true),
                new ForeignKey("profile:t.target_id[a]", "t", ["target_id"], "staff", ["id"], true)
                    { Shape = new ReferenceShape(ReferenceKind.Column, null, "target_type", "a", "profile app.yaml:1") },
            ]);

        Assert.Equal(["owner_id", "ownerId", "person_id"], ReferenceGuess.Candidates(table).Select(c => c.Name));
    }

    [Fact]
    public void Columns_of_a_composite_key_can_be_references_unless_the_database_generates_them()
    {
        var table = new Table("film_actor", [Int("actor_id"), Int("film_id")], ["actor_id", "film_id"], [], []);
        var payment = new Table("payment", [Int("payment_date"), Int("payment_id") with { IsAutoIncrement = true, Sequence = "public.payment_payment_id_seq" }],
            ["payment_date", "payment_id"], [], []);

        Assert.Equal(["actor_id", "film_id"], ReferenceGuess.Candidates(table).Select(c => c.Name));
        Assert.Empty(ReferenceGuess.Candidates(payment));
    }
}
