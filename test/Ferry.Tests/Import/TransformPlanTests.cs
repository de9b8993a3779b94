using Ferry.Archive;
using Ferry.Import;
using Ferry.Profiles;
using Ferry.Schema;

namespace Ferry.Tests.Import;

/// <summary>The pure side of transforms: the manifest as the target sees it, staging columns and planned updates.</summary>
public sealed class TransformPlanTests
{
    // Version 1: group_events(id, group_id → groups, title, legacy_flag); groups(id, slug, featured_event_id → group_events).
    private static readonly Manifest Archive = new(1, "ferry test", DateTimeOffset.UnixEpoch, new ManifestSource("sqlite", "sqlite:x"), new ManifestRoot("groups", ["2"]),
        [
            new ManifestTable("groups", "root",
                [new("id", FerryType.Int, "INTEGER", false), new("slug", FerryType.Text, "TEXT", false), new("featured_event_id", FerryType.Int, "INTEGER", true)],
                ["id"], [new ManifestForeignKey("fk_g", "groups", ["featured_event_id"], "group_events", ["id"], true)],
                [new UniqueKey("pk_groups", ["id"], true), new UniqueKey("groups_slug", ["slug"], false)]),
            new ManifestTable("group_events", "owned",
                [new("id", FerryType.Int, "INTEGER", false), new("group_id", FerryType.Int, "INTEGER", false), new("title", FerryType.Text, "TEXT", false),
                 new("legacy_flag", FerryType.Int, "INTEGER", true)],
                ["id"],
                [new ManifestForeignKey("fk_e", "group_events", ["group_id"], "groups", ["id"], false),
                 new ManifestForeignKey("fk_flag", "group_events", ["legacy_flag"], "groups", ["id"], true)],
                [new UniqueKey("pk_events", ["id"], true), new UniqueKey("events_title_flag", ["title", "legacy_flag"], false)]),
        ],
        [new ManifestForeignKey("fk_g", "groups", ["featured_event_id"], "group_events", ["id"], true)], [], []);

    private static readonly DatabaseSchema Version2 = new([
        new Table("groups",
            [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("slug", "TEXT", FerryType.Text, false),
             new Column("featured_event_id", "INTEGER", FerryType.Int, true), new Column("visibility", "TEXT", FerryType.Text, false)],
            ["id"], [new UniqueKey("pk_groups", ["id"], true)], []),
        new Table("events",
            [new Column("id", "INTEGER", FerryType.Int, false, IsAutoIncrement: true), new Column("group_id", "INTEGER", FerryType.Int, false),
             new Column("name", "TEXT", FerryType.Text, false)],
            ["id"], [new UniqueKey("pk_events", ["id"], true)], []),
    ]);

    private static Profile Transforms(string yaml) => ProfileLoader.Parse("transforms:\n" + yaml, "app.yaml");

    private static readonly Profile Upgrade = Transforms("""
          - {rename_table: group_events, to: events}
          - {set: events.title, value: 5}
          - {rename_column: events.title, to: name}
          - {drop_column: events.legacy_flag}
          - {fill: groups.visibility, sql: "'members'"}
          - {map: events.name, values: {a: b}}
          - {sql: "DELETE FROM {events} WHERE {events}.name = '{x'"}
        """ + "\n");

    [Fact]
    public void Without_transforms_the_archive_is_its_own_view()
    {
        var plan = TransformPlan.Build(Archive, Profile.Empty("app.yaml"), Version2);

        Assert.Same(Archive, plan.View);
        Assert.Empty(plan.Updates);
        Assert.Equal(Archive.Tables[1].Columns, plan.Tables[1].Staged);
    }

    [Fact]
    public void Renames_reach_keys_uniques_and_cycle_breaks_and_a_dropped_column_takes_its_keys_along()
    {
        var view = TransformPlan.Build(Archive, Upgrade, Version2).View;

        var events = view.Tables[1];
        Assert.Equal("events", events.Name);
        Assert.Equal(["id", "group_id", "name"], events.Columns.Select(c => c.Name));
        var key = Assert.Single(events.ForeignKeys);
        Assert.Equal(("events", "groups"), (key.Table, key.RefTable));
        Assert.Equal(["pk_events"], events.Uniques.Select(u => u.Name));
        Assert.Equal("events", view.Tables[0].ForeignKeys[0].RefTable);
        Assert.Equal(("groups", "events"), (view.CycleBreaks[0].Table, view.CycleBreaks[0].RefTable));
        // The filled column is added with the target's type.
        Assert.Equal(new ManifestColumn("visibility", FerryType.Text, "TEXT", true), view.Tables[0].Columns[^1]);
    }

    [Fact]
    public void Staging_keeps_every_archive_column_renamed_then_the_added_ones()
    {
        var plan = TransformPlan.Build(Archive, Upgrade, Version2);

        Assert.Same(Archive.Tables[1], plan.Tables[1].Read);
        Assert.Equal(["id", "group_id", "name", "legacy_flag"], plan.Tables[1].Loaded.Select(c => c.Name));
        Assert.Equal(["id", "slug", "featured_event_id", "visibility"], plan.Tables[0].Staged.Select(c => c.Name));
        Assert.Equal(["id", "slug", "featured_event_id"], plan.Tables[0].Loaded.Select(c => c.Name));
    }

    [Fact]
    public void Updates_come_in_profile_order_with_the_final_names_and_typed_values()
    {
        var plan = TransformPlan.Build(Archive, Upgrade, Version2);

        Assert.Equal(
            [
                new SetUpdate(3, 1, "name", "5"),
                new FillUpdate(6, 0, "visibility", "'members'"),
            ],
            plan.Updates.Where(u => u is SetUpdate or FillUpdate));
        var map = Assert.IsType<MapUpdate>(plan.Updates[2]);
        Assert.Equal(("name", "b"), (map.Column, map.Values.Single().Value));
        var sql = Assert.IsType<SqlUpdate>(plan.Updates[3]);
        Assert.Equal(new Dictionary<string, int> { ["events"] = 1 }, sql.Tables);
    }

    [Fact]
    public void A_set_of_a_column_only_the_target_has_adds_it_with_the_target_type()
    {
        var plan = TransformPlan.Build(Archive, Transforms("  - {set: groups.visibility, value: 1}\n"), Version2);

        Assert.Equal(new ManifestColumn("visibility", FerryType.Text, "TEXT", true), plan.View.Tables[0].Columns[^1]);
        Assert.Equal([new SetUpdate(2, 0, "visibility", "1")], plan.Updates);
    }

    [Fact]
    public void The_merge_plan_sees_the_target_names_and_accepts_the_filled_not_null_column()
    {
        var merges = MergePlan.Build(TransformPlan.Build(Archive, Upgrade, Version2), Version2, []);

        Assert.Equal(("events", "group_events"), (merges[1].Archive.Name, merges[1].Read.Name));
        Assert.Same(merges[1], merges[0].Remapped["featured_event_id"].Parent);
        // The target checks no key: groups is written with its featured event's new id straight away.
        Assert.Empty(merges[0].Deferred);
        Assert.Equal(["id", "slug", "featured_event_id", "visibility"], MergeSql.InsertColumns(merges[0]));
    }

    [Fact]
    public void A_key_of_the_target_into_a_table_written_later_is_written_null_first_when_nullable()
    {
        var groups = Version2.Get("groups");
        var events = Version2.Get("events");
        var checkedKeys = new DatabaseSchema([
            groups with { ForeignKeys = [new ForeignKey("fk_featured", "groups", ["featured_event_id"], "events", ["id"], true)] },
            events with { ForeignKeys = [new ForeignKey("fk_group", "events", ["group_id"], "groups", ["id"], false)] },
        ]);

        var merges = MergePlan.Build(TransformPlan.Build(Archive, Upgrade, checkedKeys), checkedKeys, []);

        Assert.Equal(["featured_event_id"], merges[0].Deferred);
        Assert.Equal((0, 1), (merges[0].WritePosition, merges[1].WritePosition));
    }

    [Fact]
    public void Without_the_fill_the_new_not_null_column_does_not_fit()
    {
        var profile = Transforms("  - {rename_table: group_events, to: events}\n  - {rename_column: events.title, to: name}\n  - {drop_column: events.legacy_flag}\n");

        var failure = Assert.Throws<FerryException>(() => MergePlan.Build(TransformPlan.Build(Archive, profile, Version2), Version2, []));

        Assert.Equal("the archive does not fit the target: target column(s) NOT NULL without a default and absent from the archive: groups.visibility", failure.Message);
    }

    [Theory]
    [InlineData("  - {rename_column: group_events.title, to: legacy_flag}\n", "app.yaml:2: cannot rename group_events.title to legacy_flag: group_events already has a column legacy_flag")]
    [InlineData("  - {drop_column: group_events.legacy_flag}\n  - {rename_column: group_events.title, to: legacy_flag}\n",
        "app.yaml:3: cannot rename group_events.title to legacy_flag: group_events already has a column legacy_flag (dropped at line 2, but staged)")]
    [InlineData("  - {fill: groups.visibility, sql: x}\n  - {fill: groups.visibility, sql: y}\n",
        "app.yaml:3: cannot fill groups.visibility: the archive's groups has that column (added by the fill at line 2)")]
    [InlineData("  - {set: group_events.id, value: 1}\n", "app.yaml:2: cannot set group_events.id: it is part of the primary key")]
    [InlineData("  - {fill: group_events.name, sql: x}\n", "app.yaml:2: cannot fill group_events.name: the target has no table group_events")]
    public void Mistakes_name_their_line(string yaml, string text)
    {
        var failure = Assert.Throws<FerryException>(() => TransformPlan.Build(Archive, Transforms(yaml), Version2));

        Assert.Contains(text, failure.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, failure.ExitCode);
    }

    [Theory]
    [InlineData(false, FerryType.Int, 0L)]
    [InlineData(true, FerryType.Bool, true)]
    [InlineData(1L, FerryType.Bool, true)]
    [InlineData("42", FerryType.Int, 42L)]
    [InlineData(2L, FerryType.Float, 2.0)]
    [InlineData(1.25, FerryType.Decimal, "1.25")]
    [InlineData(false, FerryType.Text, "false")]
    [InlineData(7L, FerryType.Timestamp, "7")]
    [InlineData(null, FerryType.Int, null)]
    public void Constants_take_the_column_type(object? value, FerryType type, object? expected)
    {
        Assert.True(TransformValues.TryConvert(value, type, out var converted));
        Assert.Equal(expected, converted);
    }

    [Theory]
    [InlineData("yes", FerryType.Bool)]
    [InlineData(2L, FerryType.Bool)]
    [InlineData(1.5, FerryType.Int)]
    [InlineData("x", FerryType.Bytes)]
    [InlineData("many", FerryType.Decimal)]
    public void Constants_that_do_not_fit_are_refused(object value, FerryType type)
    {
        Assert.False(TransformValues.TryConvert(value, type, out _));
    }
}
