using Ferry.Archive;
using Ferry.Import;
using Ferry.Schema;

namespace Ferry.Tests.Import;

public sealed class MergePlanTests
{
    private static readonly Table Groups = new("groups",
        [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("slug", "TEXT", FerryType.Text, false)],
        ["id"], [new UniqueKey("pk_groups", ["id"], true), new UniqueKey("groups_slug", ["slug"], false)], []);

    private static readonly Table Conversations = new("conversations",
        [new Column("id", "UUID", FerryType.Uuid, false), new Column("group_id", "INTEGER", FerryType.Int, false), new Column("latest_id", "INTEGER", FerryType.Int, true)],
        ["id"], [new UniqueKey("pk_conversations", ["id"], true)],
        [new ForeignKey("fk1", "conversations", ["group_id"], "groups", ["id"], false)]);

    private static readonly Table Memberships = new("memberships",
        [new Column("group_id", "INTEGER", FerryType.Int, false), new Column("user_id", "INTEGER", FerryType.Int, false)],
        ["group_id", "user_id"], [new UniqueKey("pk_memberships", ["group_id", "user_id"], true)],
        [new ForeignKey("fk2", "memberships", ["group_id"], "groups", ["id"], false)]);

    private static ManifestTable Describe(Table t) => new(t.Name, "owned",
        t.Columns.Select(c => new ManifestColumn(c.Name, c.Type, c.SqlType, c.Nullable)).ToList(), t.PrimaryKey,
        t.ForeignKeys.Select(f => new ManifestForeignKey(f.Name, f.Table, f.Columns, f.RefTable, f.RefColumns, f.Nullable)).ToList(), t.Uniques);

    private static Manifest ManifestOf(params Table[] tables) => new(1, "ferry test", DateTimeOffset.UnixEpoch,
        new ManifestSource("sqlite", "sqlite:x"), new ManifestRoot("groups", ["2"]), tables.Select(Describe).ToList(), [], [], []);

    [Fact]
    public void Integer_keys_are_allocated_uuid_and_composite_keys_kept_and_references_remapped()
    {
        var merges = MergePlan.Build(ManifestOf(Groups, Conversations, Memberships), new DatabaseSchema([Groups, Conversations, Memberships]), []);

        Assert.True(merges[0].Allocates);
        Assert.False(merges[1].HasMap);
        Assert.False(merges[2].HasMap);
        Assert.Same(merges[0], merges[1].Remapped["group_id"].Parent);
        Assert.Same(merges[0], merges[2].Remapped["group_id"].Parent);
        Assert.False(merges[2].Remapped.ContainsKey("user_id"));
    }

    [Fact]
    public void A_sequence_fed_column_of_a_composite_key_gets_fresh_ids_and_references_to_the_key_follow_them()
    {
        var payment = new Table("payment",
            [new Column("paid", "date", FerryType.Date, false), new Column("id", "integer", FerryType.Int, false, "nextval('payment_seq'::regclass)", true, "public.payment_seq"),
             new Column("n", "integer", FerryType.Int, false)],
            ["paid", "id", "n"], [new UniqueKey("payment_pkey", ["paid", "id", "n"], true), new UniqueKey("payment_id_key", ["id"], false)], []);
        var notes = new Table("notes",
            [new Column("id", "integer", FerryType.Int, false), new Column("paid", "date", FerryType.Date, false), new Column("payment_id", "integer", FerryType.Int, false),
             new Column("n", "integer", FerryType.Int, false)],
            ["id"], [new UniqueKey("notes_pkey", ["id"], true)],
            [new ForeignKey("to_key", "notes", ["payment_id", "paid", "n"], "payment", ["id", "paid", "n"], false),
             new ForeignKey("to_id", "notes", ["payment_id"], "payment", ["id"], false)]);

        var merges = MergePlan.Build(ManifestOf(payment, notes), new DatabaseSchema([payment, notes]), []);

        // Only the column the sequence feeds: n is an integer of the key without a generator, kept.
        Assert.Equal([1], merges[0].Allocated);
        Assert.True(merges[0].HasMap);
        Assert.Equal(("to_key", 0, 1), (merges[1].Remapped["payment_id"].Key.Name, merges[1].Remapped["payment_id"].Position, merges[1].Remapped["payment_id"].Slot));
        Assert.Equal([1, 0, 2], merges[1].Remapped["paid"].Slots);
        // A key into part of the primary key is remapped only where the target holds that part unique.
        var unique = MergePlan.Build(ManifestOf(payment, notes with { ForeignKeys = [notes.ForeignKeys[1]] }), new DatabaseSchema([payment, notes]), []);
        Assert.Equal(1, unique[1].Remapped["payment_id"].Slot);
        // Where it does not, the reference cannot follow the fresh ids: refused before anything is written.
        var notUnique = payment with { Uniques = [payment.Uniques[0]] };
        var refused = Assert.Throws<FerryException>(() =>
            MergePlan.Build(ManifestOf(notUnique, notes with { ForeignKeys = [notes.ForeignKeys[1]] }), new DatabaseSchema([notUnique, notes]), []));
        Assert.Contains("notes.payment_id references payment.id, and payment.id gets fresh ids, but the target holds no unique key", refused.Message, StringComparison.Ordinal);
    }

    private static readonly Table Invoices = new("invoices",
        [new Column("id", "integer", FerryType.Int, false, IsAutoIncrement: true, Sequence: "public.invoices_id_seq"),
         new Column("number", "integer", FerryType.Int, false, "nextval('invoice_seq'::regclass)", true, "public.invoice_seq"),
         new Column("batch", "bigint", FerryType.Int, true, Sequence: "public.batch_seq"),
         new Column("parent_number", "integer", FerryType.Int, true, "nextval('invoice_seq'::regclass)", true, "public.invoice_seq"),
         new Column("total", "numeric", FerryType.Decimal, false), new Column("ref", "text", FerryType.Text, true)],
        ["id"], [new UniqueKey("invoices_pkey", ["id"], true), new UniqueKey("invoices_number_key", ["number"], false)],
        [new ForeignKey("parent", "invoices", ["parent_number"], "invoices", ["number"], true)]);

    private static readonly Table Payments = new("payments",
        [new Column("id", "integer", FerryType.Int, false, IsAutoIncrement: true, Sequence: "public.payments_id_seq"),
         new Column("invoice_number", "integer", FerryType.Int, true), new Column("invoice_id", "integer", FerryType.Int, true)],
        ["id"], [new UniqueKey("payments_pkey", ["id"], true)],
        [new ForeignKey("to_number", "payments", ["invoice_number"], "invoices", ["number"], true),
         new ForeignKey("to_id", "payments", ["invoice_id"], "invoices", ["id"], true)]);

    [Fact]
    public void Sequence_fed_columns_outside_the_key_get_fresh_values_and_references_to_them_follow_their_value_maps()
    {
        var merges = MergePlan.Build(ManifestOf(Invoices, Payments), new DatabaseSchema([Invoices, Payments]), []);

        // Not the key (its own map), nor a reference (its parent's map), nor a column without a generator.
        Assert.Equal(["number", "batch"], merges[0].Fresh);
        Assert.Equal("ferry_values_1_1", merges[0].ValueMap("batch"));
        Assert.Equal(("invoices", "number"), (merges[0].Remapped["parent_number"].Parent.Archive.Name, merges[0].Remapped["parent_number"].Fresh));
        Assert.Equal("number", merges[1].Remapped["invoice_number"].Fresh);
        Assert.Null(merges[1].Remapped["invoice_id"].Fresh);
        Assert.Empty(merges[1].Fresh);
    }

    [Fact]
    public void A_column_rows_are_matched_by_keeps_its_values()
    {
        var merges = MergePlan.Build(ManifestOf(Invoices, Payments), new DatabaseSchema([Invoices, Payments]), [MatchRule.Parse("invoices:number")]);

        Assert.Equal(["batch"], merges[0].Fresh);
        Assert.False(merges[1].Remapped.ContainsKey("invoice_number"));
    }

    [Fact]
    public void A_reference_into_a_fresh_column_that_cannot_follow_it_is_refused()
    {
        var array = new ManifestForeignKey("numbers", "payments", ["invoice_number"], "invoices", ["number"], true, new ManifestReference("array", ArrayForm: "json"));
        var manifest = ManifestOf(Invoices, Payments);
        manifest = manifest with { Tables = [manifest.Tables[0], manifest.Tables[1] with { ForeignKeys = [array] }] };

        var error = Assert.Throws<FerryException>(() => MergePlan.Build(manifest, new DatabaseSchema([Invoices, Payments]), []));

        Assert.Equal("the archive does not fit the target: payments.invoice_number references invoices.number through a profile relation that holds " +
                     "its keys in an array, and invoices.number gets fresh values from the target's sequence public.invoice_seq: only a plain reference can follow them",
            error.Message);
    }

    [Fact]
    public void A_reference_into_fresh_ids_and_fresh_values_together_is_refused()
    {
        var both = new ForeignKey("both", "payments", ["invoice_id", "invoice_number"], "invoices", ["id", "number"], true);
        var payments = Payments with { ForeignKeys = [both] };
        var invoices = Invoices with { Uniques = [.. Invoices.Uniques, new UniqueKey("invoices_id_number_key", ["id", "number"], false)] };

        var error = Assert.Throws<FerryException>(() => MergePlan.Build(ManifestOf(invoices, payments), new DatabaseSchema([invoices, payments]), []));

        Assert.Contains("payments.invoice_id+invoice_number references invoices.id+number, and both invoices.id (fresh ids) and invoices.number " +
                        "(fresh values from the target's sequence public.invoice_seq) change", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matched_table_gets_a_map_even_without_fresh_ids()
    {
        var merges = MergePlan.Build(ManifestOf(Groups, Conversations), new DatabaseSchema([Groups, Conversations]), [MatchRule.Parse("conversations:id")]);

        Assert.True(merges[1].HasMap);
        Assert.False(merges[1].Allocates);
    }

    [Fact]
    public void Every_mismatch_with_the_target_is_reported_at_once()
    {
        var narrowGroups = Groups with { Columns = [Groups.Columns[0], new Column("owner", "INTEGER", FerryType.Int, false)] };

        var failure = Assert.Throws<FerryException>(() =>
            MergePlan.Build(ManifestOf(Groups, Conversations, Memberships), new DatabaseSchema([narrowGroups, Memberships]), [MatchRule.Parse("users:email")]));

        Assert.Contains("table(s) missing in the target: conversations", failure.Message, StringComparison.Ordinal);
        Assert.Contains("column(s) missing in the target: groups.slug", failure.Message, StringComparison.Ordinal);
        Assert.Contains("NOT NULL without a default and absent from the archive: groups.owner", failure.Message, StringComparison.Ordinal);
        Assert.Contains("--match users:email: the archive has no table users", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("users")]
    [InlineData("users:")]
    [InlineData(":email")]
    [InlineData("users:email+")]
    [InlineData("users:email/I")]
    [InlineData("users:/i")]
    [InlineData("users/i")]
    public void Malformed_match_rules_are_usage_errors(string text)
    {
        var failure = Assert.Throws<FerryException>(() => MatchRule.Parse(text));
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
    }

    [Theory]
    [InlineData("films:title/i", true, "title")]
    [InlineData("people:first+last/i", true, "first+last")]
    [InlineData("users:email", false, "email")]
    public void A_match_rule_ending_in_slash_i_ignores_case_and_round_trips(string text, bool folded, string columns)
    {
        var rule = MatchRule.Parse(text);

        Assert.Equal((folded, columns), (rule.CaseInsensitive, string.Join('+', rule.Columns)));
        Assert.Equal(text, rule.ToString());
        Assert.Equal($"--match {text}", rule.Origin);
        Assert.Equal((rule.Table, rule.CaseInsensitive, rule.ToString()), MatchRule.Parse(rule.ToString()) is var again ? (again.Table, again.CaseInsensitive, again.ToString()) : default);
    }

    [Fact]
    public void Match_rules_with_several_columns_parse()
    {
        Assert.Equal(["first", "last"], MatchRule.Parse("people:first+last").Columns);
    }
}
