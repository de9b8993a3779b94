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
    public void Malformed_match_rules_are_usage_errors(string text)
    {
        var failure = Assert.Throws<FerryException>(() => MatchRule.Parse(text));
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
    }

    [Fact]
    public void Match_rules_with_several_columns_parse()
    {
        Assert.Equal(["first", "last"], MatchRule.Parse("people:first+last").Columns);
    }
}
